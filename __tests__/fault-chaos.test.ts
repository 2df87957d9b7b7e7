/**
 * Seeded chaos: the bundled action (dist/index.js, as the runner starts it) against a Datafold and
 * GitHub API that misbehave on a real socket (__fixtures__/chaos-datafold.ts). Each iteration's seed
 * picks what really happens (the run ends done, failed or cancelled, never ends, is never created,
 * or a push has no open pull request), the run's data diffs and whether the step gates on them,
 * the settings, and a fault for each request; then the properties below are checked against that
 * truth. Calm iterations (only faults the action must get through, and time for them) must end
 * with the one right verdict; stormy ones (every fault, short time) must never pass wrongly or
 * hang. Any STRATA.length consecutive seeds cover every truth, with and without the gate, calm and
 * stormy. Every violation of every iteration is collected and reported at once, with the seed to
 * replay it.
 *
 *   CHAOS_RUNS=n     iterations (default: one per stratum; 500 is a long soak)
 *   CHAOS_SEED=n     first seed (default fixed, so CI is reproducible; `random` for a fresh one)
 *   CHAOS_REPORT=f   also write every iteration's scenario, requests and violations to f as JSON
 *   CHAOS_ENTRY=f    run another bundle instead of action.yml's dist/index.js (a fix in progress,
 *                    or a build with a planted bug: __fixtures__/chaos-entries/build-planted.sh)
 *   CHAOS_CONCURRENCY=n  actions at once (default 4)
 *
 * Replay one iteration: CHAOS_SEED=<seed> CHAOS_RUNS=1 (after `npm run -s bundle`)
 *   NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/fault-chaos.test.ts -t property
 *
 * The time goes into waiting (runs that take their time, backoffs, timeouts), not into work, so
 * iterations run four at a time on two cores: every limit a calm iteration depends on is generous.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  chaosScenario,
  describeScenario,
  encodeKey,
  FOREIGN_RUN_ID,
  startChaosServer,
  STRATA,
  TRUTHS,
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
/** What the action may take past wait-timeout-minutes: process start, the summary, a last answer. */
const GRACE_MS = 4_000
/** Actions running at once. They mostly wait, so four fit on two cores without crowding. */
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY || 4)
const DEFAULT_SEED = 20_250_601
const DEFAULT_RUNS = STRATA.length
/**
 * A stormy iteration owes its verdict once an answer showed the final status this long before
 * wait-timeout-minutes ended (counted from the spawn, a little before the action's own start): time for
 * a loaded machine to miss that answer once (request-timeout) and for one retry after a backoff.
 */
const VERDICT_MARGIN_MS = 2_000
/** Under fail-on-data-changes a `skipped` ending fails: no run is no proof (issue 15, defect 7). */
const SKIPPED_FAILS_UNDER_GATE = true

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
  /** Date.now() just before the action was spawned. */
  spawnedAt: number
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

/** Every action of this file, property and scripted cases alike, takes one of CONCURRENCY slots. */
const slots = (() => {
  let free = CONCURRENCY
  const waiting: (() => void)[] = []
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free--
    else await new Promise<void>((resolve) => waiting.push(resolve))
    try {
      return await work()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else free++
    }
  }
})()

function runIteration(
  scenario: ChaosScenario,
  entry = process.env.CHAOS_ENTRY
): Promise<Iteration> {
  return slots(() => iterate(scenario, entry || undefined))
}

