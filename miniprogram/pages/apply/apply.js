const { api, askSubscriptions, fieldMessages, newKey } = require('../../utils/request')
const { sections, slots, typeLabel } = require('../../utils/form')
const page = require('../../utils/page')
const CONDITIONS = [
  '（一）不具有完全民事行为能力的；',
  '（二）刑事处罚尚未执行完毕或者因从事工程监理或者相关业务受到刑事处罚，自刑事处罚执行完毕之日起至申请注册之日止不满2年的；',
  '（三）未达到监理工程师继续教育要求的；',
  '（四）在两个或者两个以上单位申请注册的；',
  '（五）年龄超过65周岁的；',
  '（六）法律、法规规定不予注册的其他情形。',
]
const MORE = { 信息修改: null, 进度查询: '/pages/progress-query/progress-query', 操作手册: null, 常见问题: null, 联系电话: null }
const BUSINESS_TYPE_KEY = 'jl_business_type'

page({
  data: {
    step: 1, businessType: 'initial', typeLabel: '初始注册', conditions: CONDITIONS, checked: CONDITIONS.map(() => false),
    all: false, data: {}, errors: {}, sections: [], slots: [], moreOpen: false, moreEntries: Object.keys(MORE), submitKey: '',
  },
  onLoad(query) {
    // The business type chosen on the item page (图4), kept across 身份验证 and 人脸识别.
    const type = (query && query.type) || wx.getStorageSync(BUSINESS_TYPE_KEY) || 'initial'
    this.setData({ businessType: type, typeLabel: typeLabel(type) })
  },
  toggle(e) {
    const checked = this.data.checked.slice()
    checked[e.currentTarget.dataset.index] = !checked[e.currentTarget.dataset.index]
    this.setData({ checked, all: checked.every(Boolean) })
  },
  toggleAll() { const all = !this.data.all; this.setData({ all, checked: CONDITIONS.map(() => all) }) },
  async toInfo() {
    if (!this.data.all) { this.setData({ errors: { conditions: '请逐条确认并勾选全选' } }); return }
    try {
      const [form, draft] = await Promise.all([api.form(this.data.businessType), api.draft(this.data.businessType)])
      this.form = form
      this.show(draft, {})
      this.setData({ step: 2 })
    } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
  // Lay the form out again from the draft the server answered with (what applies depends on what is entered).
  show(draft, errors) {
    this.draft = draft
    const data = Object.assign({}, draft.data, this.unsaved || {})
    this.setData({ data, errors, sections: sections(this.form, draft, data, errors), slots: slots(this.form, draft, errors) })
  },
  relayout() {
    this.setData({ sections: sections(this.form, this.draft, this.data.data, this.data.errors) })
  },
  set(field, value, save) {
    this.unsaved = Object.assign(this.unsaved || {}, { [field]: value })
    const errors = Object.assign({}, this.data.errors, { [field]: '' })
    this.setData({ ['data.' + field]: value, errors })
    if (save) return this.save()
    return undefined
  },
  // Choices decide which fields apply (变更事项, 更换原因, 职称): saved at once, so nothing typed is lost.
  // What the form has fields for (a draft may also keep what the server prefilled for its own use).
  typed() {
    const out = {}
    for (const f of this.form.fields) if (f.name in this.data.data) out[f.name] = this.data.data[f.name]
    return out
  },
  // An error answer: messages at their fields, and the message itself on top when a field is not on the page.
  fail(e) {
    const errors = fieldMessages(e)
    const shown = new Set(this.data.sections.flatMap((s) => s.fields.map((f) => f.name)).concat(this.data.slots.map((s) => s.name)))
    if (Object.keys(errors).some((k) => k && !shown.has(k.split('-')[0]))) errors[''] = e.message
    this.setData({ errors })
    if (this.form) this.relayout()
  },
  async save() {
    try {
      const draft = await api.draftUpdate(this.data.businessType, 2, this.typed())
      this.unsaved = {}
      this.show(draft, this.data.errors)
    } catch (e) { this.fail(e) }
  },
  onInput(e) { this.set(e.currentTarget.dataset.field, e.detail.value, false) },
  onDate(e) { this.set(e.currentTarget.dataset.field, e.detail.value, true) },
  onPick(e) {
    const field = this.form.fields.find((f) => f.name === e.currentTarget.dataset.field)
    const option = field.options[Number(e.detail.value)]
    return this.set(field.name, option ? option[0] : '', true)
  },
  onMulti(e) {
    const field = this.form.fields.find((f) => f.name === e.currentTarget.dataset.field)
    const values = e.detail.value
    if (field.max_choices && values.length > field.max_choices) {
      this.setData({ errors: Object.assign({}, this.data.errors, { [field.name]: field.hint || `最多选择${field.max_choices}项` }) })
      this.relayout()
      return undefined
    }
    return this.set(field.name, values, true)
  },
  rows(field) { return (this.data.data[field] || [{}]).map((r) => Object.assign({}, r)) },
  onCell(e) {
    const { field, row, column } = e.currentTarget.dataset
    const rows = this.rows(field)
    rows[row][column] = e.detail.value
    this.set(field, rows, false)
    if (e.type === 'change') this.relayout() // a date picker: show the chosen date
  },
  addRow(e) { const rows = this.rows(e.currentTarget.dataset.field); rows.push({}); this.set(e.currentTarget.dataset.field, rows, false); this.relayout() },
  removeRow(e) {
    const rows = this.rows(e.currentTarget.dataset.field)
    rows.splice(e.currentTarget.dataset.row, 1)
    this.set(e.currentTarget.dataset.field, rows.length ? rows : [{}], false)
    this.relayout()
  },
  // Attachments: wx.chooseMessageFile (a file from a chat), then wx.uploadFile with the bearer token.
  attach(e) {
    const slot = e.currentTarget.dataset.slot
    return new Promise((resolve) => wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: ['pdf', 'jpg', 'jpeg', 'png'],
      success: async (r) => {
        try {
          await api.attach(this.data.businessType, slot, r.tempFiles[0].path)
          const draft = await api.draftRead(this.data.businessType)
          this.show(draft, Object.assign({}, this.data.errors, { [slot]: '' }))
        } catch (err) {
          const message = (err.fields && (err.fields.file || err.fields[slot])) || err.message
          this.show(this.draft, Object.assign({}, this.data.errors, { [slot]: message }))
        }
        resolve(undefined)
      },
      fail: () => resolve(undefined),
    }))
  },
  async toNotice() {
    try {
      const draft = await api.draftUpdate(this.data.businessType, 2, this.typed())
      this.unsaved = {}
      const errors = Object.assign({}, draft.errors, draft.missing_attachments)
      if (Object.keys(errors).length) { this.show(draft, Object.assign(errors, { '': '请检查填写的信息。' })); return }
      this.show(draft, {})
      this.setData({ step: 3, submitKey: newKey() })
    } catch (e) { this.fail(e) }
  },
  async submit() {
    await askSubscriptions() // 办理进度提醒 (订阅消息) beside SMS, if the user allows
    try {
      // The same key on a retry: a second tap or a lost answer submits once.
      const r = await api.submit(this.data.businessType, this.data.submitKey || newKey())
      wx.removeStorageSync(BUSINESS_TYPE_KEY)
      wx.redirectTo({ url: '/pages/progress/progress?id=' + r.id })
    } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
  openMore() { this.setData({ moreOpen: true }) },
  closeMore() { this.setData({ moreOpen: false }) },
  onMore(e) {
    const entry = e.currentTarget.dataset.entry
    this.setData({ moreOpen: false })
    if (entry === '联系电话') { api.contacts().then((c) => c[0] && wx.makePhoneCall({ phoneNumber: c[0].number })) }
    else if (MORE[entry]) wx.navigateTo({ url: MORE[entry] })
  },
})
