// 申报信息 as the page shows it: the business type's form (GET forms/{type}) laid out by section, only the fields
// and materials that apply to what is entered so far (the draft's `applicable`), each with its value and message.
/** @typedef {import('../types/api').components['schemas']} S */

const TYPES = [
  { value: 'initial', label: '初始注册' }, { value: 'renewal', label: '延续注册' }, { value: 'change', label: '变更注册' },
  { value: 'cancellation', label: '注销注册' }, { value: 'replacement', label: '证书更换' },
]

function typeLabel(value) { const t = TYPES.find((x) => x.value === value); return t ? t.label : '初始注册' }

/** @param {S['FormFieldOut']} f @param {any} value @param {Record<string, string>} errors */
function fieldView(f, value, errors) {
  const options = (f.options || []).map(([v, label]) => ({
    value: v, label, checked: Array.isArray(value) ? value.includes(v) : value === v,
  }))
  const index = options.findIndex((o) => o.value === value)
  const view = {
    name: f.name, label: f.label, kind: f.kind, required: f.required, hint: f.hint, options,
    value: Array.isArray(value) ? value : (value || ''), index: index < 0 ? 0 : index,
    display: index < 0 ? '' : options[index].label, error: errors[f.name] || '', rows: /** @type {any[]} */ ([]),
  }
  if (f.kind === 'rows') {
    const rows = Array.isArray(value) && value.length ? value : [{}]
    view.rows = rows.map((row, i) => ({
      index: i,
      cells: f.columns.map((c) => ({
        name: c.name, label: c.label, kind: c.kind, required: c.required, value: row[c.name] || '',
        error: errors[`${f.name}-${i}-${c.name}`] || '',
      })),
    }))
  }
  return view
}

/** @param {S['FormOut']} form @param {S['DraftOut']} draft @param {Record<string, any>} data @param {Record<string, string>} errors */
function sections(form, draft, data, errors) {
  const applies = new Set(draft.applicable || form.fields.map((f) => f.name))
  const out = []
  for (const f of form.fields) {
    if (!applies.has(f.name)) continue
    const title = f.section || '申报信息'
    if (!out.length || out[out.length - 1].title !== title) out.push({ title, fields: [] })
    out[out.length - 1].fields.push(fieldView(f, data[f.name], errors))
  }
  return out
}

/** @param {S['FormOut']} form @param {S['DraftOut']} draft @param {Record<string, string>} errors */
function slots(form, draft, errors) {
  const applies = new Set(draft.applicable || form.slots.map((s) => s.name))
  const have = {}
  for (const a of draft.attachments || []) have[a.slot] = a.name
  return form.slots.filter((s) => applies.has(s.name)).map((s) => ({
    name: s.name, label: s.label, required: s.required, hint: s.hint, uploaded: have[s.name] || '',
    error: errors[s.name] || '',
  }))
}

module.exports = { TYPES, typeLabel, fieldView, sections, slots }