async function iterate(scenario: ChaosScenario, entry: string | undefined): Promise<Iteration> {
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
    const spawnedAt = Date.now()
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
        'wait-timeout-minutes': String(scenario.timeoutMinutes),
        'start-timeout-minutes': String(scenario.startTimeoutMinutes),
        'request-timeout': String(scenario.requestTimeoutSeconds),
        'fail-on-data-changes': String(scenario.failOnDataChanges)
      },
      // pull_request events keep run-action's closed port: a lookup there would be a bug. Older
      // runs of the commit stand for an earlier attempt of the job: this one is a re-run.
      env: {
        ...(scenario.event === 'push' ? { GITHUB_API_URL: server.url } : {}),
        GITHUB_RUN_ATTEMPT: scenario.existingRuns > 0 ? '2' : '1'
      },
      killAfterMs: scenario.timeoutMinutes * 60_000 + GRACE_MS,
      entry
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
      spawnedAt,
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
  const unprovable = unprovableReading(scenario)
  if (unprovable) return unprovable
  const faulty = requests.find((r) => r.endpoint === 'datadiffs' && r.fault !== 'ok')
  if (faulty) return `the list met ${faulty.fault}`
  if (result.durationMs > scenario.timeoutMinutes * 60_000 - 2_000) return 'no time was left'
  return undefined
}

/** The exit code a conclusion gives this iteration's step. */
function exitCodeFor(conclusion: string, scenario: ChaosScenario): number {
  if (conclusion === 'success') return 0
  if (conclusion === 'skipped')
    return scenario.failOnDataChanges && SKIPPED_FAILS_UNDER_GATE ? 1 : 0
  return 1
}

/** The right conclusions of an iteration whose faults allowed a verdict in time, and why. */
interface Expected {
  conclusions: string[]
  why: string
}

/**
 * Liveness: what the step must conclude, or undefined when faults or time may have kept it from a
 * verdict. A calm iteration always owes the truth's conclusion. A stormy one owes it once a list of
 * runs answered, whole and in time, with the run's final status (the step then knew it), or, for a
 * push with no open pull request, once GitHub answered the lookup.
 */
function expectedEnding(run: Iteration): Expected | undefined {
  const { scenario, requests } = run
  if (scenario.calm) {
    const why = 'calm: every fault is one the action gets through, with time to spare'
    switch (scenario.truth) {
      case 'no-pr':
        return { conclusions: ['skipped'], why: `${why}, and the push has no open pull request` }
      case 'no-run':
        return { conclusions: ['skipped'], why: `${why}, and Datafold started no run` }
      case 'never':
        return { conclusions: ['timed_out'], why: `${why}, and the run never ends` }
      default:
        return finalEnding(run, why)
    }
  }
  const deadline =
    run.spawnedAt +
    scenario.timeoutMinutes * 60_000 -
    scenario.requestTimeoutSeconds * 1000 -
    VERDICT_MARGIN_MS
  const answered = (endpoint: string): ChaosRequest | undefined =>
    requests.find(
      (r) =>
        r.endpoint === endpoint &&
        r.fault === 'ok' &&
        r.at <= deadline &&
        (endpoint !== 'status' || r.finalListed)
    )
  const seen = answered('status')
  if (seen) {
    return finalEnding(
      run,
      `list of runs #${seen.index} answered the final status ${seen.at - run.spawnedAt} ms after the start`
    )
  }
  const lookup = answered('github')
  if (scenario.truth === 'no-pr' && lookup) {
    return {
      conclusions: ['skipped'],
      why: `GitHub answered ${lookup.at - run.spawnedAt} ms after the start that the push has no open pull request`
    }
  }
  return undefined
}

/**
 * Why even a whole, truthful list of the run's diffs proves nothing, or undefined: a Datafold that
 * ignores the ci_run_id filter and lists diffs without a ci_run_id (any of them may be this run's),
 * or lists only other runs' diffs (which does not show that this run has none).
 */
function unprovableReading(scenario: ChaosScenario): string | undefined {
  if (!scenario.ignoreFilter) return undefined
  if (scenario.outsideCi && scenario.otherDiffs >= 3)
    return "Datafold ignores the filter and lists diffs outside CI, which may be this run's"
  if (scenario.diffs.length === 0 && scenario.otherDiffs > 0)
    return "Datafold ignores the filter and lists only other runs' diffs, none of this run"
  return undefined
}

