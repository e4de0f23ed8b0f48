// types/api.d.ts from the API's own OpenAPI description: the schema is dumped by the Django app in this checkout
// (`jianli openapi_schema`), then openapi-typescript turns it into types. `npm run types` rewrites the file;
// test/types.test.js fails when the committed file differs from what the app describes now.
const { spawnSync } = require('child_process')
const fs = require('fs')
const os = require('os')
const path = require('path')

const MP = path.join(__dirname, '..')
const ROOT = path.join(MP, '..')
const TARGET = path.join(MP, 'types', 'api.d.ts')
const PY = process.env.PY ? path.resolve(ROOT, process.env.PY) : path.join(ROOT, '.venv', 'bin', 'python')

function run(cmd, args, env) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: Object.assign({}, process.env, env || {}), encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`)
  return r.stdout
}

function generate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jianli-types-'))
  try {
    const schema = path.join(dir, 'openapi.json')
    const out = path.join(dir, 'api.d.ts')
    const env = { DJANGO_SETTINGS_MODULE: 'tests.api_contract.fuzz_settings', PYTHONPATH: ROOT, JIANLI_VAR_DIR: dir }
    delete process.env.DATABASE_URL
    run(PY, ['-m', 'jianli', 'openapi_schema', '--output', schema], env)
    const cli = path.join(MP, 'node_modules', 'openapi-typescript', 'bin', 'cli.js')
    run(process.execPath, [cli, schema, '--output', out, '--alphabetize'])
    return fs.readFileSync(out, 'utf8')
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (require.main === module) {
  const fresh = generate()
  if (process.argv.includes('--check')) {
    const same = fs.existsSync(TARGET) && fs.readFileSync(TARGET, 'utf8') === fresh
    if (!same) { console.error('types/api.d.ts is stale: run `npm run types` in miniprogram/'); process.exit(1) }
  } else {
    fs.mkdirSync(path.dirname(TARGET), { recursive: true })
    fs.writeFileSync(TARGET, fresh)
    console.log('wrote ' + path.relative(ROOT, TARGET))
  }
}

module.exports = { generate, TARGET }
