// Large-text mode (适老化): follows the font size set in WeChat (fontSizeSetting, 16 by default; 17 and above
// is the system's large text). wx.getAppBaseInfo where the base library has it, else wx.getSystemInfoSync.
function fontSize() {
  try {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : wx.getSystemInfoSync()
    return Number(info.fontSizeSetting) || 16
  } catch (e) {
    return 16
  }
}

function largeText() { return fontSize() > 17 }

module.exports = { fontSize, largeText }
