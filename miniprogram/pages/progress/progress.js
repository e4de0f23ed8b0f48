const { api, fieldMessages } = require('../../utils/request')
const page = require('../../utils/page')
page({
  data: { application: null, errors: {} },
  onLoad(query) { this.id = query && query.id; return this.load() },
  async load() {
    if (!this.id) return
    try { this.setData({ application: await api.application(this.id) }) } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
  async withdraw() {
    try {
      await api.withdraw(this.id, this.data.application.state)
      await this.load()
    } catch (e) { this.setData({ errors: fieldMessages(e) }) }
  },
})