/** What a run that reached its final status (done, failed, cancelled) must conclude. */
function finalEnding(run: Iteration, why: string): Expected {
  const { scenario } = run
  if (scenario.truth === 'failed') return { conclusions: ['failure'], why }
  if (scenario.truth === 'cancelled') return { conclusions: ['cancelled'], why }
  if (!scenario.failOnDataChanges) return { conclusions: ['success'], why }
  const changed = run.diffs.find((diff) => !UNCHANGED.includes(diff.result))
  if (changed)
    return { conclusions: ['failure'], why: `${why}; diff ${changed.id} is ${changed.result}` }
  if (scenario.diffsRefused)
    return {
      conclusions: ['failure'],
      why: `${why}; the list is refused (${scenario.diffsRefused})`
    }
  const unprovable = unprovableReading(scenario)
  if (unprovable) return { conclusions: ['failure'], why: `${why}; ${unprovable}` }
  if (scenario.calm)
    return { conclusions: ['success'], why: `${why}; every diff is identical or empty` }
  // A stormy day may keep the diffs from being read in time; the gate then fails, nothing else.
  const excuse = gateExcuse(run)
  return excuse
    ? { conclusions: ['success', 'failure'], why: `${why}; ${excuse}` }
    : { conclusions: ['success'], why: `${why}; every diff is identical or empty and was readable` }
}

