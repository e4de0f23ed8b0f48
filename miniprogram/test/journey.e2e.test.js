// The seed's journey through utils/request.js and a `wx` shim to a real Jianli server started here (python -m
// jianli serve, fresh SQLite, the fake face provider): check → 用户注册 → 人脸识别 → 申报 → the employer reports and
// the reviewer approves through the API → the progress page shows 已完成.
const { spawn, spawnSync } = require('child_process')
const fs = require('fs')
const http = require('http')
const net = require('net')
const os = require('os')
const path = require('path')
const { createWx } = require('./wx-shim')
const { installPage } = require('./page-shim')

const ROOT = path.join(__dirname, '..', '..')
const PY = process.env.PY ? path.resolve(ROOT, process.env.PY) : path.join(ROOT, '.venv', 'bin', 'python')

function freePort() {
  if (process.env.JIANLI_E2E_PORT) return Promise.resolve(Number(process.env.JIANLI_E2E_PORT))
  return new Promise((resolve) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)) }) })
}

function get(url) {
  return new Promise((resolve) => { http.get(url, (r) => { r.resume(); resolve(r.statusCode) }).on('error', () => resolve(0)) })
}

function call(base, method, p, key, body) {
  return new Promise((resolve, reject) => {
    const data = body ? Buffer.from(JSON.stringify(body)) : null
    const headers = { 'X-API-Key': key }
    if (data) Object.assign(headers, { 'content-type': 'application/json', 'content-length': data.length })
    const u = new URL(base + p)
    const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname, method, headers }, (r) => {
      const chunks = []
      r.on('data', (c) => chunks.push(c))
      r.on('end', () => resolve({ status: r.statusCode, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }))
    })
    req.on('error', reject)
    if (data) req.write(data)
    req.end()
  })
}

let server, base, world, work
const env = () => {
  const e = Object.assign({}, process.env, { JIANLI_VAR_DIR: work, DJANGO_SETTINGS_MODULE: 'tests.api_contract.fuzz_settings', PYTHONPATH: ROOT })
  delete e.DATABASE_URL
  return e
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'jianli-mp-'))
  const migrate = spawnSync(PY, ['-m', 'jianli', 'migrate', '--noinput', '-v', '0'], { cwd: ROOT, env: env(), encoding: 'utf8' })
  if (migrate.status !== 0) throw new Error(migrate.stderr)
  const setup = spawnSync(PY, [path.join(__dirname, 'e2e_setup.py')], { cwd: ROOT, env: env(), encoding: 'utf8' })
  if (setup.status !== 0) throw new Error(setup.stderr)
  world = JSON.parse(setup.stdout.trim().split('\n').pop())
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  server = spawn(PY, ['-m', 'jianli', 'serve', '--addr', `127.0.0.1:${port}`, '--no-worker'], { cwd: ROOT, env: env(), stdio: 'ignore' })
  for (let i = 0; i < 120 && (await get(base + '/api/openapi.json')) !== 200; i++) await new Promise((r) => setTimeout(r, 250))
  globalThis.JIANLI_BASE_URL = base
}, 90000)

afterAll(() => {
  if (server) server.kill()
  fs.rmSync(work, { recursive: true, force: true })
})

