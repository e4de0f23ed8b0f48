// Where the Jianli server is; the e2e test sets globalThis.JIANLI_BASE_URL.
module.exports = { baseUrl: (typeof globalThis !== 'undefined' && globalThis.JIANLI_BASE_URL) || 'https://jianli.example.gov.cn' }
