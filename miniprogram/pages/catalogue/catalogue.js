const page = require('../../utils/page')
page({ data: {}, open() { wx.navigateTo({ url: '/pages/item/item' }) } })
