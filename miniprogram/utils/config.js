// Where the Jianli server is; the e2e test sets globalThis.JIANLI_BASE_URL.
module.exports = {
  // 订阅消息 template ids (办理进度提醒), as set in JIANLI_WECHAT_TEMPLATE_PROGRESS on the server.
  templateIds: [],
  baseUrl: (typeof globalThis !== 'undefined' && globalThis.JIANLI_BASE_URL) || 'https://jianli.example.gov.cn' }
