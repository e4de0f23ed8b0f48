// Every page of app.json rendered by miniprogram-simulate (j-component), in the seed's order, with its labels;
// large-text mode; the five business types' 申报信息 forms as the API describes them, with messages at fields.
const path = require('path')
const { spawnSync } = require('child_process')
const simulate = require('miniprogram-simulate')
const { createWx } = require('./wx-shim')
const { installPage } = require('./page-shim')
const app = require('../app.json')

installPage()

const ROOT = path.join(__dirname, '..', '..')
const PY = process.env.PY ? path.resolve(ROOT, process.env.PY) : path.join(ROOT, '.venv', 'bin', 'python')

const LABELS = {
  'pages/index/index': ['监理工程师', '我的证照', '本服务由住房和城乡建设部提供'],
  'pages/profile/profile': ['头像', '昵称', '确定'],
  'pages/catalogue/catalogue': ['监理工程师执业资格认定（根据实际情况选择要办理的注册业务）'],
  'pages/item/item': ['在线办理', '11100000000013338W1000117040000', '业务类型', '初始注册'],
  'pages/check/check': ['姓名', '身份证号码', '确定'],
  'pages/register/register': ['用户注册', '手机号码', '获取验证码', '注册'],
  'pages/face/face': ['人脸识别功能验证你的身份信息', '《个人信息处理规则》', '下一步'],
  'pages/apply/apply': ['申报须知', '申报信息', '申报告知', '注册须知', '（六）法律、法规规定不予注册的其他情形。', '全选', '更多'],
  'pages/progress-query/progress-query': ['姓名', '证件号码', '业务类型', '初始注册', '查询'],
  'pages/progress/progress': ['● 未进行', '● 正在进行', '● 未通过', '● 已完成'],
  'pages/certificates/certificates': ['我的证照', '监理工程师注册证书（电子证书）'],
}

