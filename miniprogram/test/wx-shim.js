// A `wx` for Node: storage in memory, wx.request over Node's http (to a real server), navigation recorded,
// wx.login answering with codes the test provides. Only what the mini program calls.
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')

function send(url, method, body, header, done, fail) {
  const u = new URL(url)
  const headers = Object.assign({}, header)
  if (body) headers['content-length'] = body.length
  const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method, headers }, (res) => {
    const chunks = []
    res.on('data', (c) => chunks.push(c))
    res.on('end', () => done({ statusCode: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }))
  })
  req.on('error', (e) => fail && fail({ errMsg: 'request:fail ' + e.message }))
  if (body) req.write(body)
  req.end()
}

function createWx(options) {
  const store = new Map()
  const calls = { navigate: [], requests: [], documents: [] }
  const opts = Object.assign({ loginCode: () => 'code', fontSizeSetting: 16, messageFile: null }, options || {})
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'wx-user-'))
  const wx = {
    calls,
    getStorageSync: (k) => (store.has(k) ? store.get(k) : ''),
    setStorageSync: (k, v) => { store.set(k, v) },
    removeStorageSync: (k) => { store.delete(k) },
    env: { USER_DATA_PATH: userData },
    getSystemInfoSync: () => ({ fontSizeSetting: opts.fontSizeSetting, windowWidth: 375, windowHeight: 667 }),
    getAppBaseInfo: () => ({ fontSizeSetting: opts.fontSizeSetting, SDKVersion: '3.4.0' }),
    getFileSystemManager: () => ({
      writeFile({ filePath, data, encoding, success, fail }) {
        try { fs.writeFileSync(filePath, Buffer.from(data, encoding || 'utf8')); success && success({}) } catch (e) { fail && fail({ errMsg: e.message }) }
      },
      readFileSync: (p, encoding) => fs.readFileSync(p, encoding),
    }),
    openDocument: ({ filePath, fileType }) => calls.documents.push({ filePath, fileType }),
    login: ({ success }) => success({ code: opts.loginCode() }),
    navigateTo: ({ url }) => calls.navigate.push(url),
    redirectTo: ({ url }) => calls.navigate.push(url),
    makePhoneCall: () => {},
    chooseMessageFile: ({ success, fail }) => (opts.messageFile ? success({ tempFiles: [{ path: opts.messageFile, name: path.basename(opts.messageFile) }] }) : fail && fail({ errMsg: 'chooseMessageFile:fail cancel' })),
    chooseMedia: () => {},
    startFacialRecognitionVerify: ({ fail }) => fail && fail({ errMsg: 'not in WeChat' }),
    uploadFile({ url, filePath, name, header, success, fail }) {
      const boundary = '----jianli' + Date.now()
      const file = fs.readFileSync(filePath)
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${path.basename(filePath)}"\r\n` +
        'Content-Type: application/pdf\r\n\r\n')
      const body = Buffer.concat([head, file, Buffer.from(`\r\n--${boundary}--\r\n`)])
      send(url, 'POST', body, Object.assign({ 'content-type': 'multipart/form-data; boundary=' + boundary }, header),
        (res) => success({ statusCode: res.statusCode, data: res.text }), fail)
    },
    request({ url, method, data, header, success, fail }) {
      const body = data === undefined || method === 'GET' ? null : Buffer.from(JSON.stringify(data))
      calls.requests.push({ method, path: new URL(url).pathname, header })
      send(url, method || 'GET', body, header, (res) => {
        let parsed = res.text
        try { parsed = JSON.parse(res.text) } catch (e) { /* not JSON: wx.request gives the string */ }
        success({ statusCode: res.statusCode, data: parsed, header: res.headers })
      }, fail)
    },
  }
  return wx
}

module.exports = { createWx }
