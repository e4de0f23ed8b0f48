const { api, fieldMessages } = require('../../utils/request')
const page = require('../../utils/page')
page({
  data: { name: '', idNumber: '', errors: {}, askRegister: false },
  onName(e) { this.setData({ name: e.detail.value }) },
  onId(e) { this.setData({ idNumber: e.detail.value }) },
  async confirm() {
    try {
      const r = await api.check(this.data.name, this.data.idNumber)
      if (r.found) wx.navigateTo({ url: '/pages/face/face' })
      else this.setData({ askRegister: true, errors: {} })
    } catch (e) {
      this.setData({ errors: fieldMessages(e) })
    }
  },
  cancel() { this.setData({ askRegister: false }) },
  goRegister() { this.setData({ askRegister: false }); wx.navigateTo({ url: '/pages/register/register' }) },
})
