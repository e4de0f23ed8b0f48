// With JIANLI_MP_HTML=<dir>: every page rendered by j-component, written as a 375-wide HTML file with app.wxss
// (rpx → px at 375) for Chromium to capture (docs/miniprogram/*.png). Without it: skipped.
const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const simulate = require('miniprogram-simulate')
const { createWx } = require('./wx-shim')
const { installPage } = require('./page-shim')
const app = require('../app.json')

installPage()
const out = process.env.JIANLI_MP_HTML
const maybe = out ? test : test.skip

const STATES = {
  'pages/check/check': { askRegister: true },
  'pages/apply/apply': { all: true, checked: [true, true, true, true, true, true] },
  'pages/certificates/certificates': {
    loaded: true,
    certificates: [{
      number: 'JLZ20260000001024', issued_on: '2026-04-02', status: 'valid', status_label: '有效', valid: true, specialties: '房屋建筑工程',
      registration: { name: '周杰', registration_number: '11006061', employer: '北京华建工程监理有限公司', valid_from: '2026-04-02', valid_until: '2029-04-01' },
    }],
  },
  'pages/progress/progress': {
    application: {
      employer_name: '北京华建工程监理有限公司', state_label: '待企业上报', state: 'awaiting_employer', may_withdraw: true,
      timeline: [
        { key: 'submit', label: '提交申请', node: 'done', node_label: '已完成', day: '2023-03-21', note: '提交申请' },
        { key: 'employer', label: '企业上报', node: 'active', node_label: '正在进行', day: null, note: '' },
        { key: 'review', label: '部级审核', node: 'pending', node_label: '未进行', day: null, note: '待审查' },
        { key: 'done', label: '办结', node: 'pending', node_label: '未进行', day: null, note: '' },
      ],
    },
  },
}

function css() {
  const wxss = fs.readFileSync(path.join(__dirname, '..', 'app.wxss'), 'utf8')
    .replace(/(-?[\d.]+)rpx/g, (m, n) => `${Number(n) / 2}px`)
    .replace(/(^|\})\s*page\s*\{/g, '$1 body {')
  return 'body{margin:0;width:375px}wx-view,wx-label,wx-picker{display:block}' +
    '.nav{background:#1e5eb8;color:#fff;text-align:center;padding:12px 0;font-size:17px}' +
    'wx-input{display:block;flex:1;height:20px;border-bottom:1px dashed #ccc}.field wx-text:not(.label){color:#1e5eb8}wx-checkbox.on{background:#1e5eb8;box-shadow:inset 0 0 0 3px #fff}wx-checkbox{display:inline-block;width:14px;height:14px;border:1px solid #999;border-radius:3px;vertical-align:middle}' +
    'wx-button{display:inline-block;border:1px solid #ddd;padding:4px 10px;border-radius:4px}' + wxss
}

maybe('write every page as HTML', async () => {
  fs.mkdirSync(out, { recursive: true })
  const shots = app.pages.map((page) => [page, page.split('/')[1], STATES[page]])
  shots.push(['pages/apply/apply', 'apply-more', { moreOpen: true }]) // 图9: the 更多 sheet
  // 申报信息 of 初始注册 as the API's form describes it, part filled, with the draft's messages at their fields.
  const root = path.join(__dirname, '..', '..')
  const py = process.env.PY ? path.resolve(root, process.env.PY) : path.join(root, '.venv', 'bin', 'python')
  const forms = JSON.parse(spawnSync(py, [path.join(__dirname, 'forms.py')], { cwd: root, encoding: 'utf8', env: Object.assign({}, process.env, { PYTHONPATH: root }) }).stdout)
  shots.push(['pages/apply/apply', 'apply-info', (comp) => {
    comp.instance.form = forms.initial
    comp.instance.show({ data: { qualification_number: 'JL2024110100061', qualification_date: '2024-10-20', exam_category: '土木建筑工程',
      specialties: ['房屋建筑工程'], work_history: [{ start: '2008-07-01', employer: '某建设公司' }] }, attachments: [],
    applicable: forms.initial.fields.map((f) => f.name).filter((n) => !n.startsWith('ce_') && n !== 'title_certificate_number').concat(['id_card', 'qualification_certificate', 'labour_contract', 'title_certificate']) },
    { employer: '请填写聘用单位', 'work_history-0-position': '请填写职务/岗位', '': '请检查填写的信息。' })
    comp.instance.setData({ step: 2 })
  }])
  shots.push(['pages/apply/apply', 'apply-info-materials', (comp) => {
    comp.instance.form = forms.initial
    comp.instance.show({ data: {}, attachments: [{ slot: 'id_card', name: '身份证.pdf' }], applicable: ['id_card', 'qualification_certificate', 'labour_contract', 'title_certificate'] },
      { labour_contract: '请上传与聘用单位签订的劳动合同' })
    comp.instance.setData({ step: 2 })
  }])
  shots.push(['pages/check/check', 'check-large', { large: true }]) // the system font size at 18 or more
  const ids = {}
  for (const [page, name, state] of shots) {
    global.wx = createWx()
    ids[page] = ids[page] || simulate.load(path.join(__dirname, '..', page), { rootPath: path.join(__dirname, '..') })
    const comp = simulate.render(ids[page])
    comp.attach(document.createElement('parent-wrapper'))
    if (typeof state === 'function') state(comp)
    else if (state) comp.instance.setData(state)
    await simulate.sleep(0)
    const title = require(path.join(__dirname, '..', page + '.json')).navigationBarTitleText
    const html = `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><style>${css()}</style></head>` +
      `<body><div class="nav">${title}</div>${comp.dom.innerHTML.replace(/main--/g, '')}</body></html>`
    fs.writeFileSync(path.join(out, name + '.html'), html)
  }
})
