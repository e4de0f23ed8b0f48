// The one request module: bearer tokens, refresh rotation, Idempotency-Key on submit, the error shape
// ({code, message, fields}) mapped to field messages. Platform sign-in goes through `login()`: each platform is
// one entry in PLATFORMS (how to get a login code, where the server exchanges it), as on the server
// (jianli/api/platforms.py SIGN_INS); Alipay adds
//   alipay: { getCode: () => new Promise((resolve, reject) => my.getAuthCode({ scopes: 'auth_base',
//     success: (r) => resolve(r.authCode), fail: reject })), path: '/api/v1/alipay/session' },
// and `currentPlatform()` picks it where `my` is the global.
const config = require('./config')

const KEYS = { profile: 'jl_profile_token', pending: 'jl_pending_token', access: 'jl_access_token', refresh: 'jl_refresh_token' }

const PLATFORMS = {
  wechat: { getCode: () => new Promise((resolve, reject) => wx.login({ success: (r) => resolve(r.code), fail: reject })), path: '/api/v1/wechat/session' },
}

function currentPlatform() {
  return typeof my !== 'undefined' && typeof wx === 'undefined' ? 'alipay' : 'wechat'
}

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || '网络异常，请稍后再试。')
    this.status = status
    this.code = (body && body.code) || 'network'
    this.fields = (body && body.fields) || {}
  }
}

function baseUrl() {
  return (globalThis.JIANLI_BASE_URL || config.baseUrl).replace(/\/$/, '')
}

function token(kind) { return wx.getStorageSync(KEYS[kind]) || '' }
function setToken(kind, value) { if (value) wx.setStorageSync(KEYS[kind], value); else wx.removeStorageSync(KEYS[kind]) }
function setTokens(pair) { setToken('access', pair.access_token); setToken('refresh', pair.refresh_token); setToken('pending', '') }

function newKey() {
  let s = ''
  for (let i = 0; i < 32; i++) s += '0123456789abcdef'[Math.floor(Math.random() * 16)]
  return s
}

function raw(method, path, data, headers) {
  return new Promise((resolve, reject) => {
    wx.request({
      url: baseUrl() + path,
      method,
      data,
      header: Object.assign({ 'content-type': 'application/json' }, headers || {}),
      success: (res) => resolve(res),
      fail: () => reject(new ApiError(0, null)),
    })
  })
}

let refreshing = null
// One refresh at a time: the refresh token rotates, so a second concurrent use would be a reuse.
function refresh() {
  if (!refreshing) {
    const current = token('refresh')
    refreshing = raw('POST', '/api/v1/tokens/refresh', { refresh_token: current })
      .then((res) => {
        if (res.statusCode !== 200) { setToken('access', ''); setToken('refresh', ''); throw new ApiError(res.statusCode, res.data) }
        setTokens(res.data)
        return res.data.access_token
      })
      .finally(() => { refreshing = null })
  }
  return refreshing
}