test('the seed journey from first use to 已完成', async () => {
  global.wx = createWx({ messageFile: path.join(work, 'material.pdf') })
  const { api, token, fieldMessages } = require('../utils/request')
  // 图2 first use, 图5 the check: not found → 用户注册.
  await api.profileCreate('周工')
  const check = await api.check(world.name, world.id_number)
  expect(check).toMatchObject({ found: false, message: '未查询到该用户，是否前往注册？' })
  // A wrong field answers at that field.
  const wrong = await api.check(world.name, '123').catch((e) => e)
  expect(fieldMessages(wrong).id_number).toBe('身份证号码应为18位，最后一位可以是数字或X')
  // 图6 用户注册 with the SMS code (demo mode returns it), 图7 人脸识别 with the fake provider.
  const sms = await api.smsCode(world.mobile)
  await api.register({ name: world.name, id_number: world.id_number, mobile: world.mobile, sms_code: sms.demo_code, id_photo: world.id_photo })
  const started = await api.faceStart()
  expect(started.provider).toBe('fake')
  const finished = await api.faceFinish(started.id, { fields: { scenario: 'pass' } })
  expect(finished.status).toBe('passed')
  expect(token('access')).toMatch(/^jla_/)
  // An expired access token is refreshed (and the refresh token rotated) without the page noticing.
  const oldRefresh = token('refresh')
  wx.setStorageSync('jl_access_token', 'jla_expired')
  expect((await api.me()).name).toBe(world.name)
  expect(token('refresh')).not.toBe(oldRefresh)
  // 图8 申报须知 → 申报信息 (with attachments) → 申报告知 → 提交申请 (with an Idempotency-Key).
  const form = await api.form('initial')
  await api.draft('initial')
  const updated = await api.draftUpdate('initial', 2, {
    qualification_number: world.qualification_number, qualification_date: '2024-10-20', specialties: ['房屋建筑工程'],
    employer: world.employer_uscc, school: '同济大学', major: '土木工程', degree: '本科', graduation_date: '2008-07-01',
    title: '工程师', work_history: [{ start: '2008-07-01', end: '', employer: '某建设公司', position: '监理员' }],
    projects: [{ name: '某住宅小区', role: '专业监理工程师', year: '2019' }],
  })
  expect(updated.errors).toEqual({})
  const pdf = path.join(work, 'material.pdf')
  fs.writeFileSync(pdf, Buffer.from(world.pdf, 'base64'))
  for (const slot of form.slots.filter((s) => s.required && s.name in updated.missing_attachments)) {
    await api.attach('initial', slot.name, pdf)
  }
  const submitted = await api.submit('initial', 'mp-journey-1')
  const again = await api.submit('initial', 'mp-journey-1')
  expect(again.id).toBe(submitted.id)
  expect(submitted.state_label).toBe('待企业上报')
  const submitRequest = wx.calls.requests.find((r) => r.path.endsWith('/submit'))
  expect(submitRequest.header['Idempotency-Key']).toBe('mp-journey-1')
  // The employer reports and the reviewer approves, through the API with their keys.
  expect((await call(base, 'POST', `/api/v1/employer/applications/${submitted.id}/report`, world.employer_key)).body.state).toBe('awaiting_review')
  expect((await call(base, 'POST', `/api/v1/review/applications/${submitted.id}/claim`, world.reviewer_key)).status).toBe(200)
  const decided = await call(base, 'POST', `/api/v1/review/applications/${submitted.id}/decision`, world.reviewer_key, { decision: 'approve', comment: '符合条件' })
  expect(decided.body.state_label).toBe('准予注册')
  // 图10–12: 进度查询 then the progress page.
  const progress = await api.progress(world.name, world.id_number, 'initial')
  expect(progress.applications[0].timeline.map((s) => s.node_label)).toEqual(['已完成', '已完成', '已完成', '已完成'])
  const detail = await api.application(submitted.id)
  expect(detail.may_withdraw).toBe(false)
  const simulate = require('miniprogram-simulate')
  installPage()
  const ids = {}
  const render = (name) => {
    ids[name] = ids[name] || simulate.load(path.join(__dirname, '..', name), { rootPath: path.join(__dirname, '..') })
    const comp = simulate.render(ids[name])
    comp.attach(document.createElement('parent-wrapper'))
    return comp
  }
  const page = render('pages/progress/progress')
  await page.instance.onLoad({ id: String(submitted.id) })
  await simulate.sleep(0)
  expect(page.dom.textContent).toContain('经办企业: 北京华建工程监理有限公司')
  expect(page.dom.textContent).toContain('部级审核')
  expect(page.dom.textContent).toContain('已完成')
  expect(page.dom.textContent).not.toContain('撤回业务')
  // 我的证照 after approval: the certificate the decision issued, its PDF saved and opened with wx.openDocument.
  const certificates = render('pages/certificates/certificates')
  await certificates.instance.onLoad({})
  await simulate.sleep(0)
  const certificate = certificates.instance.data.certificates[0]
  expect(certificates.instance.data.certificates).toHaveLength(1)
  for (const text of [world.name, certificate.number, '有效', '房屋建筑工程', '北京华建工程监理有限公司', '查看电子证书']) {
    expect(certificates.dom.textContent).toContain(text)
  }
  await certificates.instance.open({ currentTarget: { dataset: { number: certificate.number } } })
  expect(wx.calls.documents.map((d) => d.fileType)).toEqual(['pdf'])
  expect(fs.readFileSync(wx.calls.documents[0].filePath).subarray(0, 5).toString()).toBe('%PDF-')
  // The four other business types through the 申报信息 page, on the server's forms and drafts: an empty form is
  // answered with messages at its fields; a choice brings in the fields and materials it needs.
  const FIRST = { renewal: ['延续注册', 'ce_compulsory_hours'], change: ['变更注册', 'change_items'],
    cancellation: ['注销注册', 'cancellation_reason'], replacement: ['证书更换', 'replacement_reason'] }
  const applyPages = {}
  for (const [type, [label, first]] of Object.entries(FIRST)) {
    const apply = applyPages[type] = render('pages/apply/apply')
    apply.instance.onLoad({ type })
    apply.instance.toggleAll()
    await apply.instance.toInfo()
    await apply.instance.toNotice()
    await simulate.sleep(0)
    expect([type, apply.instance.data.step]).toEqual([type, 2])
    expect(apply.dom.textContent).toContain(`监理工程师执业资格认定(${label})`)
    expect(apply.dom.textContent).toContain('请检查填写的信息。')
    expect(apply.instance.data.errors[first]).toBeTruthy()
    expect(apply.querySelector('.item-' + first).dom.textContent).toContain(apply.instance.data.errors[first])
  }
  const change = applyPages.change
  expect(change.dom.textContent).not.toContain('新聘用单位')
  await change.instance.onMulti({ currentTarget: { dataset: { field: 'change_items' } }, detail: { value: ['employer'] } })
  await simulate.sleep(0)
  for (const text of ['新聘用单位', '与原聘用单位解除劳动关系日期', '与新聘用单位签订的劳动合同']) expect(change.dom.textContent).toContain(text)
  expect(change.dom.textContent).not.toContain('变更后的注册专业')
  const replacement = applyPages.replacement
  await replacement.instance.onPick({ currentTarget: { dataset: { field: 'replacement_reason' } }, detail: { value: '0' } })
  await simulate.sleep(0)
  expect(replacement.dom.textContent).toContain('遗失声明')
  expect(replacement.dom.textContent).not.toContain('污损证书扫描件')
  // wx.chooseMessageFile → wx.uploadFile with the bearer token: the material is on the draft.
  await replacement.instance.attach({ currentTarget: { dataset: { slot: 'loss_statement' } } })
  await simulate.sleep(0)
  expect(replacement.querySelector('.slot-loss_statement').dom.textContent).toContain('已上传 material.pdf')
  expect((await api.draftRead('replacement')).missing_attachments).toEqual({})
  // Errors on unknown paths are in the one shape too.
  const missing = await require('../utils/request').request('GET', 'no-such-thing').catch((e) => e)
  expect([missing.status, missing.code]).toEqual([404, 'not_found'])
}, 120000)
