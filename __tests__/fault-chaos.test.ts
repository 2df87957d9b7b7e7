/**
 * Seeded chaos: the bundled action (dist/index.js, as the runner starts it) against a Datafold and
 * GitHub API that misbehave on a real socket (__fixtures__/chaos-datafold.ts). Each iteration's seed
 * picks what really happens (the run ends done, failed or cancelled, never ends, is never created,
 * or a push has no open pull request), the run's data diffs and whether the step gates on them,
 * the settings, and a fault for each request; then the properties below are checked against that
 * truth. Every violation of every iteration is collected
 * and reported at once, with the seed to replay it.
 *
 *   CHAOS_RUNS=n     iterations (default 24; 500 is a long soak)
 *   CHAOS_SEED=n     first seed (default fixed, so CI is reproducible; `random` for a fresh one)
 *   CHAOS_REPORT=f   also write every iteration's scenario, requests and violations to f as JSON
 *   CHAOS_ENTRY=f    run another bundle instead of action.yml's dist/index.js (a fix in progress)
 *
 * Replay one iteration: CHAOS_SEED=<seed> CHAOS_RUNS=1 (after `npm run -s bundle`)
 *   NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/fault-chaos.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
import {
  chaosScenario,
  describeScenario,
  encodeKey,
  startChaosServer,
  type ChaosPullRequest,
  type ChaosRequest,
  type ChaosScenario,
  type Fault
} from '../__fixtures__/chaos-datafold.js'
import { elementsIn, linksIn, renderGfm } from '../__fixtures__/gfm.js'
import { specViolations } from '../__fixtures__/openapi.js'
import {
  EVENTS_DIR,
  FAKE_GITHUB_TOKEN,
  REPOSITORY,
  commands,
  runAction,
  type ActionResult
} from '../__fixtures__/run-action.js'

/**
 * Changes under every encoding a server might echo it in (backslash, quote, slash, plus, percent),
 * but no whitespace or control characters, which the action rejects as input.
 */
const CHAOS_KEY = 'dfk_chaos\\"/+%~Key9_Wq3Zr8Lm'
const CI_CONFIG_ID = 42
/** What the action may take past timeout-minutes: process start, the summary, a last answer. */
const GRACE_MS = 4_000
const CONCURRENCY = 2 // the machine has two cores; more only makes timing noisier
const DEFAULT_SEED = 20_250_601
const DEFAULT_RUNS = 24

const PULL_REQUEST: ChaosPullRequest = (() => {
  const { pull_request: pr } = JSON.parse(
    readFileSync(`${EVENTS_DIR}/pull_request.opened.json`, 'utf8')
  ) as {
    pull_request: {
      number: number
      head: { ref: string; sha: string }
      base: { ref: string; sha: string }
    }
  }
  return {
    number: pr.number,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    baseSha: pr.base.sha
  }
})()

/** The pull request the GitHub API names for the push in push.created-branch.json. */
const PUSHED_PR: ChaosPullRequest = {
  number: 7,
  headRef: 'master',
  headSha: (
    JSON.parse(readFileSync(`${EVENTS_DIR}/push.created-branch.json`, 'utf8')) as { after: string }
  ).after,
  baseRef: 'release',
  baseSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'
}

const firstSeed = ((): number => {
  const raw = process.env.CHAOS_SEED
  if (raw === undefined || raw === '') return DEFAULT_SEED
  if (raw === 'random') return Math.floor(Math.random() * 2 ** 31)
  const seed = Number(raw)
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`CHAOS_SEED is "${raw}"`)
  return seed
})()
const runs = Number(process.env.CHAOS_RUNS || DEFAULT_RUNS)
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`CHAOS_RUNS is "${process.env.CHAOS_RUNS}"`)

// ---------------------------------------------------------------------------------------------
// One iteration