// auth: 'access' (default), 'profile', 'pending', or null; idempotent: send an Idempotency-Key (submit).
async function request(method, path, data, options) {
  const opts = Object.assign({ auth: 'access' }, options || {})
  const headers = {}
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey
  if (opts.auth) headers.Authorization = 'Bearer ' + token(opts.auth)
  let res = await raw(method, '/api/v1/' + path.replace(/^\//, ''), data, headers)
  if (res.statusCode === 401 && opts.auth === 'access' && token('refresh')) {
    headers.Authorization = 'Bearer ' + (await refresh())
    res = await raw(method, '/api/v1/' + path.replace(/^\//, ''), data, headers)
  }
  if (res.statusCode >= 400) throw new ApiError(res.statusCode, res.data)
  return res.data
}

// Attachments (wx.chooseMessageFile gives the path): multipart field `file`, with the bearer token.
function upload(path, filePath) {
  const send = () => new Promise((resolve, reject) => {
    wx.uploadFile({
      url: baseUrl() + '/api/v1/' + path,
      filePath,
      name: 'file',
      header: { Authorization: 'Bearer ' + token('access') },
      success: (res) => resolve(res),
      fail: () => reject(new ApiError(0, null)),
    })
  })
  return send().then(async (res) => {
    if (res.statusCode === 401 && token('refresh')) { await refresh(); res = await send() }
    const body = typeof res.data === 'string' ? JSON.parse(res.data || '{}') : res.data
    if (res.statusCode >= 400) throw new ApiError(res.statusCode, body)
    return body
  })
}

// Field messages for a form: {field: message}, plus '' for the message that belongs to no field.
function fieldMessages(error) {
  const out = Object.assign({}, error.fields || {})
  if (!Object.keys(out).length) out[''] = error.message
  return out
}

// Ask for 订阅消息 (one message per accept) and record the answers per template; SMS remains if refused.
function askSubscriptions() {
  const ids = config.templateIds || []
  if (!ids.length || !wx.requestSubscribeMessage) return Promise.resolve(null)
  return new Promise((resolve) => wx.requestSubscribeMessage({
    tmplIds: ids,
    success: (r) => {
      /** @type {Record<string, 'accept' | 'reject' | 'ban'>} */
      const answers = {}
      ids.forEach((id) => { if (r[id]) answers[id] = r[id] })
      resolve(api.subscriptions(answers).catch(() => null))
    },
    fail: () => resolve(null),
  }))
}

async function login(platform) {
  const p = PLATFORMS[platform || currentPlatform()]
  if (!p) throw new ApiError(0, { code: 'platform', message: '暂不支持在此平台登录。' })
  const code = await p.getCode()
  const res = await raw('POST', p.path, { code }, { Authorization: 'Bearer ' + token('profile') })
  if (res.statusCode >= 400) throw new ApiError(res.statusCode, res.data)
  return res.data
}

/**
 * The answers' shapes come from the API's OpenAPI description (types/api.d.ts, openapi-typescript; `npm run types`).
 * @typedef {import('../types/api').components['schemas']} S
 */

const api = {
  /** @type {(nickname: string, avatar?: string) => Promise<S['ProfileCreatedOut']>} */
  profileCreate: (nickname, avatar) => request('POST', 'profile', avatar ? { nickname, avatar } : { nickname }, { auth: null })
    .then((r) => { setToken('profile', r.profile_token); return r }),
  /** @type {(name: string, id_number: string) => Promise<S['CheckOut']>} */
  check: (name, id_number) => request('POST', 'applicants/check', { name, id_number }, { auth: 'profile' })
    .then((r) => { if (r.found) setToken('pending', r.pending_token); return r }),
  /** @type {(mobile: string) => Promise<S['SmsCodeOut']>} */
  smsCode: (mobile) => request('POST', 'sms-codes', { mobile }, { auth: 'profile' }),
  /** @type {(form: S['RegisterIn']) => Promise<S['PendingOut']>} */
  register: (form) => request('POST', 'applicants', form, { auth: 'profile' })
    .then((r) => { setToken('pending', r.pending_token); return r }),
  /** @type {() => Promise<S['FaceStartOut']>} */
  faceStart: () => request('POST', 'face-verifications', { consent: true }, { auth: 'pending' }),
  /** @type {(id: string, payload?: S['FaceFinishIn']) => Promise<S['FaceFinishOut']>} */
  faceFinish: (id, payload) => request('POST', 'face-verifications/' + id + '/finish', payload || {}, { auth: 'pending' })
    .then((r) => { if (r.tokens) setTokens(r.tokens); return r }),
  /** @type {() => Promise<S['MeOut']>} */
  me: () => request('GET', 'me'),
  /** @type {() => Promise<S['CatalogueOut']>} */
  catalogue: () => request('GET', 'catalogue', undefined, { auth: null }),
  /** @type {(type: S['CatalogueEntryOut']['business_type']) => Promise<S['FormOut']>} */
  form: (type) => request('GET', 'forms/' + type, undefined, { auth: null }),
  /** @type {(type: string) => Promise<S['DraftOut']>} */
  draft: (type) => request('POST', 'drafts/' + type),
  /** @type {(type: string) => Promise<S['DraftOut']>} */
  draftRead: (type) => request('GET', 'drafts/' + type),
  /** @type {(type: string, step: number, data: S['DraftSaveIn']['data']) => Promise<S['DraftOut']>} */
  draftUpdate: (type, step, data) => request('PATCH', 'drafts/' + type, { step, data }),
  /** @type {(type: string, slot: string, filePath: string) => Promise<S['AttachmentOut']>} */
  attach: (type, slot, filePath) => upload('drafts/' + type + '/attachments/' + slot, filePath),
  /** @type {(type: string, key?: string) => Promise<S['ApplicationOut']>} */
  submit: (type, key) => request('POST', 'drafts/' + type + '/submit', {}, { idempotencyKey: key || newKey() }),
  /** @type {(name: string, id_number: string, business_type: S['ProgressIn']['business_type']) => Promise<S['ProgressOut']>} */
  progress: (name, id_number, business_type) => request('POST', 'progress', { name, id_number, business_type }),
  /** @type {() => Promise<S['ApplicationOut'][]>} */
  applications: () => request('GET', 'applications'),
  /** @type {(id: number | string) => Promise<S['ApplicationDetailOut']>} */
  application: (id) => request('GET', 'applications/' + id),
  /** @type {(id: number | string, expected_state: S['WithdrawIn']['expected_state']) => Promise<S['ApplicationDetailOut']>} */
  withdraw: (id, expected_state) => request('POST', 'applications/' + id + '/withdraw', { expected_state }),
  /** @type {() => Promise<S['CertificateOut'][]>} */
  certificates: () => request('GET', 'me/certificates'),
  /** @type {(number: string) => Promise<S['CertificatePdfOut']>} */
  certificatePdf: (number) => request('GET', 'me/certificates/' + encodeURIComponent(number) + '/pdf'),
  /** @type {(answers: S['SubscriptionIn']['answers']) => Promise<S['SubscriptionOut'][]>} */
  subscriptions: (answers) => request('POST', 'wechat/subscriptions', { answers }, { auth: 'access' }),
  /** @type {() => Promise<S['ManualSectionOut'][]>} */
  manual: () => request('GET', 'manual', undefined, { auth: null }),
  /** @type {() => Promise<S['FaqOut'][]>} */
  faq: () => request('GET', 'faq', undefined, { auth: null }),
  /** @type {() => Promise<S['ContactOut'][]>} */
  contacts: () => request('GET', 'contacts', undefined, { auth: null }),
}

module.exports = { request, refresh, login, currentPlatform, upload, askSubscriptions, api, ApiError, fieldMessages, newKey, token, setToken, KEYS, PLATFORMS }
