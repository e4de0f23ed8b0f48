// types/api.d.ts is what openapi-typescript makes of the app's OpenAPI description today, and the mini program's
// JS type-checks against it (tsc --checkJs: a page reading a field the API does not have fails here).
const { spawnSync } = require('child_process')
const fs = require('fs')
const path = require('path')
const { generate, TARGET } = require('../scripts/api-types')

test('types/api.d.ts is not stale (npm run types regenerates it)', () => {
  const fresh = generate()
  expect(fresh).toContain("export interface components")
  const committed = fs.readFileSync(TARGET, 'utf8')
  // Equal as a whole; the message names the first schema that differs.
  if (committed !== fresh) {
    const a = committed.split('\n'); const b = fresh.split('\n')
    const i = a.findIndex((line, n) => line !== b[n])
    throw new Error(`types/api.d.ts is stale from line ${i + 1} (${JSON.stringify(a[i])} vs ${JSON.stringify(b[i])}): run \`npm run types\` in miniprogram/`)
  }
}, 240000)

test('the pages and the request module type-check against the API types', () => {
  const tsc = path.join(__dirname, '..', 'node_modules', 'typescript', 'bin', 'tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, '..', 'tsconfig.json')], { encoding: 'utf8' })
  expect(r.stdout + r.stderr).toBe('')
  expect(r.status).toBe(0)
}, 240000)
