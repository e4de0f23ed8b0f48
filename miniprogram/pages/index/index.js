const { token } = require('../../utils/request')
Page({
  data: {},
  openEngineer() {
    // 首次使用时，请先设置“头像”和“昵称”（图 2）。
    wx.navigateTo({ url: token('profile') ? '/pages/catalogue/catalogue' : '/pages/profile/profile' })
  },
})