interface Iteration {
  scenario: ChaosScenario
  pr: ChaosPullRequest
  result: ActionResult
  requests: ChaosRequest[]
  /** Ids of the runs triggers created, and what each reported at the end. */
  created: { id: number; status: string }[]
  /** The data diffs of the runs triggers created: id, run, final result. */
  diffs: { id: number; ciRunId: number; result: string }[]
  /** The chaos server's address (datafold-host). */
  host: string
}

async function runIteration(scenario: ChaosScenario): Promise<Iteration> {
  const pr = scenario.event === 'push' ? PUSHED_PR : PULL_REQUEST
  const server = await startChaosServer({
    scenario,
    apiKey: CHAOS_KEY,
    githubToken: FAKE_GITHUB_TOKEN,
    ciConfigId: CI_CONFIG_ID,
    repository: REPOSITORY,
    pr
  })
  try {
    const result = await runAction({
      eventName: scenario.event,
      eventFile:
        scenario.event === 'push' ? 'push.created-branch.json' : 'pull_request.opened.json',
      inputs: {
        'api-key': CHAOS_KEY,
        'ci-config-id': String(CI_CONFIG_ID),
        'datafold-host': server.url,
        'poll-interval': '0.05',
        'max-poll-interval': '0.2',
        'timeout-minutes': String(scenario.timeoutMinutes),
        'start-timeout-minutes': String(scenario.startTimeoutMinutes),
        'request-timeout': String(scenario.requestTimeoutSeconds),
        'fail-on-data-changes': String(scenario.failOnDataChanges)
      },
      // pull_request events keep run-action's closed port: a lookup there would be a bug.
      env: scenario.event === 'push' ? { GITHUB_API_URL: server.url } : {},
      killAfterMs: scenario.timeoutMinutes * 60_000 + GRACE_MS,
      entry: process.env.CHAOS_ENTRY || undefined
    })
    const created = server.runs
      .filter((run) => run.created)
      .map((run) => ({ id: run.id, status: server.statusOf(run) }))
    const diffs = server.diffs
      .filter((diff) => diff.created)
      .map((diff) => ({
        id: diff.id,
        ciRunId: diff.ciRunId as number,
        result: diff.result as string
      }))
    return {
      scenario,
      pr,
      result,
      requests: [...server.requests],
      created,
      diffs,
      host: server.url
    }
  } finally {
    await server.close()
  }
}

// ---------------------------------------------------------------------------------------------
// The properties

const FINAL_STATUS: Record<string, string> = {
  success: 'done',
  failure: 'failed',
  cancelled: 'cancelled'
}

const UNCHANGED = ['identical', 'empty']

/**
 * Why fail-on-data-changes may fail a done run of this iteration, or undefined when nothing
 * excuses a failure: every diff identical or empty and final with its run, the list answered
 * without a fault, and time left.
 */
function gateExcuse(run: Iteration): string | undefined {
  const { scenario, requests, result, diffs } = run
  const changed = diffs.find((diff) => !UNCHANGED.includes(diff.result))
  if (changed) return `diff ${changed.id} is ${changed.result}`
  if (scenario.diffs.some((diff) => diff.settleAfterMs > 0)) return 'a diff settles after its run'
  if (scenario.diffsRefused) return `the list is refused (${scenario.diffsRefused})`
  const faulty = requests.find((r) => r.endpoint === 'datadiffs' && r.fault !== 'ok')
  if (faulty) return `the list met ${faulty.fault}`
  if (result.durationMs > scenario.timeoutMinutes * 60_000 - 2_000) return 'no time was left'
  return undefined
}

