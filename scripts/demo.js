#!/usr/bin/env node
/**
 * The whole flow in one command, no Datafold account needed: starts the stand-in Datafold server
 * (scripts/stand-in-datafold.js) on a local port, writes a real pull_request event to a temp
 * directory, runs the bundled action (dist/index.js) the way the Actions runner does (INPUT_*
 * variables with action.yml's defaults, GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY),
 * streams its log, then prints the outputs and the job summary and exits with the action's code.
 *
 *   npm run demo                          # bundles, then a successful run
 *   node scripts/demo.js --preset failure # or cancelled, skipped, flaky
 *   node scripts/demo.js --preset changed # a run that changed two tables: the data diff table
 *   node scripts/demo.js --preset fail-on-changes  # the same with fail-on-data-changes: true
 *   node scripts/demo.js --preset api     # an API integration: the table pairs (diffs) uploaded
 *   npm run demo -- --preset annotations  # dbt-manifest: the changed models' annotations
 *   npm run demo -- --preset annotations-many  # 13 changed models: 10 annotations, 3 counted
 *   node scripts/demo.js --raw            # the log exactly as the runner reads it
 *
 * Datafold's repository integration starts a run for every new commit by itself; --webhook STATE
 * has the stand-in do so before the step starts (STATE: waiting, processing or done), and
 * --trigger MODE sets the input trigger (auto, always, never):
 *
 *   node scripts/demo.js --webhook processing                   # auto follows it: no trigger
 *   node scripts/demo.js --webhook processing --trigger always  # a second run, triggered
 *   node scripts/demo.js --trigger never --webhook waiting      # never: follows Datafold's run
 */
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { PRESETS, startStandIn } from './stand-in-datafold.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'))
const entry = join(root, action.runs.main) // dist/index.js, as the runner starts it
const eventFixture = join(root, '__fixtures__', 'events', 'pull_request.opened.json')