/** Every violated property of one iteration, as `Pn: what happened`. */
function violations(run: Iteration): string[] {
  const { scenario, result, requests, created } = run
  const found: string[] = []
  const conclusion = result.outputs.verdict
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
          const unprovable = unprovableReading(scenario)
          if (unprovable) return `success with fail-on-data-changes, though ${unprovable}`
          if (!diffOutput || diffOutput.some((diff) => !UNCHANGED.includes(String(diff.result))))
            return 'success with fail-on-data-changes without reading every diff as identical or empty'
        }
        const runId = result.outputs['ci-run-id']
        if (!createdIds.has(runId ?? '')) {
          return `${conclusion} for ci-run-id "${runId ?? ''}", which was not made in this iteration (made: ${[...createdIds].join(', ') || 'none'})`
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
    else if (exitCodeFor(conclusion, scenario) !== 0)
      found.push(
        `P1: exit 0 with conclusion ${conclusion}${scenario.failOnDataChanges ? ' under fail-on-data-changes' : ''}`
      )
    else if (wrongVerdict) found.push(`P1: exit 0 with a wrong verdict: ${wrongVerdict}`)
  }

  // P2: a red step says why, and its exit code is its conclusion's.
  if (result.code === 1) {
    if (commands(result.stdout, 'error').length === 0)
      found.push('P2: exit 1 without an ::error:: line')
    if (conclusion && exitCodeFor(conclusion, scenario) !== 1)
      found.push(`P2: exit 1 with conclusion ${conclusion}`)
  } else if (result.code !== 0 && !result.killed) {
    found.push(`P2: exit code ${result.code} (signal ${result.exitSignal ?? 'none'})`)
  }

  // P9: liveness. When the faults allowed a verdict and there was time, exactly the right one.
  const expected = expectedEnding(run)
  if (expected && !expected.conclusions.includes(conclusion ?? '')) {
    found.push(
      `P9: conclusion ${conclusion || '(none)'}, expected ${expected.conclusions.join(' or ')}: ${expected.why}`
    )
  }

  // P3: the verdict (and the outputs behind it) match the truth.
  if (wrongVerdict) found.push(`P3: conclusion ${wrongVerdict}`)
  const runId = result.outputs['ci-run-id']
  if (runId !== undefined && !createdIds.has(runId)) {
    found.push(
      `P3: ci-run-id output "${runId}" is not a run made in this iteration (by the step's trigger or by Datafold on its own)`
    )
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

  // P10: at most one trigger per step: one run at most is started by it.
  const processed = posts.filter((post) => post.processed)
  if (processed.length > 1) found.push(`P10: ${processed.length} triggers processed by Datafold`)

  // P11: no trigger when trigger: auto listed a run it may follow (the first whole list before
  // anything was sent is the one the step decides on).
  const decidingList = requests.find(
    (r) => r.endpoint === 'list-before' && r.followable !== undefined
  )
  if (decidingList?.followable && posts.length > 0) {
    found.push(
      `P11: ${posts.length} trigger(s) sent, though list #${decidingList.index} showed a run of the commit that trigger: auto follows`
    )
  }

  // P12: the run followed is always one of the head commit: no output and no status line names a
  // run of another commit.
  const foreign = new Set(
    Array.from({ length: scenario.foreignRuns }, (_, i) => String(FOREIGN_RUN_ID + i))
  )
  if (runId !== undefined && foreign.has(runId))
    found.push(`P12: ci-run-id output ${runId} is a run of another commit`)
  for (const line of result.stdout.split('\n')) {
    const named = /Datafold CI run (\d+)/.exec(line)?.[1]
    if (named !== undefined && foreign.has(named))
      found.push(`P12: the log names run ${named}, a run of another commit: ${line.slice(0, 160)}`)
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
          `diff ${diff.id} is ${JSON.stringify(diff.result)} in data-diffs, ${truth.result} in truth`
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
  return `CHAOS_SEED=${seed} CHAOS_RUNS=1${entry} NODE_OPTIONS=--experimental-vm-modules npx jest __tests__/fault-chaos.test.ts -t property`
}

function report(failed: { run: Iteration; found: string[] }[], total: number): string {
  const byProperty = new Map<string, number[]>()
  for (const { run, found } of failed) {
    for (const property of new Set(found.map((v) => v.split(':')[0]))) {
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

// ---------------------------------------------------------------------------------------------
// The suite

const lastSeed = firstSeed + runs - 1
const seeds = Array.from({ length: runs }, (_, i) => firstSeed + i)
const longestTimeoutMs =
  Math.max(...seeds.map((seed) => chaosScenario(seed).timeoutMinutes)) * 60_000
// Only a hang reaches this: every iteration killed by its guard, CONCURRENCY at a time.
const suiteTimeoutMs =
  Math.ceil(runs / CONCURRENCY) * (longestTimeoutMs + GRACE_MS + 1_000) + 30_000

/** About how long an iteration takes: its whole timeout unless a calm run ends (or never starts). */
function expectedMs(scenario: ChaosScenario): number {
  if (!scenario.calm || scenario.truth === 'never') return scenario.timeoutMinutes * 60_000
  if (scenario.truth === 'no-run') return scenario.startTimeoutMinutes * 60_000
  return scenario.finishAfterMs
}

/** The iterations, by stratum: what the seeds covered (printed with any failure). */
function coverage(iterations: Iteration[]): string {
  const counts = new Map<string, number>()
  for (const { scenario } of iterations)
    counts.set(scenario.stratum, (counts.get(scenario.stratum) ?? 0) + 1)
  return [...counts.entries()]
    .sort()
    .map(([stratum, count]) => `${stratum}: ${count}`)
    .join('; ')
}

describe('chaos: the bundled action against a misbehaving Datafold', () => {
  it.concurrent(
    `holds every property for seeds ${firstSeed}..${lastSeed} (${runs} run${runs === 1 ? '' : 's'})`,
    async () => {
      // The longest first, so the last slots to free are not waiting on one long run.
      const scenarios = seeds.map(chaosScenario).sort((a, b) => expectedMs(b) - expectedMs(a))
      const iterations = await Promise.all(scenarios.map((scenario) => runIteration(scenario)))
      iterations.sort((a, b) => a.scenario.seed - b.scenario.seed)
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
                finalListed: r.finalListed,
                at: r.at - run.spawnedAt
              })),
              stdout: run.result.stdout
            })),
            null,
            2
          )
        )
      }
      const failed = checked.filter(({ found }) => found.length > 0)
      // The report (each seed's violations and replay command) is the failure's message.
      expect(
        failed.length > 0
          ? `${report(failed, checked.length)}\ncovered: ${coverage(iterations)}`
          : ''
      ).toBe('')
    },
    suiteTimeoutMs
  )

  it('covers every truth with and without the gate in its default seeds, calm and stormy', () => {
    const scenarios = Array.from({ length: DEFAULT_RUNS }, (_, i) =>
      chaosScenario(DEFAULT_SEED + i)
    )
    const cell = (s: ChaosScenario): string =>
      `${s.truth} ${s.failOnDataChanges ? 'gated' : 'ungated'}`
    const everyCell = TRUTHS.flatMap((truth) => [`${truth} gated`, `${truth} ungated`]).sort()
    expect([...new Set(scenarios.filter((s) => s.calm).map(cell))].sort()).toEqual(everyCell)
    expect([...new Set(scenarios.filter((s) => !s.calm).map((s) => s.truth))].sort()).toEqual(
      [...TRUTHS].sort()
    )
    // The gate's calm cases: a done run that must pass, and ones that must fail for a diff that
    // could not compare and for one that changed; a lost trigger whose run must be found.
    expect(
      scenarios
        .filter((s) => s.calm && s.truth === 'done' && s.failOnDataChanges)
        .map((s) => s.stratum)
    ).toEqual(
      expect.arrayContaining([
        'calm done gated unchanged',
        'calm done gated with-error',
        'calm done gated changed',
        'calm done gated unchanged lost-trigger'
      ])
    )
    const mustPass = scenarios.filter((s) => s.stratum.startsWith('calm done gated unchanged'))
    expect(mustPass.map(unprovableReading)).toEqual(mustPass.map(() => undefined))
    const lost = scenarios.filter((s) => s.stratum.endsWith('lost-trigger'))
    expect(lost.map((s) => s.triggerFault?.kind)).not.toContain(undefined)
    // "No open pull request" is a push whose commit GitHub lists no open pull request for.
    expect(scenarios.filter((s) => s.truth === 'no-pr').every((s) => s.event === 'push')).toBe(true)
  })
})