/** Every violated property of one iteration, as `Pn: what happened`. */
function violations(run: Iteration): string[] {
  const { scenario, result, requests, created } = run
  const found: string[] = []
  const conclusion = result.outputs.conclusion
  const createdIds = new Set(created.map((run) => String(run.id)))
  const datafold = requests.filter((r) => r.endpoint !== 'github')
  const diffOutput = readDiffOutput(result)

  // Whether `conclusion` is what the truth allows (timed_out is always allowed).
  const wrongVerdict = ((): string | undefined => {
    switch (conclusion) {
      case undefined:
      case '':
      case 'timed_out':
        return undefined
      case 'success':
      case 'failure':
      case 'cancelled': {
        // The data gate turns a done run into a failure, and only a proven one into a success.
        const gated = scenario.failOnDataChanges && scenario.truth === 'done'
        const expected = gated && conclusion === 'failure' ? 'done' : FINAL_STATUS[conclusion]
        if (scenario.truth !== expected)
          return `${conclusion} but the run's truth is ${scenario.truth}`
        if (gated && conclusion === 'failure' && !gateExcuse(run))
          return 'failure from fail-on-data-changes, though every diff is identical or empty and was readable in time'
        if (gated && conclusion === 'success') {
          const changed = run.diffs.find((diff) => !UNCHANGED.includes(diff.result))
          if (changed)
            return `success with fail-on-data-changes, though diff ${changed.id} is ${changed.result}`
          if (scenario.diffsRefused)
            return `success with fail-on-data-changes, though the list is refused (${scenario.diffsRefused})`
          if (!diffOutput || diffOutput.some((diff) => !UNCHANGED.includes(String(diff.result))))
            return 'success with fail-on-data-changes without reading every diff as identical or empty'
        }
        const runId = result.outputs['ci-run-id']
        if (!createdIds.has(runId ?? '')) {
          return `${conclusion} for ci-run-id "${runId ?? ''}", which no trigger of this step created (created: ${[...createdIds].join(', ') || 'none'})`
        }
        if (result.outputs.status !== expected) {
          return `${conclusion} with status output "${result.outputs.status ?? ''}"`
        }
        return undefined
      }
      case 'skipped':
        if (scenario.truth === 'no-pr') return undefined
        if (scenario.truth === 'no-run' && created.length === 0) return undefined
        return `skipped, but ${scenario.event === 'push' ? 'the push has an open pull request and ' : ''}the truth is ${scenario.truth}${created.length ? ` (run ${created[0].id} exists)` : ''}`
      default:
        return `unknown conclusion "${conclusion}"`
    }
  })()

  // P1: a green step needs a verdict, and a right one.
  if (result.code === 0) {
    if (!conclusion) found.push('P1: exit 0 without a conclusion output')
    else if (conclusion !== 'success' && conclusion !== 'skipped')
      found.push(`P1: exit 0 with conclusion ${conclusion}`)
    else if (wrongVerdict) found.push(`P1: exit 0 with a wrong verdict: ${wrongVerdict}`)
  }

  // P2: a red step says why.
  if (result.code === 1) {
    const explained =
      commands(result.stdout, 'error').length > 0 ||
      ['failure', 'cancelled', 'timed_out'].includes(conclusion ?? '')
    if (!explained) found.push('P2: exit 1 without an ::error:: line or a failing conclusion')
  } else if (result.code !== 0 && !result.killed) {
    found.push(`P2: exit code ${result.code} (signal ${result.exitSignal ?? 'none'})`)
  }

  // P3: the verdict (and the outputs behind it) match the truth.
  if (wrongVerdict) found.push(`P3: conclusion ${wrongVerdict}`)
  const runId = result.outputs['ci-run-id']
  if (runId !== undefined && !createdIds.has(runId)) {
    found.push(`P3: ci-run-id output "${runId}" is not a run this step's trigger created`)
  }
  if (scenario.truth === 'no-pr' && datafold.length > 0) {
    found.push(
      `P3: ${datafold.length} request(s) sent to Datafold for a push with no open pull request`
    )
  }

  // P4: a trigger Datafold processed is never sent again.
  const posts = requests.filter((r) => r.endpoint === 'trigger')
  const processedAt = posts.findIndex((post) => post.processed)
  if (processedAt >= 0 && posts.length > processedAt + 1) {
    found.push(
      `P4: ${posts.length - processedAt - 1} trigger(s) sent after trigger #${processedAt + 1} (${posts[processedAt].fault}), which Datafold processed`
    )
  }

  // P5: the key in no form, whole or cut, anywhere the action writes.
  found.push(...keyLeaks(result).map((leak) => `P5: ${leak}`))

  // P6: the step ends by itself, in time, with a job summary.
  const limitMs = scenario.timeoutMinutes * 60_000 + GRACE_MS
  if (result.killed) found.push(`P6: still running after ${limitMs} ms; killed by the guard`)
  else if (result.durationMs > limitMs) found.push(`P6: took ${result.durationMs} ms`)
  if (!result.summary.includes('| Conclusion |')) found.push('P6: no job summary written')

  // P7: every request is one the real services would accept, about the right pull request.
  found.push(...requestProblems(run).map((problem) => `P7: ${problem}`))

  // P8: the data diffs: read only after done or failed, and shown exactly as the run has them.
  found.push(...diffProblems(run, diffOutput).map((problem) => `P8: ${problem}`))
  return found
}

