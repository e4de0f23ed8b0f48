// 住房和城乡建设部政务服务平台 · 监理工程师执业资格认定
const config = require('./utils/config')
App({
  globalData: { baseUrl: config.baseUrl },
  onLaunch() {
    // Large-text mode follows the system font size (适老化).
    try {
      const info = wx.getSystemInfoSync()
      this.globalData.largeText = (info.fontSizeSetting || 16) > 17
    } catch (e) {
      this.globalData.largeText = false
    }
  },
})
