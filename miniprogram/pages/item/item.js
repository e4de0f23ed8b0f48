const { token } = require('../../utils/request')
Page({
  data: {},
  start() { wx.navigateTo({ url: token('access') ? '/pages/apply/apply' : '/pages/check/check' }) },
})
