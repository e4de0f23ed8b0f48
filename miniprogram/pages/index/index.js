const { token } = require('../../utils/request')
const page = require('../../utils/page')
page({
  data: {},
  openEngineer() {
    // 首次使用时，请先设置“头像”和“昵称”（图 2）。
    wx.navigateTo({ url: token('profile') ? '/pages/catalogue/catalogue' : '/pages/profile/profile' })
  },
  // 我的证照 needs the applicant signed in (人脸识别); otherwise the way in starts at the check (图5).
  openCertificates() {
    if (token('access') || token('refresh')) wx.navigateTo({ url: '/pages/certificates/certificates' })
    else wx.navigateTo({ url: token('profile') ? '/pages/check/check' : '/pages/profile/profile' })
  },
})