type DiffOutput = { id: number; table: unknown; result: unknown; url: unknown }[]

function readDiffOutput(result: ActionResult): DiffOutput | undefined {
  const text = result.outputs['data-diffs']
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as DiffOutput
  } catch {
    return [{ id: -1, table: null, result: `not JSON: ${text.slice(0, 80)}`, url: null }]
  }
}

function diffProblems(run: Iteration, output: DiffOutput | undefined): string[] {
  const { scenario, requests, result, diffs, host } = run
  const problems: string[] = []
  const lists = requests.filter((r) => r.endpoint === 'datadiffs')
  if (lists.length > 0 && !['done', 'failed'].includes(scenario.truth))
    problems.push(`${lists.length} data diff list(s) for a run whose truth is ${scenario.truth}`)
  const runId = Number(result.outputs['ci-run-id'])
  const mine = diffs.filter((diff) => diff.ciRunId === runId)
  if (output) {
    const ids = output.map((diff) => diff.id).sort((a, b) => a - b)
    const expected = mine.map((diff) => diff.id).sort((a, b) => a - b)
    if (JSON.stringify(ids) !== JSON.stringify(expected))
      problems.push(`data-diffs lists ids ${ids.join(',')}; the run has ${expected.join(',')}`)
    for (const diff of output) {
      const truth = mine.find((d) => d.id === diff.id)
      if (truth && diff.result !== null && diff.result !== truth.result)
        problems.push(
          `diff ${diff.id} is ${String(diff.result)} in data-diffs, ${truth.result} in truth`
        )
      if (diff.url !== `${host}/datadiffs/${diff.id}/overview`)
        problems.push(`diff ${diff.id} links to ${String(diff.url)}`)
    }
    const changed = output.filter((diff) => diff.result === 'different').length
    if (result.outputs['data-diffs-changed'] !== String(changed))
      problems.push(
        `data-diffs-changed is ${result.outputs['data-diffs-changed']}, ${changed} differ`
      )
  } else if (result.outputs['data-diffs-changed'] !== undefined) {
    problems.push('data-diffs-changed without data-diffs')
  }
  // Whatever the tables are called, the summary links only where the action itself points.
  const html = renderGfm(result.summary)
  const allowed = new Set([
    `https://github.com/${REPOSITORY}/pull/${run.pr.number}`,
    host,
    ...mine.map((diff) => `${host}/datadiffs/${diff.id}/overview`)
  ])
  const stray = linksIn(html).filter((link) => !allowed.has(link))
  if (stray.length > 0) problems.push(`summary links to ${stray.join(', ')}`)
  const markup = elementsIn(html).filter((name) => !SUMMARY_ELEMENTS.has(name))
  if (markup.length > 0) problems.push(`summary has ${[...new Set(markup)].join(', ')} elements`)
  return problems
}

