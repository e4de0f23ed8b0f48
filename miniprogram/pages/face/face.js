const { api, fieldMessages } = require('../../utils/request')
const page = require('../../utils/page')
// WeChat face verification 2.0: the server's verify_id goes to wx.startFacialRecognitionVerify (requestFacialVerify),
// then the server pulls the result for the openid that logged in; the fake provider answers its own prompts.
function verify(started) {
  if (started.provider === 'fake') return Promise.resolve({ fields: { scenario: 'pass' } })
  return new Promise((resolve, reject) => wx.startFacialRecognitionVerify({
    verifyId: started.client.verify_id || started.token,
    success: (r) => resolve({ verify_result: r.verifyResult }),
    fail: (r) => reject(new Error((r && r.errMsg) || '人脸识别未完成')),
  }))
}
page({
  data: { consent: false, errors: {}, passed: false },
  toggle() { this.setData({ consent: !this.data.consent }) },
  async next() {
    if (!this.data.consent) { this.setData({ errors: { consent: '请勾选授权项' } }); return }
    try {
      const started = await api.faceStart()
      const result = await api.faceFinish(started.id, await verify(started))
      if (result.status !== 'passed') { this.setData({ errors: { '': [result.reason_label, result.advice].filter(Boolean).join('，') || '人脸识别未通过，请重试。' } }); return }
      this.setData({ passed: true, errors: {} })
      wx.redirectTo({ url: '/pages/apply/apply' })
    } catch (e) {
      this.setData({ errors: fieldMessages(e) })
    }
  },
})
