const { api, askSubscriptions, fieldMessages, newKey } = require('../../utils/request')
const CONDITIONS = [
  '(一) 不具有完全民事行为能力的;',
  '(二) 刑事处罚尚未执行完毕或者因从事工程监理或者相关业务受到刑事处罚，自刑事处罚执行完毕之日起至申请注册之日止不满2年的;',
  '(三) 未达到监理工程师继续教育要求的;',
  '(四) 在两个或者两个以上单位申请注册的;',
  '(五) 年龄超过65周岁的;',
  '(六) 法律、法规规定不予注册的其他情形。',
]
const MORE = { 信息修改: null, 进度查询: '/pages/progress-query/progress-query', 操作手册: null, 常见问题: null, 联系电话: null }
Page({
  data: {
    step: 1, businessType: 'initial', conditions: CONDITIONS, checked: CONDITIONS.map(() => false), all: false,
    data: {}, errors: {}, moreOpen: false, moreEntries: Object.keys(MORE), submitKey: '',
  },
  onLoad(query) { if (query && query.type) this.setData({ businessType: query.type }) },
  toggle(e) {
    const checked = this.data.checked.slice()
    checked[e.currentTarget.dataset.index] = !checked[e.currentTarget.dataset.index]
    this.setData({ checked, all: checked.every(Boolean) })
  },
  toggleAll() { const all = !this.data.all; this.setData({ all, checked: CONDITIONS.map(() => all) }) },
  async toInfo() {
    if (!this.data.all) { this.setData({ errors: { conditions: '请逐条确认并勾选全选' } }); return }
    try { await api.draft(this.data.businessType); this.setData({ step: 2, errors: {} }) } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
  onInput(e) { this.setData({ ['data.' + e.currentTarget.dataset.field]: e.detail.value }) },
  attach() {
    // Attachments: wx.chooseMessageFile then wx.uploadFile to drafts/{type}/attachments/{slot} with the bearer token.
    wx.chooseMessageFile({ count: 1, type: 'file' })
  },
  async toNotice() {
    try {
      const r = await api.draftUpdate(this.data.businessType, 2, this.data.data)
      if (r.errors && Object.keys(r.errors).length) { this.setData({ errors: r.errors }); return }
      this.setData({ step: 3, errors: {}, submitKey: newKey() })
    } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
  async submit() {
    await askSubscriptions() // 办理进度提醒 (订阅消息) beside SMS, if the user allows
    try {
      // The same key on a retry: a second tap or a lost answer submits once.
      const r = await api.submit(this.data.businessType, this.data.submitKey || newKey())
      wx.redirectTo({ url: '/pages/progress/progress?id=' + r.id })
    } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
  openMore() { this.setData({ moreOpen: true }) },
  closeMore() { this.setData({ moreOpen: false }) },
  onMore(e) {
    const entry = e.currentTarget.dataset.entry
    this.setData({ moreOpen: false })
    if (entry === '联系电话') { api.contacts().then((c) => c[0] && wx.makePhoneCall({ phoneNumber: c[0].phone })) }
    else if (MORE[entry]) wx.navigateTo({ url: MORE[entry] })
  },
})