/** What the summary's own markdown makes; anything else came from outside text. */
const SUMMARY_ELEMENTS = new Set([
  'h3',
  'h4',
  'p',
  'br',
  'ul',
  'li',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'code'
])

function requestProblems({ scenario, pr, requests, created }: Iteration): string[] {
  const problems = new Set<string>()
  for (const request of requests) {
    const name = `${request.method} ${request.endpoint}#${request.index}`
    if (request.endpoint === 'other') problems.add(`${name}: unknown path ${request.path}`)
    if (request.endpoint === 'github') {
      if (scenario.event !== 'push') problems.add(`${name}: a GitHub lookup on ${scenario.event}`)
      continue
    }
    if (request.endpoint === 'other') continue
    if (request.headers.authorization !== `Key ${CHAOS_KEY}`)
      problems.add(`${name}: Authorization is not the key`)
    if (request.fault === 'reset-early') continue // the body was never read
    for (const v of specViolations(request)) problems.add(`${name}: ${v}`)
    if (request.endpoint === 'trigger') {
      const body = request.body as Record<string, unknown> | undefined
      const expected = {
        pr_number: pr.number,
        pr_branch: pr.headRef,
        base_branch: pr.baseRef,
        pr_sha: pr.headSha,
        base_sha: pr.baseSha
      }
      if (JSON.stringify(body) !== JSON.stringify(expected))
        problems.add(`${name}: body ${JSON.stringify(body)}, expected ${JSON.stringify(expected)}`)
    } else if (request.endpoint === 'datadiffs') {
      // Only the data diffs of the run this step created, and a bounded number of pages.
      if (!created.some((run) => String(run.id) === request.query.ci_run_id))
        problems.add(`${name}: ci_run_id ${request.query.ci_run_id}, not a run this step created`)
      if (Number(request.query.page) > 10) problems.add(`${name}: page ${request.query.page}`)
    } else if (request.query.pr_sha !== pr.headSha) {
      problems.add(`${name}: pr_sha ${request.query.pr_sha}, expected ${pr.headSha}`)
    }
  }
  return [...problems]
}

/** The secrets and every form of them that counts as a leak. */
const SECRET_FORMS: { label: string; text: string }[] = [
  ...(['plain', 'json', 'url'] as const).flatMap((form) => {
    const text = encodeKey(CHAOS_KEY, form)
    return [
      { label: `${form} key`, text },
      // What an excerpt that cuts the key leaves of it.
      { label: `12-character prefix of the ${form} key`, text: text.slice(0, 12) }
    ]
  }),
  { label: 'github-token', text: FAKE_GITHUB_TOKEN }
]

/** The key's forms found in stdout (but its mask lines), stderr, the outputs and the summary. */
function keyLeaks(result: ActionResult): string[] {
  // The runner needs each form of a secret once, in an ::add-mask:: line (escaped like any
  // command data): those lines are how the log gets masked, the only place a form may appear.
  const stdout = result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  const places: [string, string][] = [
    ['stdout', stdout],
    // Command data is %-escaped on the wire; the runner shows it unescaped.
    ['stdout', unescapeCommandData(stdout)],
    ['stderr', result.stderr],
    ...Object.entries(result.outputs).map(([name, value]): [string, string] => [
      `output ${name}`,
      value
    ]),
    ['summary', result.summary],
    // The summary is markdown: what a reader sees has the backslash escapes and entities undone.
    ['summary', renderedMarkdown(result.summary)]
  ]
  const leaks = new Set<string>()
  for (const [where, text] of places) {
    for (const form of SECRET_FORMS) {
      if (text.includes(form.text)) leaks.add(`${form.label} in ${where}`)
    }
  }
  // A whole key also contains its prefix; report only the whole one.
  return [...leaks].filter(
    (leak) =>
      !(
        leak.startsWith('12-character prefix of the ') &&
        leaks.has(leak.replace(/^12-character prefix of the (\w+) key/, '$1 key'))
      )
  )
}