/** A cut-off with FIN: the right answer's start, then a clean close. */
const finCut = (framing: 'length' | 'chunked', at: 'body-start' | 'body'): Fault => ({
  kind: 'cut',
  framing,
  close: 'fin',
  at,
  fraction: 0.5
})

/** A calm run that ends done, ungated, with `script` as its only faults. */
const scripted = (
  script: ChaosScenario['script'],
  event: ChaosScenario['event'] = 'pull_request'
): ChaosScenario => ({
  ...chaosScenario(DEFAULT_SEED),
  stratum: 'scripted',
  calm: true,
  event,
  truth: 'done',
  namesRun: true,
  finishAfterMs: 100,
  appearAfterMs: 0,
  existingRuns: 0,
  webhook: false,
  foreignRuns: 0,
  timeoutMinutes: 0.2,
  startTimeoutMinutes: 0.1,
  // Long enough that a loaded machine never turns a good answer into a retry: the counts are exact.
  requestTimeoutSeconds: 3,
  diffs: [{ table: 'analytics.pr_7.orders', result: 'identical', settleAfterMs: 0 }],
  otherDiffs: 0,
  ignoreFilter: false,
  outsideCi: false,
  failOnDataChanges: false,
  diffsRefused: undefined,
  script
})

/** What a passing step leaves: exit 0, success, the run's id and status, and no violation. */
function expectPassed(run: Iteration): void {
  expect(violations(run)).toEqual([])
  expect(run.result.code).toBe(0)
  expect(run.result.outputs).toMatchObject({
    verdict: 'success',
    status: 'done',
    'ci-run-id': String(run.created[0]?.id)
  })
  expect(run.created).toHaveLength(1)
}

