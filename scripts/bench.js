#!/usr/bin/env node
/**
 * `npm run bench`: the figures behind docs/performance.md, printed as two markdown
 * tables. It reports; it never fails on a missed target (only when it cannot measure at all).
 *
 * 1. Polling schedule, on a virtual clock: the real waitForRun (compiled from src/ into .bench-build/
 *    by `tsc -p tsconfig.bench.json`) against runs finishing after 1, 5, 20 and 60 minutes, with the
 *    default schedule and with a fixed 5 s one (poll-interval = max-poll-interval = 5 s).
 * 2. Start cost of the bundled dist/index.js against `node -e 0` (reported, not a target: the step
 *    then waits minutes for Datafold): a step failing on a bad input and
 *    a step succeeding against the local stand-in server, timed side by side in one run: each round
 *    runs `node -e 0`, the action and (success case) a bare node:http reference once, in rotating
 *    order. scripts/bench-floor.cjs is that reference.
 *
 * 3. Calls for the data diffs (issue 9): the bundled action against the stand-in, counting the
 *    requests of each kind when the run's data diffs are read (section at the end of this file).
 *
 * 4. Many steps at once (issue 19), on a virtual clock: N steps started together against a Datafold
 *    that allows a number of requests a second (section at the end of this file).
 *
 * 5. A 100 MB dbt manifest (issue 25): time and peak memory to read it the way the action does
 *    (streamed, src/dbt-manifest.ts, then indexed by src/dbt-models.ts), beside reading it whole
 *    with JSON.parse, each in its own process (section at the end of this file).
 *
 * Options: --rounds N (timed rounds per case, default 21; also --pairs), --warmup N (default 3),
 * --only schedule|start|diffs|steps|manifest, --manifest-mb N (default 100), --steps N (default 50), --run-seconds S (default 75),
 * --limit R (requests a second Datafold allows, default 20), --entry FILE (the bundle to time instead of dist/index.js, for
 * example a candidate built outside the repository).
 */
import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import { percentile, simulateManySteps } from './many-steps-sim.js'
import { simulate } from './schedule-sim.js'
import { PRESETS, startStandIn } from './stand-in-datafold.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? args[index + 1] : fallback
}
const PAIRS = Number(option('rounds', option('pairs', '21')))
const WARMUP = Number(option('warmup', '3'))
const ONLY = option('only', '')
const ENTRY = resolve(option('entry', join(root, 'dist', 'index.js')))

const SECOND = 1_000
const MINUTE = 60 * SECOND
const CALLS_TARGET = 0.4
const RSS_RUNS = 5

let broken = false
/** @type {any} */
let event

