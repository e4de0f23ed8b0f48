// miniprogram-simulate renders custom components; a page is one too once its Page() options become a
// Component's data and methods (lifecycle hooks such as onLoad stay callable on the instance).
function installPage() {
  global.Page = (options) => {
    const methods = {}
    for (const [name, value] of Object.entries(options)) if (typeof value === 'function') methods[name] = value
    global.Component({ data: options.data || {}, methods })
  }
}
module.exports = { installPage }
