const { api, login, fieldMessages } = require('../../utils/request')
const page = require('../../utils/page')
page({
  data: { avatarUrl: '', nickname: '', errors: {} },
  onChooseAvatar(e) { this.setData({ avatarUrl: e.detail.avatarUrl }) },
  onNickname(e) { this.setData({ nickname: e.detail.value }) },
  async save() {
    try {
      await api.profileCreate(this.data.nickname)
      await login('wechat')
      wx.redirectTo({ url: '/pages/catalogue/catalogue' })
    } catch (e) {
      this.setData({ errors: fieldMessages(e) })
    }
  },
})
