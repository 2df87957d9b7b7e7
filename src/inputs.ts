/**
 * Turns the step's raw inputs (and the DATAFOLD_* environment fallbacks) into one typed Settings
 * value. Every default and every input error lives here; nothing else reads inputs.
 */
import type { PrDetails } from './datafold-client.js'
import { isLoopbackHost } from './http.js'
import { InputError } from './input-error.js'
import { EXPECTED, isBranchName, isSha } from './pr-fields.js'
import { loadYaml, readTablePairs, type TablePair } from './table-pairs.js'
import { TRIGGER_MODES, type TriggerMode } from './which-run.js'

export { InputError }

export const DEFAULT_HOST = 'https://app.datafold.com'

export interface Settings {
  /** `api-key`, else env DATAFOLD_API_KEY. */
  apiKey: string
  /** `ci-config-id`: positive integer. */
  ciConfigId: number
  /** `datafold-host`, else env DATAFOLD_HOST, else https://app.datafold.com; no trailing slash. */
  host: URL
  /** `pr-number`, `pr-branch`, `base-branch`, `pr-sha`, `base-sha`: fields that override the event. */
  overrides: Partial<PrDetails>
  /** `wait` (default true). */
  wait: boolean
  /** `poll-interval` seconds (default 5), as ms. */
  pollIntervalMs: number
  /** `max-poll-interval` seconds (default 30), as ms. */
  maxPollIntervalMs: number
  /**
   * `wait-timeout-minutes` (default 60), as ms: bounds the whole step, retries included.
   */
  timeoutMs: number
  /** `start-timeout-minutes` (default 2), as ms: how long Datafold has to start a run. */
  startTimeoutMs: number
  /** `request-timeout` seconds (default 30), as ms: limit for one request to Datafold. */
  requestTimeoutMs: number
  /** `fail-on-skip` (default false). */
  failOnSkip: boolean
  /** `show-data-diffs` (default true): read the run's data diffs once it is done or failed. */
  showDataDiffs: boolean
  /**
   * `fail-on-data-changes` (default false): the step fails unless every data diff of a done run is
   * identical or empty, and all of them could be read.
   */
  failOnDataChanges: boolean
  /** `github-token`: only for looking up the pull request on events that do not carry it. */
  githubToken: string
  /**
   * `diffs`: the table pairs of an API integration, uploaded after the trigger (a JSON or YAML list,
   * inline or in a file under GITHUB_WORKSPACE). Undefined when not given.
   */
  tablePairs?: TablePair[]
  /** `ci-run-id`: follow this run, started earlier, instead of triggering one. */
  ciRunId?: number
  /**
   * `dbt-manifest` and `dbt-project-dir`: the manifest of the pull request's dbt build, whose
   * models get annotations (read-manifest.ts reads it). Undefined when not given.
   */
  dbtManifest?: { path: string; projectDir: string }
  /** `trigger` (default auto): when the step sends a trigger (which-run.ts). */
  trigger: TriggerMode
}

type Read = (name: string) => string

const DEFAULTS = {
  wait: 'true',
  'poll-interval': '5',
  'max-poll-interval': '30',
  'wait-timeout-minutes': '60',
  'start-timeout-minutes': '2',
  'fail-on-skip': 'false',
  'show-data-diffs': 'true',
  'fail-on-data-changes': 'false',
  'request-timeout': '30',
  trigger: 'auto'
} as const

// GitHub-hosted jobs stop after 6 hours; a longer wait could never finish.
const MAX_TIMEOUT_MINUTES = 360
const MAX_INTERVAL_SECONDS = 3600
const MIN_REMOTE_SECONDS = 1
// A host's path may only be plain segments: nothing in it may change the origin or the endpoint.
const PLAIN_PATH = /^(\/[A-Za-z0-9._~-]+)*\/?$/
// eslint-disable-next-line no-control-regex -- control characters are exactly what these reject
const UNSAFE_KEY = /[\s\x00-\x1f\x7f]/
// A header value is bytes: Node refuses characters past U+00FF, and Latin-1 ones would reach
// Datafold as other bytes than the key. Datafold's keys are ASCII.
const NOT_ASCII = /[^\x20-\x7e]/

