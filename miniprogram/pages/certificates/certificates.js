const { api, fieldMessages } = require('../../utils/request')
const page = require('../../utils/page')
/** @typedef {import('../../types/api').components['schemas']['CertificateOut']} Certificate */

page({
  data: { certificates: /** @type {Certificate[]} */ ([]), loaded: false, errors: {} },
  onLoad() { return this.load() },
  async load() {
    try {
      const certificates = (await api.certificates()).map((c) => Object.assign({}, c, {
        specialties: c.registration.specialties.join('、'), valid: c.status === 'valid',
      }))
      this.setData({ certificates, loaded: true, errors: {} })
    } catch (e) { this.setData({ loaded: true, errors: fieldMessages(e) }) }
  },
  // 电子证书 (PDF with the ministry's electronic seal): saved to the user's files, opened with wx.openDocument.
  async open(e) {
    try {
      const pdf = await api.certificatePdf(e.currentTarget.dataset.number)
      const filePath = `${wx.env.USER_DATA_PATH}/${pdf.filename}`
      await new Promise((resolve, reject) => wx.getFileSystemManager().writeFile({
        filePath, data: pdf.content, encoding: 'base64', success: resolve, fail: reject,
      }))
      wx.openDocument({ filePath, fileType: 'pdf', showMenu: true })
    } catch (err) { this.setData({ errors: err && err.fields ? fieldMessages(err) : { '': '电子证书打开失败，请稍后再试。' } }) }
  },
})