const args = process.argv.slice(2)
const option = (name) => {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? args[index + 1] : undefined
}
const preset = option('preset') ?? 'success'
const raw = args.includes('--raw')
const webhookState = option('webhook')
const triggerMode = option('trigger')
if (webhookState !== undefined && !['waiting', 'processing', 'done'].includes(webhookState)) {
  console.error(`Unknown --webhook "${webhookState}"; choose waiting, processing or done.`)
  process.exit(2)
}
if (!(preset in PRESETS)) {
  console.error(`Unknown preset "${preset}"; choose one of ${Object.keys(PRESETS).join(', ')}.`)
  process.exit(2)
}
if (!existsSync(entry)) {
  console.error(
    `${action.runs.main} is missing: run \`npm run bundle\` first (\`npm run demo\` does).`
  )
  process.exit(2)
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR
const paint = (code, text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text)
const bold = (text) => paint('1', text)
const dim = (text) => paint('2', text)
const rule = (title) => console.log(`\n${bold(`── ${title} `.padEnd(72, '─'))}`)

/** Inputs a preset adds to the step's `with:`, on top of the demo's own. */
const PRESET_INPUTS = {
  // The skipped preset never starts a run: conclude after 6 s instead of the default 2 minutes.
  skipped: { 'start-timeout-minutes': '0.1' },
  'fail-on-changes': { 'fail-on-data-changes': 'true' },
  // dbt Core: the annotations a reviewer sees on the changed models of __fixtures__/dbt/shop.
  annotations: { 'dbt-manifest': '__fixtures__/dbt/shop/target/manifest.json' },
  'annotations-many': { 'dbt-manifest': '__fixtures__/dbt/shop/target/manifest.json' },
  // An API integration's run waits until it has the pairs of tables to compare.
  api: {
    diffs: [
      '- prod: analytics.prod.orders',
      '  pr: analytics.pr_2.orders',
      '  pk: [id]',
      '- prod: analytics.prod.customers',
      '  pr: analytics.pr_2.customers',
      '  exclude_columns: [updated_at]'
    ].join('\n')
  }
}

const API_KEY = 'demo-key'
const event = JSON.parse(readFileSync(eventFixture, 'utf8'))
const pr = event.pull_request
const repository = event.repository.full_name
// Datafold's own run of the head commit, as its repository integration starts it from GitHub's
// pull request webhook before the workflow's step runs.
const webhook = webhookState && {
  state: webhookState,
  pr: {
    pr_number: pr.number,
    pr_branch: pr.head.ref,
    base_branch: pr.base.ref,
    pr_sha: pr.head.sha,
    base_sha: pr.base.sha
  }
}
const standIn = await startStandIn({
  ...PRESETS[preset],
  ...(webhook ? { webhook } : {}),
  apiKey: API_KEY,
  ciConfigId: 42
})
const dir = mkdtempSync(join(tmpdir(), 'datafold-demo-'))
const files = {
  event: join(dir, 'event.json'),
  output: join(dir, 'github_output'),
  summary: join(dir, 'step_summary')
}
copyFileSync(eventFixture, files.event)
writeFileSync(files.output, '')
writeFileSync(files.summary, '')

// The inputs a workflow step would give, on top of action.yml's defaults (as the runner does it).
const inputs = {
  ...actionDefaults(),
  'api-key': API_KEY,
  'ci-config-id': '42',
  'datafold-host': standIn.url,
  'poll-interval': '0.5',
  'max-poll-interval': '2',
  'wait-timeout-minutes': '5',
  ...PRESET_INPUTS[preset],
  ...(triggerMode ? { trigger: triggerMode } : {})
}
const env = {
  PATH: process.env.PATH ?? '',
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: files.event,
  GITHUB_OUTPUT: files.output,
  GITHUB_STEP_SUMMARY: files.summary,
  GITHUB_REPOSITORY: repository,
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_SHA: 'feedfacefeedfacefeedfacefeedfacefeedface', // the merge commit; the action ignores it
  GITHUB_REF: `refs/pull/${pr.number}/merge`,
  // The repository's root: a dbt-manifest path starts here, as on a runner after actions/checkout.
  GITHUB_WORKSPACE: root,
  RUNNER_TEMP: dir,
  ...(useColor ? { FORCE_COLOR: '1' } : {})
}
for (const [name, value] of Object.entries(inputs)) {
  env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
}

rule('Datafold CI action demo')
console.log(`Stand-in Datafold: ${standIn.url} (preset ${preset}, CI config 42, key ${API_KEY})`)
if (webhook) {
  console.log(
    `Datafold started run ${standIn.runs[0].id} of ${pr.head.sha.slice(0, 7)} on its own (webhook), now ${webhook.state}; trigger: ${triggerMode ?? 'auto (default)'}`
  )
}
if (PRESET_INPUTS[preset]) {
  const extra = Object.entries(PRESET_INPUTS[preset]).map(([name, value]) =>
    value.includes('\n')
      ? `${name}: |\n    ${value.split('\n').join('\n    ')}`
      : `${name}: ${value}`
  )
  console.log(`Inputs for this preset: ${extra.join(', ')}`)
}
console.log(
  `Event: pull_request opened, ${repository}#${pr.number}: ${pr.head.ref} (${pr.head.sha.slice(0, 7)}) into ${pr.base.ref} (${pr.base.sha.slice(0, 7)})`
)
console.log(dim(`Running: node dist/index.js with ${Object.keys(inputs).length} INPUT_* variables`))
rule('Action log')

const started = Date.now()
const child = spawn(process.execPath, [entry], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'pipe']
})
// Ctrl-C (or a SIGTERM) cancels the action the way the runner does: it stops, writes its summary,
// and the demo still shows the outputs and summary. (The terminal may already have signalled the
// action itself; it ignores the repeat.)
for (const name of ['SIGINT', 'SIGTERM']) process.on(name, () => child.kill(name))

const masks = []
const render = createRenderer()
let pending = ''
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  pending += chunk
  const lines = pending.split('\n')
  pending = lines.pop() ?? ''
  lines.forEach(render)
})
child.stderr.setEncoding('utf8').on('data', (chunk) => process.stderr.write(chunk))
const [code, signal] = await new Promise((resolve) =>
  child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]))
)
if (pending) render(pending)
const seconds = ((Date.now() - started) / 1000).toFixed(1)