const loaded = {}
function render(page) {
  // A component is registered once per path; render it as often as needed.
  loaded[page] = loaded[page] || simulate.load(path.join(__dirname, '..', page), { rootPath: path.join(__dirname, '..') })
  const comp = simulate.render(loaded[page])
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

let forms
beforeAll(() => {
  const r = spawnSync(PY, [path.join(__dirname, 'forms.py')], { cwd: ROOT, encoding: 'utf8', env: Object.assign({}, process.env, { PYTHONPATH: ROOT }) })
  if (r.status !== 0) throw new Error(r.stderr)
  forms = JSON.parse(r.stdout)
}, 120000)

beforeEach(() => { global.wx = createWx() })

test('app.json lists the seed screens in order, then 我的证照, and every page has a label test', () => {
  expect(app.pages).toEqual(Object.keys(LABELS))
})

test.each(Object.entries(LABELS))('%s renders its labels', (page, labels) => {
  const comp = render(page)
  const text = comp.dom.textContent
  for (const label of labels) expect(text).toContain(label)
})

test.each(Object.keys(LABELS))('%s follows the system font size (large text at 18 and above)', async (page) => {
  global.wx = createWx({ fontSizeSetting: 20 })
  const large = render(page)
  await large.instance.onLoad({})
  await simulate.sleep(0)
  expect(large.querySelector('.root').dom.className).toContain('large')
  global.wx = createWx({ fontSizeSetting: 16 })
  delete global.wx.getAppBaseInfo // an older base library: wx.getSystemInfoSync
  const normal = render(page)
  await normal.instance.onLoad({})
  await simulate.sleep(0)
  expect(normal.querySelector('.root').dom.className).not.toContain('large')
})

test('the check dialog asks to register, 全选 ticks all six, 更多 opens its entries', async () => {
  const check = render('pages/check/check')
  check.instance.setData({ askRegister: true })
  await simulate.sleep(0)
  expect(check.dom.textContent).toContain('未查询到该用户，是否前往注册？')

  const apply = render('pages/apply/apply')
  apply.instance.toggleAll()
  expect(apply.instance.data.checked).toEqual([true, true, true, true, true, true])
  apply.instance.openMore()
  await simulate.sleep(0)
  for (const entry of ['信息修改', '进度查询', '操作手册', '常见问题', '联系电话', '收起']) {
    expect(apply.dom.textContent).toContain(entry)
  }
})

test('a field error from the API shows at its field', async () => {
  const check = render('pages/check/check')
  check.instance.setData({ errors: { id_number: '身份证号码应为18位，最后一位可以是数字或X' } })
  await simulate.sleep(0)
  expect(check.dom.innerHTML).toContain('身份证号码应为18位')
})

test('the item page keeps the chosen business type for the way in', () => {
  const item = render('pages/item/item')
  item.instance.onType({ detail: { value: '4' } })
  item.instance.start()
  expect(wx.getStorageSync('jl_business_type')).toBe('replacement')
  expect(wx.calls.navigate).toEqual(['/pages/check/check'])
  const apply = render('pages/apply/apply')
  apply.instance.onLoad({})
  expect(apply.instance.data.typeLabel).toBe('证书更换')
})

const TYPE_LABELS = { initial: '初始注册', renewal: '延续注册', change: '变更注册', cancellation: '注销注册', replacement: '证书更换' }

test.each(Object.keys(TYPE_LABELS))('申报信息 for %s shows every field and material of its form', async (type) => {
  const apply = render('pages/apply/apply')
  apply.instance.onLoad({ type })
  apply.instance.form = forms[type]
  apply.instance.show({ data: {}, attachments: [] }, {})
  apply.instance.setData({ step: 2 })
  await simulate.sleep(0)
  const text = apply.dom.textContent
  expect(text).toContain(`监理工程师执业资格认定(${TYPE_LABELS[type]})`)
  expect(forms[type].fields.length).toBeGreaterThan(0)
  for (const f of forms[type].fields) {
    expect(text).toContain(f.label)
    for (const c of f.columns) expect(text).toContain(c.label)
  }
  for (const s of forms[type].slots) expect(text).toContain(s.label)
})

test('only what applies is shown, and the draft\'s messages land at their field, row cell and material', async () => {
  const apply = render('pages/apply/apply')
  apply.instance.onLoad({ type: 'initial' })
  apply.instance.form = forms.initial
  const applicable = ['qualification_number', 'title', 'work_history', 'id_card']
  apply.instance.show({ data: { title: '无', work_history: [{ start: '2008-07-01' }] }, attachments: [], applicable }, {
    qualification_number: '请填写资格证书编号', 'work_history-0-employer': '请填写工作单位', id_card: '请上传身份证（正反面，一个文件）',
  })
  apply.instance.setData({ step: 2 })
  await simulate.sleep(0)
  expect(apply.dom.textContent).not.toContain('职称证书编号')
  expect(apply.dom.textContent).not.toContain('与聘用单位签订的劳动合同')
  expect(apply.querySelector('.item-qualification_number').dom.textContent).toContain('请填写资格证书编号')
  expect(apply.querySelector('.item-work_history').dom.textContent).toContain('请填写工作单位')
  expect(apply.querySelector('.item-work_history').dom.textContent).toContain('2008-07-01')
  expect(apply.querySelector('.slot-id_card').dom.textContent).toContain('请上传身份证')
  // 注册专业 allows two: a third is refused at the field, and nothing chosen is lost.
  apply.instance.show({ data: { specialties: ['房屋建筑工程', '市政公用工程'] }, attachments: [] }, {})
  apply.instance.onMulti({ currentTarget: { dataset: { field: 'specialties' } }, detail: { value: ['房屋建筑工程', '市政公用工程', '公路工程'] } })
  await simulate.sleep(0)
  expect(apply.instance.data.data.specialties).toEqual(['房屋建筑工程', '市政公用工程'])
  expect(apply.querySelector('.item-specialties').dom.textContent).toContain('最多选择两个')
  // Rows grow and shrink; typed cells stay.
  apply.instance.onCell({ type: 'input', currentTarget: { dataset: { field: 'projects', row: 0, column: 'name' } }, detail: { value: '某住宅小区' } })
  apply.instance.addRow({ currentTarget: { dataset: { field: 'projects' } } })
  expect(apply.instance.data.data.projects).toEqual([{ name: '某住宅小区' }, {}])
  apply.instance.removeRow({ currentTarget: { dataset: { field: 'projects', row: 1 } } })
  expect(apply.instance.data.data.projects).toEqual([{ name: '某住宅小区' }])
})

test('我的证照 lists the certificates, or says there are none yet', async () => {
  const page = render('pages/certificates/certificates')
  page.instance.setData({ loaded: true, certificates: [] })
  await simulate.sleep(0)
  expect(page.dom.textContent).toContain('暂无电子证照')
  page.instance.setData({ certificates: [{
    number: 'JLZ20260000001024', issued_on: '2026-04-02', status: 'valid', status_label: '有效', valid: true, specialties: '房屋建筑工程',
    registration: { name: '周杰', registration_number: '11006061', employer: '北京华建工程监理有限公司', valid_from: '2026-04-02', valid_until: '2029-04-01' },
  }] })
  await simulate.sleep(0)
  for (const text of ['证书编号', 'JLZ20260000001024', '注册号', '11006061', '房屋建筑工程', '2026-04-02 至 2029-04-01', '查看电子证书']) {
    expect(page.dom.textContent).toContain(text)
  }
  expect(page.dom.textContent).not.toContain('暂无电子证照')
})