/** Table 1: calls and detection delay for this action's schedule against fixed 5 s polling. */
async function scheduleTable() {
  const compiled = join(root, '.bench-build', 'wait-for-run.js')
  if (!existsSync(compiled)) {
    console.error(
      `${compiled} is missing: run \`npx tsc -p tsconfig.bench.json\` (npm run bench does).`
    )
    broken = true
    return
  }
  const loop = await import(pathToFileURL(compiled).href)
  const timeoutMs = 360 * MINUTE
  const adaptive = { pollIntervalMs: 5 * SECOND, maxPollIntervalMs: 30 * SECOND, timeoutMs }
  const fixed = { pollIntervalMs: 5 * SECOND, maxPollIntervalMs: 5 * SECOND, timeoutMs }

  console.log(
    '### Polling schedule (virtual clock; poll-interval 5 s, max-poll-interval 30 s, timeout 6 h)\n'
  )
  const rows = []
  for (const minutes of [1, 5, 20, 60]) {
    const runMs = minutes * MINUTE
    const ours = await simulate(loop, { runMs, ...adaptive })
    const base = await simulate(loop, { runMs, ...fixed })
    if (ours.outcome !== 'finished' || base.outcome !== 'finished') {
      console.error(`waitForRun ended ${ours.outcome}/${base.outcome} for a ${minutes} min run.`)
      broken = true
    }
    const ratio = ours.calls / base.calls
    const delayLimitMs = Math.min(
      Math.max(adaptive.pollIntervalMs, 0.1 * runMs),
      adaptive.maxPollIntervalMs
    )
    const callsOk = minutes < 20 || ratio <= CALLS_TARGET
    const delayOk = ours.worstDelayMs <= delayLimitMs && ours.delayMs <= delayLimitMs
    const target =
      (minutes >= 20 ? `calls ≤ ${CALLS_TARGET * 100} %, ` : '') + `delay ≤ ${secs(delayLimitMs)}`
    rows.push([
      `${minutes} min`,
      String(ours.calls),
      String(base.calls),
      `${Math.round(ratio * 100)} %`,
      `${secs(ours.delayMs)} / ${secs(ours.worstDelayMs)}`,
      `${secs(base.delayMs)} / ${secs(base.worstDelayMs)}`,
      target,
      callsOk && delayOk ? 'PASS' : 'FAIL'
    ])
  }
  printTable(
    [
      'Run takes',
      'Checks (this action)',
      'Checks (fixed 5 s)',
      'Ratio',
      'Delay: at run end / worst (this action)',
      'Delay: at run end / worst (fixed 5 s)',
      'Target',
      'Result'
    ],
    rows
  )
  console.log(
    '\nChecks are list-runs calls while waiting; each step also sends one trigger and one list before it.' +
      '\n"At run end": the run finishes exactly at the time shown. "Worst": it finishes just after the' +
      '\nprevious check. The delay target is max(poll-interval, 10 % of the run), capped at max-poll-interval.' +
      "\nExact delays (the middle of the jitter band): a step's real waits vary up to 20 % either way.\n"
  )
}

