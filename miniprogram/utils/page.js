// Page() with what every page shares: `large` (large-text mode) in its data, read again each time it shows.
const { largeText } = require('./display')

/** @param {Record<string, any>} options */
function page(options) {
  const onLoad = options.onLoad
  const onShow = options.onShow
  return Page(Object.assign({}, options, {
    data: Object.assign({ large: largeText() }, options.data || {}),
    /** @this {any} @param {any} query */
    onLoad(query) {
      this.setData({ large: largeText() })
      return onLoad ? onLoad.call(this, query) : undefined
    },
    /** @this {any} */
    onShow() {
      if (this.data.large !== largeText()) this.setData({ large: largeText() })
      return onShow ? onShow.call(this) : undefined
    },
  }))
}

module.exports = page
