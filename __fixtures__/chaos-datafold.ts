/**
 * A misbehaving Datafold (and GitHub API) on a real local socket, for the seeded chaos suite
 * (__tests__/fault-chaos.test.ts). It speaks what scripts/stand-in-datafold.js speaks (the
 * `Authorization: Key <key>` check, one CI config, the trigger body checks, runs newest first with
 * limit/offset paging, the run's data diffs among other runs' diffs, filtered by ci_run_id or not)
 * plus `GET /repos/{owner}/{repo}/commits/{sha}/pulls`, and it answers a share
 * of the requests badly: cut off (FIN or RST, Content-Length or chunked, anywhere from inside the
 * headers to the last byte), stalled, dripped, HTML or text or JSON of the wrong shape with a 200,
 * bursts of 5xx and 429, and bodies that echo the API key in plain, JSON-escaped or URL-encoded form.
 *
 * Everything is drawn from a seed: `chaosScenario(seed)` picks what the real run does (the truth)
 * and the settings, and the fault for the n-th request to an endpoint is drawn from (seed, endpoint,
 * n), so a seed replays the same faults for the same sequence of requests; only timing (how many
 * status checks fit in the time) can make two replays differ.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import {
  dataDiffAnswer,
  type DiffResultValue,
  type StandInDiff
} from '../scripts/stand-in-datafold.js'

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same stream on every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a of a label: separate streams per (seed, endpoint, request) so one draw never shifts another. */
function hashLabel(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

class Rng {
  private readonly next: () => number
  constructor(seed: number, ...labels: (string | number)[]) {
    this.next = mulberry32(hashLabel([seed, ...labels].join(':')))
  }
  float(): number {
    return this.next()
  }
  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }
  /** One of `items`, each as likely as its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0)
    let draw = this.next() * total
    for (const [item, weight] of items) {
      draw -= weight
      if (draw < 0) return item
    }
    return items[items.length - 1][0]
  }
}

// ---------------------------------------------------------------------------------------------
// Faults

/** Where a request falls in the action's flow. */
type Endpoint = 'list-before' | 'trigger' | 'status' | 'github' | 'datadiffs'

/** A body that carries the key: plain, JSON-escaped or URL-encoded, after `pad` characters. */
export interface Echo {
  form: 'plain' | 'json' | 'url'
  pad: number
}

export type Fault =
  /**
   * The right answer, cut off: `at` says where (inside the status line and headers, right after
   * them with 0 body bytes, or inside the body; for chunked also between the last chunk and the
   * terminator), `fraction` picks the byte within that region, `close` how the connection ends.
   */
  | {
      kind: 'cut'
      framing: 'length' | 'chunked'
      close: 'fin' | 'rst'
      at: 'headers' | 'body-start' | 'body'
      fraction: number
    }
  /** RST before the request body is read (nothing processed). */
  | { kind: 'reset-early' }
  /** Accept and never answer: the client's request-timeout has to end it. */
  | { kind: 'stall' }
  /** The right answer, `chunk` bytes every `everyMs` (headers included). */
  | { kind: 'drip'; chunk: number; everyMs: number }
  | { kind: 'html' | 'text' | 'wrong-shape'; variant: number; echo?: Echo }
  /** The right answer's JSON cut to `fraction` of its length, with a Content-Length that matches. */
  | { kind: 'truncated-json'; fraction: number }
  | { kind: 'status'; status: 429 | 500 | 502 | 503 | 504; retryAfter?: string; echo?: Echo }

/**
 * Whether a trigger that meets this fault was processed (the run exists) before the misbehaviour:
 * Datafold read it and then the answer got lost (cut, stalled, reset after the body, 500, 504, a
 * bad answer from Datafold itself), or something in front of Datafold refused it first (429, 502,
 * 503, a reset before the body, an HTML or text page that is not Datafold's).
 */
function processesTrigger(fault: Fault | undefined): boolean {
  if (!fault) return true
  switch (fault.kind) {
    case 'reset-early':
    case 'html':
    case 'text':
      return false
    case 'status':
      return fault.status === 500 || fault.status === 504
    default:
      return true
  }
}

function describeFault(fault: Fault | undefined): string {
  if (!fault) return 'ok'
  switch (fault.kind) {
    case 'cut':
      return `cut(${fault.framing},${fault.close},${fault.at}@${fault.fraction.toFixed(2)})`
    case 'drip':
      return `drip(${fault.chunk}B/${fault.everyMs}ms)`
    case 'status':
      return `${fault.status}${fault.retryAfter !== undefined ? `(Retry-After ${fault.retryAfter})` : ''}${echoLabel(fault.echo)}`
    case 'html':
    case 'text':
    case 'wrong-shape':
      return `${fault.kind}#${fault.variant}${echoLabel(fault.echo)}`
    case 'truncated-json':
      return `truncated-json@${fault.fraction.toFixed(2)}`
    default:
      return fault.kind
  }
}

const echoLabel = (echo: Echo | undefined): string =>
  echo ? `+echo(${echo.form}@${echo.pad})` : ''

type FaultClass = Fault['kind'] | '5xx' | '429'
const FAULT_WEIGHTS: readonly (readonly [FaultClass, number])[] = [
  ['cut', 4],
  ['reset-early', 1],
  ['stall', 1],
  ['drip', 1],
  ['html', 1],
  ['text', 1],
  ['wrong-shape', 1],
  ['truncated-json', 1],
  ['5xx', 2],
  ['429', 1]
]

/** One fault drawn from `rng` (the request's own stream), of `kind` when given. */
function drawFault(rng: Rng, kind: FaultClass = rng.weighted(FAULT_WEIGHTS)): Fault {
  const echo = (): Echo | undefined =>
    rng.chance(0.5)
      ? // After the preamble of each body (0 to 90 characters), a pad of 200 to 300 often puts the
        // key across the 300-character excerpt the action quotes; 0 puts it near the start.
        { form: rng.pick(['plain', 'json', 'url'] as const), pad: rng.pick([0, rng.int(200, 300)]) }
      : undefined
  switch (kind) {
    case 'cut':
      return {
        kind: 'cut',
        framing: rng.pick(['length', 'chunked'] as const),
        close: rng.pick(['fin', 'rst'] as const),
        at: rng.weighted([
          ['headers', 1],
          ['body-start', 1],
          ['body', 2]
        ] as const),
        fraction: rng.float()
      }
    case 'reset-early':
      return { kind: 'reset-early' }
    case 'stall':
      return { kind: 'stall' }
    case 'drip':
      // Some drips finish inside request-timeout, most do not.
      return { kind: 'drip', chunk: rng.int(2, 48), everyMs: rng.int(20, 300) }
    case 'html':
      return { kind: 'html', variant: rng.int(0, 2), echo: echo() }
    case 'text':
      return { kind: 'text', variant: rng.int(0, 2), echo: echo() }
    case 'wrong-shape':
      return { kind: 'wrong-shape', variant: rng.int(0, 2), echo: echo() }
    case 'truncated-json':
      return { kind: 'truncated-json', fraction: rng.float() }
    case '429':
      return {
        kind: 'status',
        status: 429,
        retryAfter: rng.pick([undefined, '0', '1']),
        echo: echo()
      }
    default:
      return { kind: 'status', status: rng.pick([500, 502, 503, 504] as const), echo: echo() }
  }
}

// ---------------------------------------------------------------------------------------------
// Scenario: the truth and the settings a seed picks

/** What really happens in Datafold (and GitHub) in one iteration. */
type Truth = 'done' | 'failed' | 'cancelled' | 'never' | 'no-run' | 'no-pr'

export const TRUTHS: readonly Truth[] = ['done', 'failed', 'cancelled', 'never', 'no-run', 'no-pr']

/**
 * Which data diffs a run gets: drawn freely, or (for the gate's cases) only identical and empty
 * ones, those plus one that could not compare (error), or those plus one that changed.
 */
type DiffMix = 'any' | 'unchanged' | 'with-error' | 'changed'

/**
 * One kind of iteration. `calm` ones meet only faults the action must get through (a bounded
 * number of them, each retried or, for the trigger, recovered by finding the run) and have time
 * for them, so the one right verdict is required; `stormy` ones meet every fault at any rate and
 * show that the action never passes wrongly and never hangs.
 */
interface Stratum {
  truth: Truth
  gated: boolean
  calm: boolean
  diffs: DiffMix
  /** The trigger's answer is lost after Datafold created the run (the step must find it). */
  lostTrigger?: boolean
  /** Datafold started the commit's run on its own before the step (its repository integration). */
  webhook?: boolean
}

const calm = (truth: Truth, gated: boolean, extra: Partial<Stratum> = {}): Stratum => ({
  truth,
  gated,
  calm: true,
  diffs: 'any',
  ...extra
})
const stormy = (truth: Truth): Stratum => ({ truth, gated: false, calm: false, diffs: 'any' })

/**
 * Seed n runs STRATA[n % STRATA.length], so any STRATA.length consecutive seeds cover every truth
 * with and without the gate (the rest of the scenario is drawn from the seed). Stormy iterations
 * draw the gate too.
 */
export const STRATA: readonly Stratum[] = [
  calm('done', false),
  calm('done', true, { diffs: 'unchanged' }),
  calm('done', true, { diffs: 'with-error' }),
  calm('done', true, { diffs: 'changed' }),
  calm('done', true, { diffs: 'unchanged', lostTrigger: true }),
  calm('done', false, { webhook: true }),
  calm('failed', true, { webhook: true }),
  calm('failed', false),
  calm('failed', true),
  calm('cancelled', false),
  calm('cancelled', true),
  calm('never', false),
  calm('never', true),
  calm('no-run', false),
  calm('no-run', true),
  calm('no-pr', false),
  calm('no-pr', true),
  stormy('done'),
  stormy('failed'),
  stormy('cancelled'),
  stormy('never'),
  stormy('no-run'),
  stormy('no-pr')
]

export interface ChaosScenario {
  seed: number
  /** Which of STRATA the seed runs, as `calm done gated unchanged` (for reports). */
  stratum: string
  /** Only faults the action must get through, and time for them: the right verdict is required. */
  calm: boolean
  event: 'pull_request' | 'push'
  truth: Truth
  /** The trigger answers the run's id; otherwise null ids while still creating the run. */
  namesRun: boolean
  /** A created run reaches its final status this long after the trigger created it. */
  finishAfterMs: number
  /** A created run is missing from the list this long after it was created. */
  appearAfterMs: number
  /**
   * Older runs of the same commit, listed before the new one; >100 pages. They make the job a
   * re-run (GITHUB_RUN_ATTEMPT 2) and the newest of them is final, so trigger: auto starts a new
   * run rather than follow one of them.
   */
  existingRuns: number
  /**
   * Datafold started the commit's run on its own before the step, with the truth's statuses:
   * trigger: auto must follow it (no trigger) unless it is cancelled, or final on a re-run.
   */
  webhook: boolean
  /**
   * Runs of another commit, newest of all and done, that the list shows although it was asked
   * for the head commit's (a list that ignores pr_sha): never to be followed.
   */
  foreignRuns: number
  /** Chance that one request meets a fault (the trigger and first list get a little more). */
  faultRate: number
  /** A burst of 5xx/429 repeats on the next requests to the same endpoint up to this many times. */
  maxBurst: number
  /** Calm only: how many requests besides the trigger may meet a fault. */
  faultBudget: number
  /** Calm only: the trigger's fault (processed or refused before Datafold; see processesTrigger). */
  triggerFault?: Fault
  timeoutMinutes: number
  startTimeoutMinutes: number
  requestTimeoutSeconds: number
  /** For push events without an open pull request: what the GitHub API lists instead. */
  noPrShape?: 'empty' | 'closed' | 'other-head'
  /** Fixed faults per endpoint, in order (null: answer well); replaces the random faults. */
  script?: Partial<Record<Endpoint, (Fault | null)[]>>
  /** The data diffs of a run a trigger creates. */
  diffs: ChaosDiff[]
  /** Data diffs of other runs (newer, older) and outside CI, in the same list. */
  otherDiffs: number
  /** The data diff list ignores ci_run_id (the spec does not declare the filter). */
  ignoreFilter: boolean
  /** Every third of the other diffs is outside CI (no ci_run_id); else of other runs only. */
  outsideCi: boolean
  /** The step runs with fail-on-data-changes: true. */
  failOnDataChanges: boolean
  /** Datafold refuses every data diff list with this status (an answer, not a passing fault). */
  diffsRefused?: 403 | 404
}

/** One data diff of the created run, and when it has its result. */
interface ChaosDiff {
  table: string | null
  result: DiffResultValue
  /** The diff has its result this long after its run reached its final status. */
  settleAfterMs: number
}

/** Table names a server might send, the awkward ones included: they must stay text in the summary. */
const TABLE_NAMES = [
  'analytics.pr_7.orders',
  'analytics.pr_7.customers',
  'raw.events_2024',
  'db.schema.a|b',
  'db.`tick`.x',
  'db.<img src=x onerror=alert(1)>',
  'db.[click](https://evil.example)',
  'https://evil.example/t',
  'db.**bold**_x_',
  null
] as const

/**
 * Time settings. Calm runs that end get a generous wait-timeout-minutes: a run that ends costs only
 * its own time, and the generous limit is what makes "time is enough" true (worst case: the run's
 * 0.8 s, a diff's 0.6 s, a lost trigger's request time limit, two faults with a request time limit
 * and a 1 s and a 2 s backoff, a slow start on a loaded machine). A run that never ends costs its
 * whole timeout, so a calm one gets a short one, and so do stormy runs.
 */
const CALM_TIMEOUT_MINUTES = 0.2
const NEVER_TIMEOUT_MINUTES = 0.03
const STORMY_TIMEOUT_MINUTES = [0.03, 0.04, 0.05] as const
/**
 * 1.2 s, and runs appear in the list at most 0.2 s after the trigger: a run that exists is seen in
 * any list that answers after start-timeout-minutes, even on a machine too loaded to read an answer
 * for most of a second.
 */
const START_TIMEOUT_MINUTES = 0.02
/**
 * A calm run that exists gets 6 s to be found: faults may hold the lists for a few seconds, and a
 * list whose first page was read before the run appeared shows none (seed 7126 of a soak: a lost
 * trigger, page 2 of the first list after it held 1.8 s by a stall and a text page, and the step
 * ended with "no new run appeared" at 1.2 s). Found runs end the window, so it costs nothing.
 */
const CALM_START_TIMEOUT_MINUTES = 0.1

/** Everything the seed decides, drawn from its own stream. */
export function chaosScenario(seed: number): ChaosScenario {
  const stratum = STRATA[seed % STRATA.length]
  const rng = new Rng(seed, 'scenario')
  const { truth } = stratum
  const event = truth === 'no-pr' || rng.chance(0.25) ? 'push' : 'pull_request'
  const createsRun = ['done', 'failed', 'cancelled', 'never'].includes(truth)
  // Their own stream: the draws above and below stay what they were before these existed.
  const runsRng = new Rng(seed, 'datafold-runs')
  const webhook =
    stratum.webhook ??
    (!stratum.calm && createsRun && event === 'pull_request' && runsRng.chance(0.3))
  const foreignRuns = runsRng.chance(0.3) ? runsRng.int(1, 2) : 0
  const failOnDataChanges = stratum.calm ? stratum.gated : rng.chance(0.5)
  const timeoutMinutes = !stratum.calm
    ? rng.pick(STORMY_TIMEOUT_MINUTES)
    : truth === 'never'
      ? NEVER_TIMEOUT_MINUTES
      : CALM_TIMEOUT_MINUTES
  return {
    seed,
    stratum: [
      stratum.calm ? 'calm' : 'stormy',
      truth,
      failOnDataChanges ? 'gated' : 'ungated',
      ...(stratum.diffs !== 'any' ? [stratum.diffs] : []),
      ...(stratum.lostTrigger ? ['lost-trigger'] : []),
      ...(stratum.webhook ? ['webhook'] : [])
    ].join(' '),
    calm: stratum.calm,
    event,
    truth,
    namesRun: rng.chance(0.6),
    finishAfterMs: rng.int(0, 800),
    appearAfterMs: rng.chance(0.3) ? rng.int(50, 200) : 0,
    // Datafold's own run on a first attempt is always followed (a calm webhook iteration shows
    // that); on a re-run, a final one is not. One page of runs, so the list that decides is one
    // request.
    existingRuns: ((drawn: number) => (stratum.webhook ? 0 : webhook ? Math.min(drawn, 3) : drawn))(
      rng.weighted([
        [0, 5],
        [rng.int(1, 3), 3],
        [rng.int(100, 125), 1]
      ] as const)
    ),
    webhook,
    foreignRuns,
    faultRate: rng.pick([0.1, 0.2, 0.35]),
    maxBurst: rng.int(1, 4),
    faultBudget: rng.int(0, 2),
    triggerFault: stratum.calm
      ? calmTriggerFault(rng, createsRun, stratum.lostTrigger ?? false)
      : undefined,
    timeoutMinutes,
    startTimeoutMinutes:
      stratum.calm && createsRun ? CALM_START_TIMEOUT_MINUTES : START_TIMEOUT_MINUTES,
    requestTimeoutSeconds: rng.pick([0.3, 0.4, 0.5]),
    noPrShape: truth === 'no-pr' ? rng.pick(['empty', 'closed', 'other-head'] as const) : undefined,
    failOnDataChanges,
    ...diffScenario(rng, stratum)
  }
}

/**
 * A calm trigger's fault: none, one that stops it before Datafold (429, 502, 503: sent again), or,
 * when the run is created, one that loses the answer after Datafold created it (found in the list).
 */
function calmTriggerFault(rng: Rng, createsRun: boolean, lost: boolean): Fault | undefined {
  const refused = (): Fault => ({
    kind: 'status',
    status: rng.pick([429, 502, 503] as const),
    retryAfter: rng.pick([undefined, '0', '1'])
  })
  if (createsRun && (lost || rng.chance(0.3))) {
    return rng.pick<() => Fault>([
      () => ({
        kind: 'cut',
        framing: rng.pick(['length', 'chunked'] as const),
        close: rng.pick(['fin', 'rst'] as const),
        at: rng.pick(['headers', 'body-start', 'body'] as const),
        fraction: rng.float()
      }),
      () => ({ kind: 'stall' }),
      // Not a 500: the action takes it for a refusal and fails (without looking for the run).
      () => ({ kind: 'status', status: 504 }),
      () => ({ kind: 'truncated-json', fraction: rng.float() })
    ])()
  }
  return rng.chance(0.2) ? refused() : undefined
}

/** The faults a calm iteration meets besides the trigger's: each one retried by the action. */
function drawCalmFault(rng: Rng, endpoint: Endpoint): Fault {
  const kinds: FaultClass[] = ['cut', 'stall', 'truncated-json', '5xx', '429']
  // A status check also gets through slow answers and bodies of the wrong kind (it retries them;
  // the first list may take a page that is not JSON for the wrong host, and a data diff list an
  // HTML page for a deployment without the endpoint, so those two only meet these on stormy days).
  if (endpoint === 'status') kinds.push('drip', 'html', 'text', 'wrong-shape')
  return drawFault(rng, rng.pick(kinds))
}

function diffScenario(
  rng: Rng,
  stratum: Stratum
): Pick<ChaosScenario, 'diffs' | 'otherDiffs' | 'ignoreFilter' | 'outsideCi' | 'diffsRefused'> {
  const unchanged = ['identical', 'empty'] as const
  const count = rng.weighted([
    [0, 1],
    [1, 2],
    [rng.int(2, 5), 3]
  ] as const)
  const results: DiffResultValue[] = Array.from({ length: count }, () =>
    stratum.diffs === 'any'
      ? rng.weighted([
          ['identical', 5],
          ['empty', 1],
          ['different', 2],
          ['error', 1],
          ['bad-pks', 1],
          ['missing-pks', 1]
        ] as const)
      : rng.pick(unchanged)
  )
  if (stratum.diffs === 'with-error') results.splice(rng.int(0, results.length), 0, 'error')
  if (stratum.diffs === 'changed')
    results.splice(
      rng.int(0, results.length),
      0,
      rng.pick(['different', 'bad-pks', 'missing-pks'] as const)
    )
  const ignoreFilter = rng.chance(0.35)
  // A Datafold that ignores the filter and lists only other runs' diffs does not show that this
  // run has none; the calm runs that must pass keep to what can be proven.
  if (ignoreFilter && stratum.diffs === 'unchanged' && results.length === 0)
    results.push('identical')
  return {
    diffs: results.map((result): ChaosDiff => ({
      table: rng.pick(TABLE_NAMES),
      result,
      // Most diffs are done with their run; some finish a little later; on stormy days a few
      // after the deadline.
      settleAfterMs: rng.chance(0.7) ? 0 : stratum.calm ? rng.int(100, 600) : rng.int(100, 3000)
    })),
    otherDiffs: rng.weighted([
      [0, 3],
      [rng.int(1, 20), 2],
      [rng.int(150, 260), 1]
    ] as const),
    ignoreFilter,
    // A Datafold that ignores the filter and lists diffs outside CI (no ci_run_id) leaves the gate
    // unproven; the calm runs that must pass keep to what can be proven.
    outsideCi: !(ignoreFilter && stratum.diffs === 'unchanged') && rng.chance(0.5),
    diffsRefused: !stratum.calm && rng.chance(0.15) ? rng.pick([403, 404] as const) : undefined
  }
}

export function describeScenario(s: ChaosScenario): string {
  const parts = [
    s.stratum,
    `event=${s.event}`,
    `truth=${s.truth}${s.noPrShape ? `(${s.noPrShape})` : ''}`,
    `trigger ${s.namesRun ? 'names the run' : 'answers null ids'}`,
    `finishAfter=${s.finishAfterMs}ms`,
    `appearAfter=${s.appearAfterMs}ms`,
    `existingRuns=${s.existingRuns}`,
    ...(s.webhook ? ['Datafold started the run on its own (webhook)'] : []),
    ...(s.foreignRuns ? [`foreignRuns=${s.foreignRuns}`] : []),
    s.script
      ? 'scripted faults'
      : s.calm
        ? `trigger fault ${describeFault(s.triggerFault)}, up to ${s.faultBudget} more`
        : `faultRate=${s.faultRate} maxBurst=${s.maxBurst}`,
    `wait-timeout-minutes=${s.timeoutMinutes}`,
    `start-timeout-minutes=${s.startTimeoutMinutes}`,
    `request-timeout=${s.requestTimeoutSeconds}`,
    `diffs=[${s.diffs.map((d) => `${d.result}${d.settleAfterMs ? `+${d.settleAfterMs}ms` : ''}`).join(' ')}]`,
    `otherDiffs=${s.otherDiffs}${s.outsideCi ? ' (some outside CI)' : ''}${s.ignoreFilter ? ' (filter ignored)' : ''}`,
    `fail-on-data-changes=${s.failOnDataChanges}`,
    ...(s.diffsRefused ? [`data diffs refused ${s.diffsRefused}`] : [])
  ]
  return parts.join(', ')
}

// ---------------------------------------------------------------------------------------------
// The server

/** The pull request each event is about (from __fixtures__/events). */
export interface ChaosPullRequest {
  number: number
  headRef: string
  headSha: string
  baseRef: string
  baseSha: string
}

export interface ChaosOptions {
  scenario: ChaosScenario
  apiKey: string
  /** The token the GitHub endpoint accepts (`token` or `Bearer`). */
  githubToken: string
  ciConfigId: number
  /** owner/name whose commits-to-pulls endpoint is served. */
  repository: string
  pr: ChaosPullRequest
}

export interface ChaosRequest {
  at: number
  endpoint: Endpoint | 'other'
  /** Position among the requests to this endpoint (0-based). */
  index: number
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingMessage['headers']
  body: unknown
  fault: string
  /** Trigger only: the run was created (or, for truth no-run, Datafold handled it). */
  processed?: boolean
  /** The answer it would have had, when the server got that far (status). */
  status?: number
  /** A list of runs: the answer, whole in one page, lists a created run with its final status. */
  finalListed?: boolean
  /**
   * A list before anything was sent: the newest run of the head commit it shows is one that
   * trigger: auto may follow (not cancelled, and not final on a re-run).
   */
  followable?: boolean
}

interface ChaosRun {
  id: number
  createdAt: number
  pr_num: string
  pr_sha: string
  pr_branch: string
  base_branch: string
  base_sha: string
  /**
   * Made in this iteration, by a trigger or by Datafold on its own (false: an older run of the
   * same commit, or another commit's).
   */
  created: boolean
  /** Started by Datafold on its own (scenario webhook). */
  webhook?: boolean
  /** Older runs keep the status they had. */
  fixedStatus?: string
}

export interface ChaosServer {
  url: string
  requests: ChaosRequest[]
  runs: ChaosRun[]
  /** Every data diff listed: the created runs' (`created`) and the others. */
  diffs: (StandInDiff & { settleAfterMs?: number })[]
  /** Whether a diff of a created run has its result now. */
  settled(diff: StandInDiff & { settleAfterMs?: number }, now?: number): boolean
  /** What a created run reports now. */
  statusOf(run: ChaosRun, now?: number): string
  close(): Promise<void>
}

const FIRST_RUN_ID = 1000
/** Runs of another commit (scenario foreignRuns): newer than any of this iteration. */
export const FOREIGN_RUN_ID = 9000
const FOREIGN_SHA = 'f0'.repeat(20)
const FINAL_STATUS: Partial<Record<Truth, string>> = {
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled'
}
/** Chance that a request of a calm iteration meets one of its few faults. */
const CALM_FAULT_RATE = 0.25
/** Where an echo goes in a JSON body of the wrong shape. */
const ECHO = '@@echo@@'

export async function startChaosServer(options: ChaosOptions): Promise<ChaosServer> {
  const { scenario, pr } = options
  const requests: ChaosRequest[] = []
  const runs: ChaosRun[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const counters: Record<Endpoint, number> = {
    github: 0,
    'list-before': 0,
    trigger: 0,
    status: 0,
    datadiffs: 0
  }
  const diffs: (StandInDiff & { settleAfterMs?: number })[] = []
  let nextDiffId = 1
  for (let i = 0; i < scenario.otherDiffs; i++) {
    // Newer runs (of other pull requests), older runs, and diffs outside CI, ids interleaved.
    const ciRunId = [FIRST_RUN_ID + 500 + (i % 7), 100 + (i % 50), scenario.outsideCi ? null : 7][
      i % 3
    ]
    diffs.push({ id: nextDiffId++, ciRunId, result: i % 4 === 0 ? 'different' : 'identical' })
  }
  type BurstStatus = Extract<Fault, { kind: 'status' }>['status']
  const bursts: Partial<Record<Endpoint, { left: number; statuses: readonly BurstStatus[] }>> = {}
  let triggered = false
  let nextId = FIRST_RUN_ID
  let calmFaultsLeft = scenario.faultBudget

  /** The list that decides whether the step triggers has been answered. */
  let decided = false
  const older = new Rng(scenario.seed, 'existing')
  for (let i = 0; i < scenario.existingRuns; i++) {
    const newest = i === scenario.existingRuns - 1
    runs.push({
      id: 100 + i,
      createdAt: 0,
      pr_num: String(pr.number),
      pr_sha: pr.headSha,
      pr_branch: pr.headRef,
      base_branch: pr.baseRef,
      base_sha: pr.baseSha,
      created: false,
      // The statuses that would fool an action following the wrong run; the newest is final, so
      // the re-run these runs stand for starts a run of its own.
      fixedStatus: older.pick(
        newest ? ['done', 'failed', 'cancelled'] : ['done', 'failed', 'cancelled', 'processing']
      )
    })
  }
  for (let i = 0; i < scenario.foreignRuns; i++) {
    runs.push({
      id: FOREIGN_RUN_ID + i,
      createdAt: 0,
      pr_num: String(pr.number),
      pr_sha: FOREIGN_SHA,
      pr_branch: pr.headRef,
      base_branch: pr.baseRef,
      base_sha: pr.baseSha,
      created: false,
      fixedStatus: 'done'
    })
  }

  const later = (ms: number, work: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      work()
    }, ms)
    timers.add(timer)
  }

  /** The fault for the `index`-th request to `endpoint`, or undefined to answer well. */
  function faultFor(endpoint: Endpoint, index: number): Fault | undefined {
    if (scenario.script) return scenario.script[endpoint]?.[index] ?? undefined
    const rng = new Rng(scenario.seed, endpoint, index)
    if (scenario.calm) {
      if (endpoint === 'trigger') return index === 0 ? scenario.triggerFault : undefined
      if (calmFaultsLeft === 0 || !rng.chance(CALM_FAULT_RATE)) return undefined
      calmFaultsLeft--
      return drawCalmFault(rng, endpoint)
    }
    const burst = bursts[endpoint]
    if (burst && burst.left > 0) {
      burst.left--
      return { kind: 'status', status: rng.pick(burst.statuses) }
    }
    // The single requests (lookup, first list, trigger) get a bit more: they are the fragile ones.
    const rate =
      endpoint === 'status' ? scenario.faultRate : Math.min(0.6, scenario.faultRate * 1.5)
    if (!rng.chance(rate)) return undefined
    const fault = drawFault(rng)
    if (fault.kind === 'status') {
      bursts[endpoint] = {
        left: rng.int(0, scenario.maxBurst - 1),
        statuses: fault.status === 429 ? [429] : [500, 502, 503, 504]
      }
    }
    return fault
  }

  function statusOf(run: ChaosRun, now = Date.now()): string {
    if (run.fixedStatus !== undefined) return run.fixedStatus
    const age = now - run.createdAt
    const final = FINAL_STATUS[scenario.truth]
    if (final && age >= scenario.finishAfterMs) return final
    // The statuses Datafold documents for a run that has not finished, in order.
    if (age < 150) return 'waiting'
    if (age < 400) return 'queued'
    return 'processing'
  }

  /** A created run's diff has its result once the run is final and the diff's own time passed. */
  function settled(diff: StandInDiff & { settleAfterMs?: number }, now = Date.now()): boolean {
    if (!diff.created) return true
    const run = runs.find((r) => r.id === diff.ciRunId)
    if (!run || !FINAL_STATUS[scenario.truth]) return false
    return now - run.createdAt >= scenario.finishAfterMs + (diff.settleAfterMs ?? 0)
  }

  function diffsAnswer(query: URLSearchParams): { status: number; body: unknown } {
    if (scenario.diffsRefused) return { status: scenario.diffsRefused, body: { detail: 'No' } }
    const now = Date.now()
    return dataDiffAnswer(diffs, query, {
      ignoreFilter: scenario.ignoreFilter,
      running: (diff) => !settled(diff, now)
    })
  }

  /** Whether trigger: auto may follow the newest run of the head commit in this list. */
  function followable(listed: { id: number; status: string; pr_sha: string }[]): boolean {
    const newest = listed
      .filter((run) => run.pr_sha === pr.headSha)
      .reduce<{ id: number; status: string } | undefined>(
        (found, run) => (found === undefined || run.id > found.id ? run : found),
        undefined
      )
    if (!newest || newest.status === 'cancelled') return false
    return !(Object.values(FINAL_STATUS).includes(newest.status) && scenario.existingRuns > 0)
  }

  function createRun(
    body: Record<string, unknown>,
    { webhook = false } = {}
  ): ChaosRun | undefined {
    if (scenario.truth === 'no-run' || scenario.truth === 'no-pr') return undefined
    const run: ChaosRun = {
      id: nextId++,
      webhook,
      createdAt: Date.now(),
      pr_num: String(body.pr_number),
      pr_sha: String(body.pr_sha),
      pr_branch: String(body.pr_branch),
      base_branch: String(body.base_branch),
      base_sha: String(body.base_sha),
      created: true
    }
    runs.push(run)
    scenario.diffs.forEach((diff, i) =>
      diffs.push({
        id: nextDiffId++,
        ciRunId: run.id,
        created: true,
        table: diff.table,
        result: diff.result,
        settleAfterMs: diff.settleAfterMs,
        ...statsFor(diff.result, new Rng(scenario.seed, 'stats', i))
      })
    )
    return run
  }

  function listAnswer(query: URLSearchParams): { status: number; body: unknown } {
    const limit = Number(query.get('limit') ?? 100)
    const offset = Number(query.get('offset') ?? 0)
    if (!Number.isInteger(limit) || !Number.isInteger(offset) || limit < 1 || offset < 0) {
      return {
        status: 422,
        body: {
          detail: [
            { loc: ['query', 'limit'], msg: 'value is not a valid integer', type: 'type_error' }
          ]
        }
      }
    }
    const sha = query.get('pr_sha')
    const now = Date.now()
    const listed = runs
      // Another commit's runs come through whatever the filter: a list that ignores pr_sha.
      .filter((run) => !sha || run.pr_sha === sha || run.pr_sha === FOREIGN_SHA)
      .filter((run) => !run.created || run.webhook || now - run.createdAt >= scenario.appearAfterMs)
      .sort((a, b) => b.id - a.id)
      .slice(offset, offset + limit)
      .map((run) => ({
        id: run.id,
        pr_num: run.pr_num,
        pr_sha: run.pr_sha,
        pr_branch: run.pr_branch,
        base_branch: run.base_branch,
        base_sha: run.base_sha,
        source: 'api',
        status: statusOf(run, now)
      }))
    return { status: 200, body: listed }
  }

  /** GitHub's commits-to-pulls answer: pull request objects with the fields the API has. */
  function pullsAnswer(): unknown[] {
    const repo = { id: 186853002, name: 'Hello-World', full_name: options.repository }
    const pull = (number: number, state: string, headSha: string): object => ({
      url: `https://api.github.com/repos/${options.repository}/pulls/${number}`,
      id: 9000 + number,
      number,
      state,
      title: `Change ${number}`,
      merged_at: state === 'closed' ? '2024-01-01T00:00:00Z' : null,
      head: { label: `Codertocat:${pr.headRef}`, ref: pr.headRef, sha: headSha, repo },
      base: { label: `Codertocat:${pr.baseRef}`, ref: pr.baseRef, sha: pr.baseSha, repo }
    })
    switch (scenario.truth === 'no-pr' ? scenario.noPrShape : undefined) {
      case 'empty':
        return []
      case 'closed':
        return [pull(pr.number, 'closed', pr.headSha)]
      case 'other-head':
        // An open pull request that contains the commit further down its branch.
        return [pull(pr.number, 'open', 'ab'.repeat(20))]
      default:
        return [pull(pr.number, 'open', pr.headSha)]
    }
  }

  // Datafold's repository integration got GitHub's webhook before the step started.
  if (scenario.webhook) {
    createRun(
      {
        pr_number: pr.number,
        pr_branch: pr.headRef,
        base_branch: pr.baseRef,
        pr_sha: pr.headSha,
        base_sha: pr.baseSha
      },
      { webhook: true }
    )
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy())
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://chaos')
    const endpoint = classify(req.method ?? '', url.pathname)
    const index = endpoint === 'other' ? 0 : counters[endpoint]++
    const fault = endpoint === 'other' ? undefined : faultFor(endpoint, index)
    const record: ChaosRequest = {
      at: Date.now(),
      endpoint,
      index,
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      fault: describeFault(fault)
    }
    requests.push(record)
    if (endpoint === 'trigger') triggered = true

    if (fault?.kind === 'reset-early') {
      // Before reading the body: Datafold never saw the trigger.
      if (endpoint === 'trigger') record.processed = false
      req.socket.resetAndDestroy()
      return
    }

    const rawBody = await readBody(req)
    try {
      record.body = rawBody ? JSON.parse(rawBody) : undefined
    } catch {
      record.body = rawBody
    }

    // The honest answer first: what a working server says to this request.
    let answer: { status: number; body: unknown }
    const datafoldKey = req.headers.authorization === `Key ${options.apiKey}`
    const githubToken = [`token ${options.githubToken}`, `Bearer ${options.githubToken}`].includes(
      req.headers.authorization ?? ''
    )
    if (endpoint === 'other') {
      answer = { status: 404, body: { detail: 'Not Found' } }
    } else if (endpoint === 'github') {
      answer = githubToken
        ? { status: 200, body: pullsAnswer() }
        : { status: 401, body: { message: 'Bad credentials' } }
    } else if (!datafoldKey) {
      answer = { status: 401, body: { detail: 'Invalid API key' } }
    } else if (endpoint === 'datadiffs') {
      answer = diffsAnswer(url.searchParams)
    } else if (url.pathname.split('/')[4] !== String(options.ciConfigId)) {
      answer = { status: 404, body: { detail: 'CI config not found' } }
    } else if (endpoint === 'trigger') {
      const problems = triggerProblems(record.body)
      if (problems.length > 0) {
        answer = { status: 422, body: { detail: problems } }
      } else {
        record.processed = processesTrigger(fault)
        const run = record.processed ? createRun(record.body as Record<string, unknown>) : undefined
        answer = {
          status: 200,
          body:
            run && scenario.namesRun
              ? { ci_run_id: run.id, run_id: run.id + 5000 }
              : { ci_run_id: null, run_id: null }
        }
      }
    } else {
      answer = listAnswer(url.searchParams)
      if (endpoint === 'list-before' && !fault && answer.status === 200) {
        record.followable = followable(
          answer.body as { id: number; status: string; pr_sha: string }[]
        )
        // Datafold's own run makes this list the one the step decides on: what follows are
        // status checks, as after a trigger.
        if (scenario.webhook) decided = true
      }
      // Only a whole list in one page: a later page that fails would leave the step without it.
      const listed = answer.body as { id: number; status: string }[]
      record.finalListed =
        Array.isArray(listed) &&
        Number(url.searchParams.get('offset') ?? 0) === 0 &&
        listed.length < Number(url.searchParams.get('limit') ?? 100) &&
        listed.some(
          (listed) =>
            runs.some((run) => run.created && run.id === listed.id) &&
            Object.values(FINAL_STATUS).includes(listed.status)
        )
    }
    record.status = answer.status

    // Faults stand in front of honest errors too, except that a refused request processes nothing.
    if (!fault) return sendJson(res, answer.status, answer.body)
    misbehave(fault, endpoint as Endpoint, req, res, answer)
  }

  function classify(method: string, path: string): Endpoint | 'other' {
    const [owner, repo] = options.repository.split('/')
    if (
      method === 'GET' &&
      new RegExp(`^/repos/${owner}/${repo}/commits/[0-9a-fA-F]+/pulls$`).test(path)
    ) {
      return 'github'
    }
    if (method === 'GET' && path === '/api/v1/datadiffs') return 'datadiffs'
    const match = /^\/api\/v1\/ci\/[^/]+\/(trigger|runs)$/.exec(path)
    if (match?.[1] === 'trigger' && method === 'POST') return 'trigger'
    if (match?.[1] === 'runs' && method === 'GET')
      return triggered || decided ? 'status' : 'list-before'
    return 'other'
  }

  function misbehave(
    fault: Fault,
    endpoint: Endpoint,
    req: IncomingMessage,
    res: ServerResponse,
    answer: { status: number; body: unknown }
  ): void {
    const socket = req.socket
    const honest = JSON.stringify(answer.body)
    switch (fault.kind) {
      case 'reset-early':
        socket.resetAndDestroy()
        return
      case 'stall':
        return // only the client's own time limit ends this
      case 'cut': {
        const { head, body } = rawAnswer(answer.status, honest, fault.framing)
        const full = Buffer.concat([head, body])
        let cut: number
        if (fault.at === 'headers') cut = Math.floor(fault.fraction * head.length)
        else if (fault.at === 'body-start') cut = head.length
        else cut = head.length + 1 + Math.floor(fault.fraction * (body.length - 1))
        cut = Math.min(cut, full.length - 1)
        const close = (): void => {
          if (fault.close === 'fin') socket.end()
          else socket.resetAndDestroy()
        }
        // Give the bytes a moment to leave before an RST, which would discard what is unsent.
        if (cut === 0) close()
        else socket.write(full.subarray(0, cut), () => later(15, close))
        return
      }
      case 'drip': {
        const { head, body } = rawAnswer(answer.status, honest, 'length')
        const full = Buffer.concat([head, body])
        let sent = 0
        const step = (): void => {
          if (socket.destroyed) return
          const part = full.subarray(sent, sent + fault.chunk)
          sent += part.length
          socket.write(part)
          if (sent < full.length) later(fault.everyMs, step)
        }
        step()
        return
      }
      case 'truncated-json': {
        const keep = Math.floor(fault.fraction * honest.length)
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(honest.slice(0, keep))
        return
      }
      case 'html':
      case 'text':
      case 'wrong-shape': {
        const { type, text } = badShape(fault.kind, fault.variant, endpoint, fault.echo)
        res.writeHead(200, { 'Content-Type': type })
        res.end(text)
        return
      }
      case 'status': {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' }
        if (fault.retryAfter !== undefined) headers['Retry-After'] = fault.retryAfter
        const detail = fault.echo
          ? echoBody(fault.echo)
          : fault.status === 429
            ? 'Too many requests'
            : 'Simulated failure'
        res.writeHead(fault.status, headers)
        // Octokit parses GitHub's JSON and quotes `message`, so the form must survive decoding
        // there; the action quotes Datafold's raw body, so there the form goes in byte for byte.
        res.end(
          endpoint === 'github'
            ? JSON.stringify({ message: detail, documentation_url: 'https://docs.github.com' })
            : `{"detail":"${detail}"}`
        )
        return
      }
    }
  }

  /**
   * An echo of the request's credentials as a server that dumps its request writes it: the key in
   * the chosen form, byte for byte, `pad` characters in (near 300 the action's excerpt cuts it).
   */
  function echoBody(echo: Echo): string {
    return `${'x'.repeat(echo.pad)} Authorization: Key ${encodeKey(options.apiKey, echo.form)} (request echoed) ${'y'.repeat(200)}`
  }

  function badShape(
    kind: 'html' | 'text' | 'wrong-shape',
    variant: number,
    endpoint: Endpoint,
    echo: Echo | undefined
  ): { type: string; text: string } {
    const echoed = echo ? echoBody(echo) : ''
    if (kind === 'html') {
      return {
        type: 'text/html',
        text: `<html><head><title>Sign in</title></head><body><h1>Welcome</h1><p>${echoed}</p><p>variant ${variant}</p></body></html>`
      }
    }
    if (kind === 'text') {
      return {
        type: 'text/plain',
        text: `${echoed || 'Service temporarily in maintenance mode'} (variant ${variant})`
      }
    }
    // JSON, but not what the endpoint documents. The echo goes in raw (see echoBody), where the
    // action would quote it; GitHub's is decoded by Octokit and not quoted, so it stays plain JSON.
    const shapes: Record<Endpoint, unknown[]> = {
      github: [{ message: 'ok', pulls: [] }, [{ number: 'one' }], 'pulls'],
      trigger: [[{ ci_run_id: 1 }], { ci_run_id: 'abc', run_id: null, note: ECHO }, null],
      'list-before': [{ runs: [], note: ECHO }, [{ id: 7, pr_sha: 'x' }], [{ id: 'x' }]],
      status: [{ runs: [], note: ECHO }, [{ id: 7, pr_sha: 'x' }], [{ id: 'x' }]],
      datadiffs: [
        { items: [], note: ECHO },
        [{ id: 7, ci_run_id: FIRST_RUN_ID }],
        {
          page: 1,
          page_size: 100,
          count: 1,
          total_pages: 1,
          results: [{ id: 'x', ci_run_id: FIRST_RUN_ID, table2: ['t'] }]
        }
      ]
    }
    const json = JSON.stringify(shapes[endpoint][variant % 3])
    return {
      type: 'application/json',
      text: json.includes(ECHO)
        ? json.replace(ECHO, echoed)
        : `${json}${echoed && endpoint !== 'github' ? ` ${echoed}` : ''}`
    }
  }

  server.on('connection', (socket) => {
    sockets.add(socket)
    // A client that gives up mid-answer resets the socket; that is expected here.
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_error, socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    runs,
    diffs,
    settled,
    statusOf,
    close: () =>
      new Promise((resolve) => {
        timers.forEach((timer) => clearTimeout(timer))
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

/** Row counts and match ratio a diff with `result` reports. */
function statsFor(
  result: DiffResultValue,
  rng: Rng
): Pick<StandInDiff, 'rowsAdded' | 'rowsRemoved' | 'rowsChanged' | 'matchRatio'> {
  switch (result) {
    case 'different':
      return {
        rowsAdded: rng.int(0, 40),
        rowsRemoved: rng.int(0, 40),
        rowsChanged: rng.int(1, 5000),
        matchRatio: 0.9 + rng.float() * 0.0999
      }
    case 'identical':
      return { rowsAdded: 0, rowsRemoved: 0, rowsChanged: 0, matchRatio: 1 }
    case 'empty':
      return { rowsAdded: 0, rowsRemoved: 0, rowsChanged: 0, matchRatio: null }
    default:
      return { rowsAdded: null, rowsRemoved: null, rowsChanged: null, matchRatio: null }
  }
}

/** The key as a server might echo it. */
export function encodeKey(key: string, form: Echo['form']): string {
  if (form === 'json') return JSON.stringify(key).slice(1, -1)
  if (form === 'url') return encodeURIComponent(key)
  return key
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** The bytes of an answer as the wire carries them, for cutting and dripping. */
function rawAnswer(
  status: number,
  json: string,
  framing: 'length' | 'chunked'
): { head: Buffer; body: Buffer } {
  const payload = Buffer.from(json, 'utf8')
  const lines = [`HTTP/1.1 ${status} ${status === 200 ? 'OK' : 'Error'}`]
  lines.push('Content-Type: application/json')
  let body: Buffer
  if (framing === 'length') {
    lines.push(`Content-Length: ${payload.length}`)
    body = payload
  } else {
    lines.push('Transfer-Encoding: chunked')
    // Two chunks, so a cut can fall between them as well as inside one or before the terminator.
    const half = Math.ceil(payload.length / 2)
    const chunk = (part: Buffer): Buffer =>
      Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')])
    body = Buffer.concat([
      chunk(payload.subarray(0, half)),
      chunk(payload.subarray(half)),
      Buffer.from('0\r\n\r\n')
    ])
  }
  return { head: Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), body }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** FastAPI's checks on `APIPrDetails` (as scripts/stand-in-datafold.js makes them). */
function triggerProblems(body: unknown): { loc: string[]; msg: string; type: string }[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ loc: ['body'], msg: 'field required', type: 'value_error.missing' }]
  }
  const fields = body as Record<string, unknown>
  const problems: { loc: string[]; msg: string; type: string }[] = []
  for (const field of ['pr_number', 'pr_branch', 'base_branch', 'pr_sha', 'base_sha']) {
    if (!(field in fields)) {
      problems.push({ loc: ['body', field], msg: 'field required', type: 'value_error.missing' })
    }
  }
  if ('pr_number' in fields && !Number.isInteger(fields.pr_number)) {
    problems.push({
      loc: ['body', 'pr_number'],
      msg: 'value is not a valid integer',
      type: 'type_error.integer'
    })
  }
  for (const field of ['pr_branch', 'base_branch', 'pr_sha', 'base_sha']) {
    if (field in fields && typeof fields[field] !== 'string') {
      problems.push({ loc: ['body', field], msg: 'str type expected', type: 'type_error.str' })
    }
  }
  return problems
}