describe('chaos: cut-offs with FIN, one at a time', () => {
  it.concurrent.each([
    ['length', 'body'],
    ['length', 'body-start'],
    ['chunked', 'body']
  ] as const)(
    'on the first status check after the trigger (%s, cut at %s): retried, and the run passes',
    async (framing, at) => {
      const run = await runIteration(scripted({ status: [finCut(framing, at)] }))
      expectPassed(run)
      expect(run.requests.filter((r) => r.endpoint === 'status').length).toBeGreaterThanOrEqual(2)
    }
  )

  it.concurrent.each([
    ['length', 'body'],
    ['chunked', 'body']
  ] as const)(
    'on the pre-trigger list (%s, cut at %s): retried, one trigger, and the run passes',
    async (framing, at) => {
      const run = await runIteration(scripted({ 'list-before': [finCut(framing, at)] }))
      expectPassed(run)
      expect(run.requests.filter((r) => r.endpoint === 'list-before')).toHaveLength(2)
      expect(run.requests.filter((r) => r.endpoint === 'trigger')).toHaveLength(1)
    }
  )

  it.concurrent.each([
    ['length', 'body'],
    ['chunked', 'body']
  ] as const)(
    'on the trigger (%s, cut at %s): never sent again; the run it made is found in the list, and passes',
    async (framing, at) => {
      const run = await runIteration(scripted({ trigger: [finCut(framing, at)] }))
      expectPassed(run)
      expect(run.requests.filter((r) => r.endpoint === 'trigger')).toHaveLength(1)
      expect(run.requests.find((r) => r.endpoint === 'trigger')?.processed).toBe(true)
      expect(run.result.stdout).toContain('the trigger is not sent again')
    }
  )
})

describe('chaos: echoes, one at a time', () => {
  it.concurrent.each(['plain', 'json', 'url'] as const)(
    'GitHub echoes the key (%s) in a 500 message: retried, the run passes, and no form of the key is in the log or the rendered summary',
    async (form) => {
      const run = await runIteration(
        scripted({ github: [{ kind: 'status', status: 500, echo: { form, pad: 0 } }] }, 'push')
      )
      expect(keyLeaks(run.result)).toEqual([])
      expectPassed(run)
      expect(run.requests.filter((r) => r.endpoint === 'github')).toHaveLength(2)
    }
  )
})

/**
 * The checks above can fail: the same checks on two calm seeds (a done run, a push with no open
 * pull request) against broken actions. Each does what a careless action might: it writes a job
 * summary and an ::error:: line and fails, so only the demand for the right verdict catches it.
 */
describe('chaos: the checks catch a broken action', () => {
  const entries = new URL('../__fixtures__/chaos-entries/', import.meta.url)
  const seedOf = (stratum: string): number => {
    const offset = STRATA.findIndex((_, i) => chaosScenario(DEFAULT_SEED + i).stratum === stratum)
    return DEFAULT_SEED + offset
  }
  const cases = [
    ['calm done ungated', 'success'],
    ['calm no-pr ungated', 'skipped']
  ] as const

  it.concurrent.each(cases)(
    'one that contacts nothing and exits 1 with an error (%s: it should end %s)',
    async (stratum, conclusion) => {
      const run = await runIteration(
        chaosScenario(seedOf(stratum)),
        fileURLToPath(new URL('contact-nothing.mjs', entries))
      )
      expect(violations(run)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(`^P9: conclusion \\(none\\), expected ${conclusion}`)
        ])
      )
    }
  )

  it.concurrent.each(cases)(
    'the real bundle behind a gate that never opens (%s: it should end %s)',
    async (stratum, conclusion) => {
      const run = await runIteration(
        chaosScenario(seedOf(stratum)),
        fileURLToPath(new URL('never-pass.mjs', entries))
      )
      expect(run.result.outputs.verdict).toBe(conclusion)
      expect(violations(run)).toEqual([`P2: exit 1 with conclusion ${conclusion}`])
    }
  )
})
