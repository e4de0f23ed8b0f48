// 住房和城乡建设部政务服务平台 · 监理工程师执业资格认定
const config = require('./utils/config')
const { largeText } = require('./utils/display')
App({
  globalData: { baseUrl: config.baseUrl, largeText: false },
  onLaunch() {
    // Large-text mode follows the system font size (适老化); each page reads it too (utils/page.js).
    this.globalData.largeText = largeText()
  },
})