/** Loads what reading the inputs needs beyond the start: the YAML parser, only when diffs is given. */
export async function prepareInputs(input: Read): Promise<void> {
  if (input('diffs') !== '') await loadYaml()
}

/** Every secret among the inputs, to mask before anything is validated or logged. */
export function secretsIn(input: Read, env: NodeJS.ProcessEnv): string[] {
  return [input('api-key'), (env.DATAFOLD_API_KEY ?? '').trim(), input('github-token')].filter(
    (secret) => secret !== ''
  )
}

export function readSettings(input: Read, env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = []
  const raw = (name: string): string => input(name) || DEFAULTS[name as keyof typeof DEFAULTS] || ''
  const fail = (message: string): undefined => {
    problems.push(message)
    return undefined
  }

  const apiKey = input('api-key') || (env.DATAFOLD_API_KEY ?? '').trim()
  const keySource = input('api-key') ? 'Input api-key' : 'The environment variable DATAFOLD_API_KEY'
  const missingKey =
    apiKey === ''
      ? 'Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set: expected a Datafold API key, for example `api-key: ${{ secrets.DATAFOLD_API_KEY }}`.'
      : undefined
  if (missingKey !== undefined) {
    fail(missingKey)
  } else if (UNSAFE_KEY.test(apiKey)) {
    fail(
      `${keySource} contains spaces, line breaks or control characters (value hidden): expected the key exactly as Datafold shows it.`
    )
  } else if (NOT_ASCII.test(apiKey)) {
    fail(
      `${keySource} contains characters an HTTP header cannot carry, such as letters beyond ASCII (value hidden): expected the key exactly as Datafold shows it, in ASCII letters, digits and punctuation.`
    )
  }

  const ciConfigId = positiveInteger('ci-config-id', input('ci-config-id'), fail, true)
  const host = readHost(input('datafold-host'), env.DATAFOLD_HOST, fail)

  const overrides: Partial<PrDetails> = {}
  const prNumber = positiveInteger('pr-number', input('pr-number'), fail, false)
  if (prNumber !== undefined) overrides.pr_number = prNumber
  for (const [name, key] of [
    ['pr-branch', 'pr_branch'],
    ['base-branch', 'base_branch']
  ] as const) {
    const value = input(name)
    if (value === '') continue
    const branch = value.replace(/^refs\/heads\//, '')
    if (isBranchName(branch)) overrides[key] = branch
    else fail(`Input ${name} is "${value}": expected ${EXPECTED[key]}.`)
  }
  for (const [name, key] of [
    ['pr-sha', 'pr_sha'],
    ['base-sha', 'base_sha']
  ] as const) {
    const value = input(name)
    if (value === '') continue
    if (isSha(value)) overrides[key] = value.toLowerCase()
    else fail(`Input ${name} is "${value}": expected ${EXPECTED[key]}.`)
  }

  const wait = boolean('wait', raw('wait'), fail)
  const failOnSkip = boolean('fail-on-skip', raw('fail-on-skip'), fail)
  const showDataDiffs = boolean('show-data-diffs', raw('show-data-diffs'), fail)
  const failOnDataChanges = boolean('fail-on-data-changes', raw('fail-on-data-changes'), fail)
  // A gate that cannot look would pass every run: say so rather than pass silently.
  if (failOnDataChanges && showDataDiffs === false) {
    fail(
      'Input fail-on-data-changes is true but show-data-diffs is false: the step can only fail on data changes it reads. Leave show-data-diffs at true, or set fail-on-data-changes to false.'
    )
  }
  if (failOnDataChanges && wait === false) {
    fail(
      'Input fail-on-data-changes is true but wait is false: the step would pass before the data diffs exist. Set wait to true, or fail-on-data-changes to false.'
    )
  }
  const pollInterval = positiveNumber(
    'poll-interval',
    raw('poll-interval'),
    'seconds',
    MAX_INTERVAL_SECONDS,
    fail
  )
  const maxPollInterval = positiveNumber(
    'max-poll-interval',
    raw('max-poll-interval'),
    'seconds',
    MAX_INTERVAL_SECONDS,
    fail
  )
  if (
    pollInterval !== undefined &&
    maxPollInterval !== undefined &&
    maxPollInterval < pollInterval
  ) {
    fail(
      `Input max-poll-interval is ${raw('max-poll-interval')}, less than poll-interval ${raw('poll-interval')}: expected max-poll-interval to be at least poll-interval.`
    )
  }
  const timeoutMinutes = positiveNumber(
    'wait-timeout-minutes',
    raw('wait-timeout-minutes'),
    'minutes',
    MAX_TIMEOUT_MINUTES,
    fail
  )
  const startTimeoutMinutes = positiveNumber(
    'start-timeout-minutes',
    raw('start-timeout-minutes'),
    'minutes',
    MAX_TIMEOUT_MINUTES,
    fail
  )

  const requestTimeout = positiveNumber(
    'request-timeout',
    raw('request-timeout'),
    'seconds',
    MAX_INTERVAL_SECONDS,
    fail
  )

  // Sub-second polling or request limits are for a stand-in on this machine, never a real Datafold.
  if (host && !isLoopbackHost(host.hostname)) {
    for (const [name, seconds] of [
      ['poll-interval', pollInterval],
      ['request-timeout', requestTimeout]
    ] as const) {
      if (seconds !== undefined && seconds < MIN_REMOTE_SECONDS) {
        fail(
          `Input ${name} is "${raw(name)}": expected at least ${MIN_REMOTE_SECONDS} second against ${host.origin} (shorter values are only for a local stand-in on localhost).`
        )
      }
    }
  }

  const ciRunId = positiveInteger('ci-run-id', input('ci-run-id'), fail, false)
  const trigger = triggerMode(raw('trigger'), fail)
  if (trigger === 'always' && ciRunId !== undefined) {
    fail(
      'Input trigger is always but ci-run-id is set: with ci-run-id the step follows that run and sends no trigger. Leave trigger at auto (the default), or leave ci-run-id empty.'
    )
  }
  if (trigger === 'never' && wait === false && input('diffs') === '') {
    fail(
      'Input trigger is never but wait is false and diffs is empty: such a step would neither start, feed nor wait for a run. Set wait to true to wait for the run Datafold starts, give diffs to upload its table pairs, or set trigger to auto.'
    )
  }
  if (ciRunId !== undefined && wait === false) {
    fail(
      'Input ci-run-id is set but wait is false: following a run started earlier is all such a step does. Set wait to true (the default), or leave ci-run-id empty to trigger a run.'
    )
  }
  let tablePairs: TablePair[] | undefined
  if (input('diffs') !== '') {
    if (ciRunId !== undefined) {
      fail(
        'Inputs diffs and ci-run-id are both set: the table pairs go to the run the step starts or finds for the commit, and a run named by ci-run-id was fed by the step that started it. Give diffs to the step that triggers the run (with wait: false when a later step waits), and ci-run-id to the step that waits.'
      )
    } else {
      const read = readTablePairs(input('diffs'), env.GITHUB_WORKSPACE || process.cwd())
      if ('problems' in read) read.problems.forEach(fail)
      else tablePairs = read.pairs
    }
  }

  const dbtManifest = input('dbt-manifest')
  if (dbtManifest === '' && input('dbt-project-dir') !== '') {
    fail(
      "Input dbt-project-dir is set but dbt-manifest is not: the project folder only says where the files of the manifest's models are. Give dbt-manifest too, or leave dbt-project-dir empty."
    )
  }
  if (dbtManifest !== '' && (showDataDiffs === false || wait === false)) {
    fail(
      `Input dbt-manifest is set but ${wait === false ? 'wait' : 'show-data-diffs'} is false: the models are annotated with the run's data diffs, which the step then never reads. Leave ${wait === false ? 'wait' : 'show-data-diffs'} at true, or dbt-manifest empty.`
    )
  }

  if (problems.length > 0) throw new InputError(problems, missingKey)
  return {
    apiKey,
    ciConfigId: ciConfigId as number,
    host: host as URL,
    overrides,
    wait: wait as boolean,
    pollIntervalMs: (pollInterval as number) * 1000,
    maxPollIntervalMs: (maxPollInterval as number) * 1000,
    timeoutMs: (timeoutMinutes as number) * 60_000,
    startTimeoutMs: (startTimeoutMinutes as number) * 60_000,
    requestTimeoutMs: (requestTimeout as number) * 1000,
    failOnSkip: failOnSkip as boolean,
    showDataDiffs: showDataDiffs as boolean,
    failOnDataChanges: failOnDataChanges as boolean,
    githubToken: input('github-token'),
    ...(tablePairs ? { tablePairs } : {}),
    ...(ciRunId !== undefined ? { ciRunId } : {}),
    ...(dbtManifest !== ''
      ? { dbtManifest: { path: dbtManifest, projectDir: input('dbt-project-dir') } }
      : {}),
    trigger: trigger as TriggerMode
  }
}

function triggerMode(value: string, fail: (m: string) => undefined): TriggerMode | undefined {
  const mode = TRIGGER_MODES.find((known) => known === value)
  return (
    mode ??
    fail(
      `Input trigger is "${value}": expected ${TRIGGER_MODES.slice(0, -1).join(', ')} or ${TRIGGER_MODES[TRIGGER_MODES.length - 1]}.`
    )
  )
}

function positiveInteger(
  name: string,
  value: string,
  fail: (m: string) => undefined,
  required: boolean
): number | undefined {
  if (value === '') {
    return required
      ? fail(`Input ${name} is required: expected a positive integer, for example ${name}: 123.`)
      : undefined
  }
  const number = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
    return fail(
      `Input ${name} is "${value}": expected a positive integer, for example ${name}: 123.`
    )
  }
  return number
}

