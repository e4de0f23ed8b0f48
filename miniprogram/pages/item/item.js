const { token } = require('../../utils/request')
const { TYPES } = require('../../utils/form')
const page = require('../../utils/page')
page({
  data: { types: TYPES, typeIndex: 0 },
  // 根据实际情况选择要办理的注册业务: the choice is kept while the applicant proves who they are.
  onType(e) { this.setData({ typeIndex: Number(e.detail.value) }) },
  start() {
    const type = TYPES[this.data.typeIndex].value
    wx.setStorageSync('jl_business_type', type)
    wx.navigateTo({ url: token('access') ? '/pages/apply/apply?type=' + type : '/pages/check/check' })
  },
})
