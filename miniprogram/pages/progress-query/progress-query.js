const { api, fieldMessages } = require('../../utils/request')
const page = require('../../utils/page')
/** @type {{value: import('../../types/api').components['schemas']['ProgressIn']['business_type'], label: string}[]} */
const TYPES = [
  { value: 'initial', label: '初始注册' }, { value: 'renewal', label: '延续注册' }, { value: 'change', label: '变更注册' },
  { value: 'cancellation', label: '注销注册' }, { value: 'replacement', label: '证书更换' },
]
page({
  data: { name: '', idNumber: '', types: TYPES, typeIndex: 0, errors: {} },
  onName(e) { this.setData({ name: e.detail.value }) },
  onId(e) { this.setData({ idNumber: e.detail.value }) },
  onType(e) { this.setData({ typeIndex: Number(e.detail.value) }) },
  async query() {
    try {
      const r = await api.progress(this.data.name, this.data.idNumber, TYPES[this.data.typeIndex].value)
      if (!r.applications.length) { this.setData({ errors: { '': '未查询到该业务的办理记录。' } }); return }
      wx.navigateTo({ url: '/pages/progress/progress?id=' + r.applications[0].id })
    } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
})