/** Table 2: start cost of dist/index.js against `node -e 0`, pair by pair. */
async function startTable() {
  const entry = ENTRY
  const entryName = relative(root, entry).startsWith('..') ? entry : relative(root, entry)
  if (!existsSync(entry)) {
    console.error(`${entry} is missing: run \`npm run bundle\` first.`)
    broken = true
    return
  }
  const work = mkdtempSync(join(tmpdir(), 'datafold-bench-'))
  try {
    const eventPath = join(work, 'event.json')
    writeFileSync(eventPath, JSON.stringify(pullRequestEvent()))
    const files = { output: join(work, 'output'), summary: join(work, 'summary') }
    const baseEnv = runnerEnv(eventPath, files)
    const defaults = actionDefaults()
    const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

    const baseline = { name: '`node -e 0`', argv: ['-e', '0'] }
    const action = { name: entryName, argv: [entry], isAction: true }
    const floor = {
      name: 'bare `node:http`, same 4 requests',
      argv: [join(root, 'scripts', 'bench-floor.cjs')]
    }
    const cases = [
      {
        name: 'fails on a bad input',
        expectCode: 1,
        expectText: 'Input ci-config-id is "abc"',
        subjects: [baseline, action],
        prepare: async () => ({
          env: {
            ...baseEnv,
            ...inputs({ ...defaults, 'api-key': 'demo-key', 'ci-config-id': 'abc' })
          },
          done: async () => {}
        })
      },
      {
        name: 'succeeds against the stand-in',
        expectCode: 0,
        expectText: 'finished with status done',
        subjects: [baseline, action, floor],
        prepare: async () => {
          // A fresh server per run, so every run sees the same answers: the run is done at the first check.
          const server = await startStandIn({ statuses: ['done'] })
          const env = {
            ...baseEnv,
            ...inputs({
              ...defaults,
              'api-key': 'demo-key',
              'ci-config-id': '42',
              'datafold-host': server.url,
              'poll-interval': '0.01',
              'max-poll-interval': '0.01'
            })
          }
          return { env, done: () => server.close() }
        }
      }
    ]

    const rows = []
    for (const c of cases) {
      const times = c.subjects.map(() => [])
      for (let pair = 0; pair < WARMUP + PAIRS; pair++) {
        // Rotate which process runs first, so a drift in the machine's speed weighs on all alike.
        for (let k = 0; k < c.subjects.length; k++) {
          const index = (pair + k) % c.subjects.length
          const subject = c.subjects[index]
          for (const file of Object.values(files)) writeFileSync(file, '')
          const { env, done } = await c.prepare()
          const run = await timed(subject.argv, env)
          await done()
          if (subject !== baseline) checkRun(c, subject, run)
          if (pair >= WARMUP) times[index].push(run.ms)
        }
      }
      const rss = []
      for (const subject of c.subjects) {
        let peak = 0
        for (let i = 0; i < RSS_RUNS; i++) {
          const { env, done } = await c.prepare()
          peak = Math.max(peak, await peakRssKb(subject.argv, env, timeBinary, work))
          await done()
        }
        rss.push(peak / 1024)
      }
      const base = median(times[0])
      c.subjects.forEach((subject, i) => {
        if (subject === baseline) return
        const ratio = median(times[i]) / base
        const pairRatio = median(times[i].map((ms, k) => ms / times[0][k]))
        rows.push([
          c.name,
          subject.name,
          `${median(times[i]).toFixed(1)} ms`,
          `${base.toFixed(1)} ms`,
          `${ratio.toFixed(2)}x`,
          `${pairRatio.toFixed(2)}x`,
          `${rss[i].toFixed(1)} MB (${rss[0].toFixed(1)})`,
          subject.isAction ? 'the action' : 'reference'
        ])
      })
    }

    console.log(
      `### Start cost (${PAIRS} rounds per case after ${WARMUP} warm-up rounds; figures, not targets: a step then waits minutes for Datafold)\n`
    )
    printTable(
      [
        'Step',
        'Process',
        'Median wall',
        '`node -e 0`',
        'Ratio of medians',
        'Median of round ratios',
        'Peak RSS (`node -e 0`)',
        'Row'
      ],
      rows
    )
    const kb = (file) =>
      existsSync(file) ? `${(statSync(file).size / 1000).toFixed(1)} kB` : 'absent'
    const chunks = readdirSync(dirname(entry)).filter(
      (name) => /\.(c|m)?js$/.test(name) && join(dirname(entry), name) !== entry
    )
    console.log(
      `\n${entryName}: ${kb(entry)}` +
        (chunks.length > 0
          ? `; beside it, loaded only when needed: ${chunks.map((name) => `${name} ${kb(join(dirname(entry), name))}`).join(', ')}`
          : '') +
        '.' +
        `\nWall time: spawn to exit of the child, timed by this process (the stand-in server runs here). Each round runs every process of the case once, in rotating order.` +
        `\nPeak RSS: the largest of ${RSS_RUNS} runs, ${timeBinary ? 'from /usr/bin/time -f %M' : "from the child's own process.resourceUsage().maxRSS at exit"}.` +
        `\nThe children get a runner-like environment built from scratch (no NODE_OPTIONS, NODE_EXTRA_CA_CERTS or proxy variables).\n`
    )
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Spawns node with `argv`; resolves with the wall time in ms, the exit code and the output. */
function timed(argv, env) {
  return new Promise((resolve, reject) => {
    const chunks = []
    const start = process.hrtime.bigint()
    const child = spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.stderr.on('data', (chunk) => chunks.push(chunk))
    child.on('error', reject)
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      child.on('close', () => resolve({ ms, code, output: Buffer.concat(chunks).toString('utf8') }))
    })
  })
}

/** Peak resident memory of one run, in kB. */
async function peakRssKb(argv, env, timeBinary, work) {
  const file = join(work, 'rss')
  writeFileSync(file, '')
  if (timeBinary) {
    await new Promise((resolve, reject) => {
      const child = spawn(timeBinary, ['-f', '%M', '-o', file, process.execPath, ...argv], {
        env,
        stdio: 'ignore'
      })
      child.on('error', reject)
      child.on('close', resolve)
    })
    return Number(readFileSync(file, 'utf8').trim().split('\n').pop())
  }
  const hook = `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(file)}, String(process.resourceUsage().maxRSS)))`
  const preload = join(work, 'rss-hook.cjs')
  writeFileSync(preload, hook)
  await timed(['--require', preload, ...argv], env)
  return Number(readFileSync(file, 'utf8'))
}

