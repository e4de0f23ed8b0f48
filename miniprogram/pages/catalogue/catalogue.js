Page({ data: {}, open() { wx.navigateTo({ url: '/pages/item/item' }) } })
