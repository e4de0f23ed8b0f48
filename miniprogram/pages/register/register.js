const { api, fieldMessages } = require('../../utils/request')
const page = require('../../utils/page')
page({
  data: { form: { name: '', id_number: '', mobile: '', sms_code: '', id_photo: '' }, errors: {} },
  onInput(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value }) },
  async sendCode() {
    try { await api.smsCode(this.data.form.mobile) } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
  choosePhoto() {
    wx.chooseMedia({ count: 1, mediaType: ['image'], success: (r) => {
      const data = wx.getFileSystemManager().readFileSync(r.tempFiles[0].tempFilePath, 'base64')
      this.setData({ 'form.id_photo': data })
    } })
  },
  async submit() {
    try {
      await api.register(this.data.form)
      wx.redirectTo({ url: '/pages/face/face' })
    } catch (e) {
      this.setData({ errors: fieldMessages(e) })
    }
  },
})