function checkRun(c, subject, run) {
  if (run.code !== c.expectCode || !run.output.includes(c.expectText)) {
    if (subject.reported) return
    subject.reported = true
    console.error(
      `${subject.name} did not behave as expected for "${c.name}" (exit ${run.code}, expected ${c.expectCode}):\n${run.output}`
    )
    broken = true
  }
}

/** What the runner sets for a JavaScript action on a pull_request event, and nothing else. */
function runnerEnv(eventPath, files) {
  const pr = pullRequestEvent().pull_request
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: 'Codertocat/Hello-World',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: 'feedfacefeedfacefeedfacefeedfacefeedface',
    GITHUB_REF: `refs/pull/${pr.number}/merge`,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: tmpdir()
  }
}

/** A real `pull_request` `opened` webhook payload from @octokit/webhooks-examples. */
function pullRequestEvent() {
  if (!event) {
    const path = join(
      root,
      'node_modules',
      '@octokit',
      'webhooks-examples',
      'api.github.com',
      'index.json'
    )
    const all = JSON.parse(readFileSync(path, 'utf8'))
    const examples = all.find((group) => group.name === 'pull_request').examples
    event = examples.find((payload) => payload.action === 'opened') ?? examples[0]
  }
  return event
}

/** Every input of action.yml with its default, as the runner passes it when `with:` omits it. */
function actionDefaults() {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8'))
  const defaults = {}
  for (const [name, spec] of Object.entries(action.inputs ?? {})) {
    if (spec.default === undefined) continue
    defaults[name] = String(spec.default).replace(
      /\$\{\{\s*github\.token\s*\}\}/g,
      'ghs_faketokenforbench0000000000000000000'
    )
  }
  return defaults
}

function inputs(values) {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      `INPUT_${name.replace(/ /g, '_').toUpperCase()}`,
      value
    ])
  )
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function secs(ms) {
  const s = ms / 1000
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`
}

/** A markdown table with padded columns, as prettier lays it out. */
function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells) => `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`
  console.log(line(header))
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`)
  for (const row of rows) console.log(line(row))
}

console.log(
  `Node ${process.version} on ${process.platform}/${process.arch}, ${cpus().length} CPU (${cpus()[0]?.model.trim() ?? 'unknown'})\n`
)
if (ONLY === '' || ONLY === 'schedule') await scheduleTable()
if (ONLY === '' || ONLY === 'start') await startTable()
if (ONLY === '' || ONLY === 'diffs') await dataDiffCallsTable()
if (ONLY === '' || ONLY === 'steps') await manyStepsTable()
if (ONLY === '' || ONLY === 'manifest') await manifestTable()
process.exitCode = broken ? 1 : 0

// =============================================================================================
// Data diffs (issue 9): the requests a step adds to read the run's data diffs. Self-contained
// below this line; it uses the helpers above (timed, runnerEnv, inputs, actionDefaults,
// printTable) without changing them.