function positiveNumber(
  name: string,
  value: string,
  unit: string,
  max: number,
  fail: (m: string) => undefined
): number | undefined {
  const number = Number(value)
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value) || !(number > 0) || number > max) {
    return fail(
      `Input ${name} is "${value}": expected a number of ${unit} greater than 0 and at most ${max} (decimals allowed).`
    )
  }
  return number
}

function boolean(name: string, value: string, fail: (m: string) => undefined): boolean | undefined {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  return fail(`Input ${name} is "${value}": expected true or false.`)
}

function readHost(
  inputValue: string,
  envValue: string | undefined,
  fail: (m: string) => undefined
): URL | undefined {
  const source =
    inputValue !== '' ? 'Input datafold-host' : 'The environment variable DATAFOLD_HOST'
  const value = inputValue || (envValue ?? '').trim() || DEFAULT_HOST
  const expected =
    'expected the https address of your Datafold deployment, such as https://app.datafold.com'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return fail(`${source} is "${value}": ${expected}.`)
  }
  if (url.username || url.password)
    return fail(`${source} contains credentials: ${expected}, with the API key in api-key.`)
  if (url.search || url.hash) return fail(`${source} is "${value}": ${expected}, without ? or #.`)
  const loopback = isLoopbackHost(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    return fail(
      `${source} is "${value}": ${expected} (plain http is allowed only for localhost, so the API key never crosses a network unencrypted).`
    )
  }
  url.pathname = url.pathname.replace(/\/+$/, '')
  // The URL parser reads a backslash as a slash; say so rather than guess what was meant.
  if (!PLAIN_PATH.test(url.pathname) || value.includes('\\')) {
    return fail(
      `${source} is "${value}": ${expected}, with at most a plain path such as /datafold (letters, digits, - . _ ~ between single slashes).`
    )
  }
  return url
}
