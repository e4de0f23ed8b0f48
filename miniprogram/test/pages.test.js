// Every page of app.json rendered by miniprogram-simulate (j-component), in the seed's order, with its labels.
const path = require('path')
const simulate = require('miniprogram-simulate')
const { createWx } = require('./wx-shim')
const { installPage } = require('./page-shim')
const app = require('../app.json')

installPage()

const LABELS = {
  'pages/index/index': ['监理工程师', '本服务由住房和城乡建设部提供'],
  'pages/profile/profile': ['头像', '昵称', '确定'],
  'pages/catalogue/catalogue': ['监理工程师执业资格认定（根据实际情况选择要办理的注册业务）'],
  'pages/item/item': ['在线办理', '11100000000013338W1000117040000'],
  'pages/check/check': ['姓名', '身份证号码', '确定'],
  'pages/register/register': ['用户注册', '手机号码', '获取验证码', '注册'],
  'pages/face/face': ['人脸识别功能验证你的身份信息', '《个人信息处理规则》', '下一步'],
  'pages/apply/apply': ['申报须知', '申报信息', '申报告知', '注册须知', '(六) 法律、法规规定不予注册的其他情形。', '全选', '更多'],
  'pages/progress-query/progress-query': ['姓名', '证件号码', '业务类型', '初始注册', '查询'],
  'pages/progress/progress': ['● 未进行', '● 正在进行', '● 未通过', '● 已完成'],
}

const loaded = {}
function render(page) {
  // A component is registered once per path; render it as often as needed.
  loaded[page] = loaded[page] || simulate.load(path.join(__dirname, '..', page), { rootPath: path.join(__dirname, '..') })
  const comp = simulate.render(loaded[page])
  comp.attach(document.createElement('parent-wrapper'))
  return comp
}

beforeEach(() => { global.wx = createWx() })

test('app.json lists the seed screens in order and every page has a label test', () => {
  expect(app.pages).toEqual(Object.keys(LABELS))
})

test.each(Object.entries(LABELS))('%s renders its labels', (page, labels) => {
  const comp = render(page)
  const text = comp.dom.textContent
  for (const label of labels) expect(text).toContain(label)
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