/** Table 3: requests of each kind for a run that ends done, with its data diffs read. */
async function dataDiffCallsTable() {
  if (!existsSync(ENTRY)) {
    console.error(`${ENTRY} is missing: run \`npm run bundle\` first.`)
    broken = true
    return
  }
  const cases = [
    {
      name: 'Datafold filters by ci_run_id (4 diffs)',
      scenario: { ...PRESETS.changed, statuses: ['done'] },
      expect: 1
    },
    {
      name: 'Datafold ignores the filter (4 diffs among 240 of other runs)',
      scenario: { ...PRESETS.changed, statuses: ['done'], ignoreFilter: true, otherDiffs: 240 },
      expect: 2
    },
    {
      name: 'fail-on-data-changes, one diff still running at the first list',
      scenario: {
        statuses: ['done'],
        dataDiffs: [{ result: 'identical', runningFor: 1 }, { result: 'empty' }]
      },
      with: { 'fail-on-data-changes': 'true' },
      expect: 2
    },
    {
      name: 'show-data-diffs: false',
      scenario: { ...PRESETS.changed, statuses: ['done'] },
      with: { 'show-data-diffs': 'false' },
      expect: 0
    }
  ]
  const work = mkdtempSync(join(tmpdir(), 'datafold-bench-diffs-'))
  const rows = []
  try {
    const eventPath = join(work, 'event.json')
    writeFileSync(eventPath, JSON.stringify(pullRequestEvent()))
    const files = { output: join(work, 'output'), summary: join(work, 'summary') }
    for (const c of cases) {
      for (const file of Object.values(files)) writeFileSync(file, '')
      const server = await startStandIn({ ...c.scenario, apiKey: 'demo-key' })
      const env = {
        ...runnerEnv(eventPath, files),
        ...inputs({
          ...actionDefaults(),
          'api-key': 'demo-key',
          'ci-config-id': '42',
          'datafold-host': server.url,
          'poll-interval': '0.05',
          'max-poll-interval': '0.05',
          ...c.with
        })
      }
      const run = await timed([ENTRY], env)
      await server.close()
      const count = (method, prefix) =>
        server.requests.filter((r) => r.method === method && r.path.startsWith(prefix)).length
      const diffs = count('GET', '/api/v1/datadiffs')
      if (diffs !== c.expect) {
        console.error(`"${c.name}": ${diffs} data diff lists, expected ${c.expect}:\n${run.output}`)
        broken = true
      }
      rows.push([
        c.name,
        String(server.requests.length),
        String(count('POST', '/api/v1/ci/')),
        String(count('GET', '/api/v1/ci/')),
        String(diffs),
        `exit ${run.code}`
      ])
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  console.log('### Calls for the data diffs (the bundled action against the stand-in)\n')
  printTable(['Case', 'Requests', 'Trigger', 'Run lists', 'Data diff lists', 'Step'], rows)
  console.log(
    '\nA run that ends done or failed adds its data diff lists to the step: one page with a Datafold' +
      '\nthat filters by ci_run_id, a page more per 100 entries listed before the run with one that does' +
      '\nnot, and with fail-on-data-changes a list more per re-check while diffs have no result.\n'
  )
}

// =============================================================================================
// Many steps at once (issue 19): the load that steps started together put on one Datafold.
// Self-contained below this line; it uses printTable and secs from above.

/**
 * Table 4: N steps against a rate-limited Datafold: fixed 5 s polling, and the schedule with exact
 * and with jittered delays. Each case runs `--trials` times with seeds 1, 2, ...; one seed can be
 * lucky or unlucky, so the figures are medians over the trials, the worst trial beside some.
 */
async function manyStepsTable() {
  const build = join(root, '.bench-build')
  if (!existsSync(join(build, 'datafold-client.js'))) {
    console.error(
      `${build} is missing: run \`npx tsc -p tsconfig.bench.json\` (npm run bench does).`
    )
    broken = true
    return
  }
  const client = await import(pathToFileURL(join(build, 'datafold-client.js')).href)
  const loop = await import(pathToFileURL(join(build, 'wait-for-run.js')).href)
  const steps = Number(option('steps', '50'))
  const runMs = Number(option('run-seconds', '75')) * SECOND
  const limit = Number(option('limit', '20'))
  const trials = Number(option('trials', '20'))
  const settleMs = 10 * SECOND
  const cases = [
    {
      name: 'fixed 5 s polling',
      pollIntervalMs: 5 * SECOND,
      maxPollIntervalMs: 5 * SECOND,
      jitter: false
    },
    {
      name: 'schedule, exact delays',
      pollIntervalMs: 5 * SECOND,
      maxPollIntervalMs: 30 * SECOND,
      jitter: false
    },
    {
      name: 'schedule, jittered',
      pollIntervalMs: 5 * SECOND,
      maxPollIntervalMs: 30 * SECOND,
      jitter: true
    }
  ]
  const figures = []
  for (const c of cases) {
    const runs = []
    for (let seed = 1; seed <= trials; seed++)
      runs.push(
        await simulateManySteps(client, loop, { steps, runMs, limit, settleMs, seed, ...c })
      )
    const ratios = runs.map((r) => r.busiest / r.mean)
    const notices = runs.flatMap((r) => r.noticeMs)
    figures.push({
      busiest: median(runs.map((r) => r.busiest)),
      mean: median(runs.map((r) => r.mean)),
      ratio: median(ratios),
      worstRatio: Math.max(...ratios),
      late429: runs.reduce((sum, r) => sum + r.limited429Late, 0),
      all429: median(runs.map((r) => r.limited429)),
      firstMinute: median(runs.map((r) => r.firstMinute)),
      p50: percentile(notices, 50),
      p95: percentile(notices, 95),
      max: Math.max(...notices),
      right: runs.reduce((sum, r) => sum + r.rightVerdicts, 0)
    })
  }
  const reference = figures[0].firstMinute
  const rows = figures.map((f, i) => [
    cases[i].name,
    `${f.busiest} / ${f.mean.toFixed(1)}`,
    `${f.ratio.toFixed(2)}x (${f.worstRatio.toFixed(2)}x)`,
    `${f.late429} / ${f.all429}`,
    String(f.firstMinute),
    `${secs(f.p50)} / ${secs(f.p95)} / ${secs(f.max)}`,
    `${f.right} of ${steps * trials}`,
    f.ratio <= 2.2 &&
    f.late429 === 0 &&
    f.firstMinute <= reference &&
    f.p95 <= 8 * SECOND &&
    f.right === steps * trials
      ? 'met'
      : 'missed'
  ])
  console.log(
    `### Many steps at once (virtual clock; ${steps} steps started together, runs of ${secs(runMs)}, Datafold allowing ${limit} requests a second; ${trials} trials)\n`
  )
  printTable(
    [
      'Polling',
      'Requests a second past 10 s: busiest / mean',
      'Busiest / mean (worst trial)',
      '429s: past 10 s, all trials / all, median',
      'Requests, first minute',
      'Run end noticed after: p50 / p95 / max',
      'Right verdicts',
      'Goal'
    ],
    rows
  )
  console.log(
    '\nEach step lists the runs of its commit, triggers, and waits (poll-interval 5 s; max-poll-interval' +
      '\n30 s, or 5 s for fixed polling). Datafold answers 100 ms after each request, and 429 with' +
      '\nRetry-After: 1 beyond its limit in a clock second; half the runs end done, half failed. "Past' +
      '\n10 s": from 10 s to the first run ending. Medians over the trials; notice delays pooled over all' +
      '\nsteps of all trials. Goal: busiest second at most 2.2x the mean and no 429 past 10 s, the first' +
      '\nminute no dearer than fixed 5 s polling, p95 notice within 8 s, every verdict right.\n'
  )
}

// =============================================================================================
// A large dbt manifest (issue 25). Self-contained below this line; it uses timed() and
// printTable() from above.

/**
 * Table 5: a manifest of about --manifest-mb MB (the shop fixture's metadata and macros, and its
 * fct_orders model copied under new names, with its SQL and 12 documented columns, as in a large
 * project), read three ways in fresh processes: node alone, the action's streamed reading and index,
 * and JSON.parse of the whole file.
 */
async function manifestTable() {
  const compiled = join(root, '.bench-build', 'dbt-manifest.js')
  if (!existsSync(compiled)) {
    console.error(
      `${compiled} is missing: run \`npx tsc -p tsconfig.bench.json\` (npm run bench does).`
    )
    broken = true
    return
  }
  const megabytes = Number(option('manifest-mb', '100'))
  const work = mkdtempSync(join(tmpdir(), 'bench-manifest-'))
  try {
    const file = join(work, 'manifest.json')
    const nodes = writeLargeManifest(file, megabytes * 1024 * 1024)
    const size = statSync(file).size
    const modules = (name) => pathToFileURL(join(root, '.bench-build', name)).href
    const report = `console.log(JSON.stringify({ ms: performance.now() - start, rssMb: process.resourceUsage().maxRSS / 1024, kept }))`
    const scripts = {
      'node alone (reference)': `const start = performance.now(); const kept = 0; ${report}`,
      'streamed, as the action reads it': [
        `import { createReadStream } from 'node:fs'`,
        `const { parseManifest } = await import(${JSON.stringify(modules('dbt-manifest.js'))})`,
        `const { ModelIndex } = await import(${JSON.stringify(modules('dbt-models.js'))})`,
        `const start = performance.now()`,
        `const index = new ModelIndex(await parseManifest(createReadStream(${JSON.stringify(file)})), 'dbt')`,
        `const kept = index.size`,
        report
      ].join('\n'),
      'JSON.parse of the whole file': [
        `import { readFileSync } from 'node:fs'`,
        `const start = performance.now()`,
        `const manifest = JSON.parse(readFileSync(${JSON.stringify(file)}, 'utf8'))`,
        `const kept = Object.values(manifest.nodes).filter((n) => ['model', 'seed', 'snapshot'].includes(n.resource_type)).map((n) => [n.database, n.schema, n.alias, n.relation_name, n.original_file_path]).length`,
        report
      ].join('\n')
    }
    const rows = []
    for (const [name, script] of Object.entries(scripts)) {
      const runs = []
      for (let i = 0; i < 3; i++) {
        const run = await timed(['--input-type=module', '-e', script], process.env)
        if (run.code !== 0) {
          console.error(`${name} failed:\n${run.output}`)
          broken = true
          return
        }
        runs.push(JSON.parse(run.output.trim().split('\n').pop()))
      }
      rows.push([
        name,
        runs[0].kept === 0 ? '–' : secs(median(runs.map((r) => r.ms))),
        `${Math.round(median(runs.map((r) => r.rssMb)))} MB`,
        String(runs[0].kept)
      ])
    }
    console.log(
      `### A dbt manifest of ${(size / 1024 / 1024).toFixed(0)} MB (${nodes} models; medians of 3 runs, each in a fresh process)\n`
    )
    printTable(['Reading', 'Time', 'Peak memory (RSS)', 'Models kept'], rows)
    console.log(
      '\nThe streamed reading keeps each node only until its few fields are copied, so its memory grows' +
        '\nwith those fields, not with the file. The input takes at most 512 MiB (src/read-manifest.ts).\n'
    )
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Writes a manifest of about `bytes` to `file`; returns how many models it holds. */
function writeLargeManifest(file, bytes) {
  const shop = JSON.parse(
    readFileSync(join(root, '__fixtures__', 'dbt', 'shop', 'target', 'manifest.json'), 'utf8')
  )
  const model = shop.nodes['model.shop.fct_orders']
  model.compiled_code = model.raw_code.repeat(20)
  model.raw_code = model.raw_code.repeat(20)
  model.columns = Object.fromEntries(
    Array.from({ length: 12 }, (_, c) => [
      `column_${c}`,
      {
        name: `column_${c}`,
        description: 'What this column holds, as documented.',
        meta: {},
        data_type: null,
        constraints: [],
        quote: null,
        tags: [],
        granularity: null,
        doc_blocks: []
      }
    ])
  )
  const head = JSON.stringify({ metadata: shop.metadata, macros: shop.macros }).slice(0, -1)
  const parts = [head, ',"nodes":{']
  let size = Buffer.byteLength(head)
  let count = 0
  while (size < bytes) {
    const name = `model_${count}`
    const node = {
      ...model,
      name,
      alias: name,
      unique_id: `model.shop.${name}`,
      original_file_path: `models/generated/${name}.sql`,
      relation_name: `ANALYTICS.DBT_PR_2.${name}`
    }
    const entry = `${count === 0 ? '' : ','}${JSON.stringify(node.unique_id)}:${JSON.stringify(node)}`
    parts.push(entry)
    size += Buffer.byteLength(entry)
    count++
  }
  parts.push('}}')
  writeFileSync(file, parts.join(''))
  return count
}