rule('Outputs')
const outputs = parseFileCommands(readFileSync(files.output, 'utf8'))
if (Object.keys(outputs).length === 0) console.log(dim('(none)'))
for (const [name, value] of Object.entries(outputs)) console.log(`${name.padEnd(18)} ${value}`)

rule('Job summary (markdown)')
console.log(readFileSync(files.summary, 'utf8').trimEnd() || dim('(none)'))

rule('Result')
const calls = standIn.requests.map((r) => `${r.method} ${r.path}`)
const count = (prefix) => calls.filter((c) => c.startsWith(prefix)).length
console.log(
  `Exit code ${code ?? `none (${signal})`} after ${seconds} s; the stand-in answered ${calls.length} requests` +
    ` (${count('POST /api/v1/ci/42/trigger')} trigger, ${standIn.uploads.length > 0 ? `${standIn.uploads.length} upload of table pairs, ` : ''}${count('GET /api/v1/ci/')} run lists, ${count('GET /api/v1/datadiffs')} data diff lists).`
)

console.log(
  `Runs of the commit in the stand-in: ${standIn.runs.map((run) => `${run.id} (${run.webhook ? 'started by Datafold on its own' : 'triggered'})`).join(', ') || 'none'}.`
)

await standIn.close()
rmSync(dir, { recursive: true, force: true })
process.exit(code ?? 1)

/** Every input of action.yml with its default; `${{ github.token }}` becomes a stand-in token. */
function actionDefaults() {
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [
        name,
        String(spec.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, 'demo-github-token')
      ])
  )
}

/** Shows workflow commands roughly as the Actions log does; `--raw` prints them untouched. */
function createRenderer() {
  let depth = 0
  return (line) => {
    const masked = masks.reduce((text, secret) => text.split(secret).join('***'), line)
    if (raw) return console.log(masked)
    const command = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)
    if (!command) return console.log(`${'  '.repeat(depth)}${masked}`)
    const [, name, properties, data] = command
    const unescape = (value) =>
      value
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%3A/g, ':')
        .replace(/%2C/g, ',')
        .replace(/%25/g, '%')
    // An annotation's place and title, as the pull request's "Files changed" shows them.
    const props = Object.fromEntries(
      (properties ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => [
          pair.slice(0, pair.indexOf('=')),
          unescape(pair.slice(pair.indexOf('=') + 1))
        ])
    )
    const place = props.file
      ? `${props.file}${props.line ? `:${props.line}` : ''}: ${props.title ?? ''}\n`
      : props.title
        ? `${props.title}\n`
        : ''
    const text = masks.reduce(
      (out, secret) => out.split(secret).join('***'),
      place + unescape(data)
    )
    const indent = (prefix, body) =>
      console.log(
        body
          .split('\n')
          .map(
            (l, i) =>
              `${'  '.repeat(depth)}${i === 0 ? prefix : ' '.repeat(stripAnsi(prefix).length)}${l}`
          )
          .join('\n')
      )
    switch (name) {
      case 'add-mask':
        if (data) masks.push(data)
        return
      case 'group':
        console.log(bold(`▼ ${text}`))
        depth = 1
        return
      case 'endgroup':
        depth = 0
        return
      case 'debug':
        return // the runner shows these only with step debug logging on
      case 'error':
        return indent(paint('31', 'Error: '), text)
      case 'warning':
        return indent(paint('33', 'Warning: '), text)
      case 'notice':
        return indent(paint('36', 'Notice: '), text)
      default:
        return console.log(`${'  '.repeat(depth)}${masked}`)
    }
  }
}

function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex -- exactly the escape sequences paint() adds
  return text.replace(/\x1b\[\d+m/g, '')
}

/** GITHUB_OUTPUT's format: `name<<DELIMITER`, the value's lines, `DELIMITER`; or `name=value`. */
function parseFileCommands(text) {
  const values = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      values[heredoc[1]] = lines.slice(i + 1, end < 0 ? lines.length : end).join('\n')
      i = end < 0 ? lines.length : end
    } else if (lines[i].includes('=')) {
      const eq = lines[i].indexOf('=')
      values[lines[i].slice(0, eq)] = lines[i].slice(eq + 1)
    }
  }
  return values
}