function unescapeCommandData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function renderedMarkdown(text: string): string {
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!|=<>~"/])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

// ---------------------------------------------------------------------------------------------
// Reporting

function timeline({ requests, result, created }: Iteration): string {
  const start = requests[0]?.at ?? 0
  const lines = requests.map((r) => {
    const processed = r.processed === undefined ? '' : r.processed ? ' processed' : ' not processed'
    return `      +${String(r.at - start).padStart(5)} ms ${r.method} ${r.endpoint}#${r.index} ${r.fault}${r.status ? ` (would answer ${r.status})` : ''}${processed}`
  })
  return [
    ...lines,
    `      runs created: ${created.map((run) => `${run.id} (${run.status})`).join(', ') || 'none'}`,
    `      exit ${result.code ?? result.exitSignal} after ${result.durationMs} ms; outputs ${JSON.stringify(result.outputs)}`
  ].join('\n')
}

function replay(seed: number): string {
  const entry = process.env.CHAOS_ENTRY ? ` CHAOS_ENTRY=${process.env.CHAOS_ENTRY}` : ''
  return `CHAOS_SEED=${seed} CHAOS_RUNS=1${entry} NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/fault-chaos.test.ts`
}

function report(failed: { run: Iteration; found: string[] }[], total: number): string {
  const byProperty = new Map<string, number[]>()
  for (const { run, found } of failed) {
    for (const property of new Set(found.map((v) => v.slice(0, 2)))) {
      byProperty.set(property, [...(byProperty.get(property) ?? []), run.scenario.seed])
    }
  }
  const shown = failed.slice(0, 12)
  return [
    `${failed.length} of ${total} chaos iterations violated a property:`,
    ...[...byProperty.entries()]
      .sort()
      .map(([property, seeds]) => `  ${property} on seeds ${seeds.join(', ')}`),
    '',
    ...shown.map(({ run, found }) =>
      [
        `seed ${run.scenario.seed}: ${describeScenario(run.scenario)}`,
        ...found.map((v) => `    ✗ ${v}`),
        timeline(run),
        '    last lines of the log:',
        ...run.result.stdout
          .trimEnd()
          .split('\n')
          .slice(-8)
          .map((line) => `      | ${line.slice(0, 240)}`),
        `    replay: ${replay(run.scenario.seed)}`,
        ''
      ].join('\n')
    ),
    ...failed
      .slice(shown.length)
      .map(({ run, found }) => `seed ${run.scenario.seed}: ${found.join('; ')}`)
  ].join('\n')
}

async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>) {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

// ---------------------------------------------------------------------------------------------
// The suite

const lastSeed = firstSeed + runs - 1
const seeds = Array.from({ length: runs }, (_, i) => firstSeed + i)
// Worst case per iteration: the longest timeout-minutes plus the grace, two at a time.
const suiteTimeoutMs = Math.ceil(runs / CONCURRENCY) * (0.08 * 60_000 + GRACE_MS + 1_000) + 30_000

describe('chaos: the bundled action against a misbehaving Datafold', () => {
  it(
    `holds every property for seeds ${firstSeed}..${lastSeed} (${runs} run${runs === 1 ? '' : 's'})`,
    async () => {
      const iterations = await inPool(seeds, CONCURRENCY, (seed) =>
        runIteration(chaosScenario(seed))
      )
      const checked = iterations.map((run) => ({ run, found: violations(run) }))
      if (process.env.CHAOS_REPORT) {
        writeFileSync(
          process.env.CHAOS_REPORT,
          JSON.stringify(
            checked.map(({ run, found }) => ({
              seed: run.scenario.seed,
              scenario: describeScenario(run.scenario),
              violations: found,
              code: run.result.code,
              outputs: run.result.outputs,
              durationMs: run.result.durationMs,
              requests: run.requests.map((r) => ({
                endpoint: r.endpoint,
                index: r.index,
                fault: r.fault,
                processed: r.processed,
                at: r.at - (run.requests[0]?.at ?? 0)
              })),
              stdout: run.result.stdout
            })),
            null,
            2
          )
        )
      }
      const failed = checked.filter(({ found }) => found.length > 0)
      if (failed.length > 0) throw new Error(report(failed, checked.length))
    },
    suiteTimeoutMs
  )
})

/** A cut-off with FIN: the right answer's start, then a clean close. */
const finCut = (framing: 'length' | 'chunked', at: 'body-start' | 'body'): Fault => ({
  kind: 'cut',
  framing,
  close: 'fin',
  at,
  fraction: 0.5
})

/** A quiet run that ends done, with `script` as its only faults. */
const scripted = (
  script: ChaosScenario['script'],
  event: ChaosScenario['event'] = 'pull_request'
): ChaosScenario => ({
  ...chaosScenario(1),
  event,
  truth: 'done',
  namesRun: true,
  finishAfterMs: 300,
  appearAfterMs: 0,
  existingRuns: 0,
  timeoutMinutes: 0.1,
  requestTimeoutSeconds: 0.5,
  script
})

describe('chaos: cut-offs with FIN, one at a time', () => {
  it.each([
    ['length', 'body'],
    ['length', 'body-start'],
    ['chunked', 'body']
  ] as const)(
    'on the first status check after the trigger (%s, cut at %s): retried, and the run passes',
    async (framing, at) => {
      const run = await runIteration(scripted({ status: [finCut(framing, at)] }))
      expect(violations(run)).toEqual([])
      expect(run.result.code).toBe(0)
      expect(run.result.outputs).toMatchObject({
        verdict: 'success',
        conclusion: 'success',
        status: 'done'
      })
      expect(run.requests.filter((r) => r.endpoint === 'status').length).toBeGreaterThanOrEqual(2)
    }
  )

  it.each([
    ['length', 'body'],
    ['chunked', 'body']
  ] as const)(
    'on the pre-trigger list (%s, cut at %s): retried, one trigger, and the run passes',
    async (framing, at) => {
      const run = await runIteration(scripted({ 'list-before': [finCut(framing, at)] }))
      expect(violations(run)).toEqual([])
      expect(run.result.outputs).toMatchObject({ verdict: 'success', conclusion: 'success' })
      expect(run.requests.filter((r) => r.endpoint === 'list-before')).toHaveLength(2)
      expect(run.requests.filter((r) => r.endpoint === 'trigger')).toHaveLength(1)
    }
  )

  it.each([
    ['length', 'body'],
    ['chunked', 'body']
  ] as const)(
    'on the trigger (%s, cut at %s): never sent again, and the step does not pass without a verdict',
    async (framing, at) => {
      const run = await runIteration(scripted({ trigger: [finCut(framing, at)] }))
      expect(violations(run)).toEqual([])
      expect(run.requests.filter((r) => r.endpoint === 'trigger')).toHaveLength(1)
      // Either it fails and says why, or it finds the run the trigger made and gives its verdict.
      if (run.result.code === 0) expect(run.result.outputs.conclusion).toBe('success')
      else expect(commands(run.result.stdout, 'error')).not.toEqual([])
    }
  )
})

describe('chaos: echoes, one at a time', () => {
  it.each(['plain', 'json', 'url'] as const)(
    'GitHub echoes the key (%s) in a 500 message: no form of it in the log or the rendered summary',
    async (form) => {
      const run = await runIteration(
        scripted({ github: [{ kind: 'status', status: 500, echo: { form, pad: 0 } }] }, 'push')
      )
      expect(keyLeaks(run.result)).toEqual([])
      expect(violations(run)).toEqual([])
    }
  )
})
