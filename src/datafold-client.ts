/**
 * Datafold's API: trigger a CI run for a pull request, upload its table pairs (API integrations),
 * list the runs of a commit, list a run's data diffs. Turns every answer into either typed data or a DatafoldError worded for the author of a
 * pull request, and repeats requests that failed for passing reasons (see retry.ts) within the
 * step's deadline.
 */
import type { Clock } from './clock.js'
import {
  DIFF_PAGE_SIZE,
  DiffListing,
  readDataDiffPage,
  type DataDiff,
  type DataDiffPage
} from './data-diffs.js'
import { excerpt } from './format.js'
import { isObject, parseJson } from './json.js'
import { send, NetworkError, type HttpRequest, type HttpResponse, type Transport } from './http.js'
import { redact } from './redact.js'
import type { TablePair } from './table-pairs.js'
import type { Log } from './toolkit.js'
import {
  isAmbiguousTrigger,
  isRetryableDiffRead,
  isRetryableRead,
  isRetryableTrigger,
  LAST_ATTEMPT_MS,
  parseRetryAfter,
  retryWaitMs,
  type Fault
} from './retry.js'
import { USER_AGENT } from './user-agent.js'

/** The body of a trigger: exactly `APIPrDetails` from the spec. */
export interface PrDetails {
  pr_number: number
  pr_branch: string
  base_branch: string
  pr_sha: string
  base_sha: string
}

export interface TriggerResult {
  ciRunId: number | null
  runId: number | null
}

/** One entry of the list-runs answer (`ApiCiRun`), reduced to what the action reads. */
export interface CiRun {
  id: number
  status: string
  pr_num?: string
  pr_sha?: string
}

export class DatafoldError extends Error {
  override name = 'DatafoldError'
  /** True when the deadline, not the fault itself, ended the request or its retries. */
  readonly outOfTime: boolean
  /**
   * True for a trigger whose fate is unknown: it reached Datafold, but the answer was lost (cut
   * off, reset, timed out) or garbled, so Datafold may have started a run.
   */
  readonly mayHaveStarted: boolean
  /** The HTTP status that ended the request, when an answer Datafold gave did (not a retry's end). */
  readonly status?: number
  constructor(
    message: string,
    flags: { outOfTime?: boolean; mayHaveStarted?: boolean; status?: number } = {}
  ) {
    super(message)
    this.outOfTime = flags.outOfTime ?? false
    this.mayHaveStarted = flags.mayHaveStarted ?? false
    this.status = flags.status
  }
}

export interface ClientOptions {
  host: URL
  apiKey: string
  ciConfigId: number
  clock: Clock
  log: Log
  /** Absolute time (clock ms) after which no request starts and no retry waits. */
  deadlineMs: number
  /** Limit for one request (connect, answer, redirects), capped by the deadline. */
  requestTimeoutMs: number
  signal?: AbortSignal
  transport?: Transport
  random?: () => number
}

/** What the list of a run's data diffs found (see DiffListing). */
export interface DataDiffList {
  diffs: DataDiff[]
  /** Entries of other runs Datafold listed too (it does not always filter by ci_run_id). */
  others: number
  pages: number
  /** Why the list may lack some of the run's diffs. */
  incomplete?: string
}

/** Which endpoint a request is for: the words for its errors depend on it. */
type Endpoint = 'trigger' | 'upload' | 'runs' | 'datadiffs'

export const PAGE_SIZE = 100
const MAX_PAGES = 50

export class DatafoldClient {
  private readonly transport: Transport
  constructor(private readonly options: ClientOptions) {
    this.transport = options.transport ?? send
  }

  async trigger(pr: PrDetails): Promise<TriggerResult> {
    return this.request({
      endpoint: 'trigger',
      method: 'POST',
      url: this.url(`ci/${this.options.ciConfigId}/trigger`),
      body: JSON.stringify(pr),
      retryable: isRetryableTrigger,
      read: readTriggerAnswer,
      ambiguous: isAmbiguousTrigger
    })
  }

  /**
   * Sends the table pairs of an API integration for pull request `prNumber`; Datafold attaches them
   * to the run waiting for that pull request. Like the trigger, an upload is not repeated once it
   * may have reached Datafold (a second one could attach the pairs twice): a lost answer is a
   * DatafoldError with `mayHaveStarted`.
   */
  async uploadPairs(prNumber: number, pairs: TablePair[]): Promise<TriggerResult> {
    return this.request({
      endpoint: 'upload',
      method: 'POST',
      url: this.url(`ci/${this.options.ciConfigId}/${prNumber}`),
      body: JSON.stringify(pairs),
      retryable: isRetryableTrigger,
      read: readUploadAnswer,
      ambiguous: isAmbiguousTrigger
    })
  }

  /**
   * Every run Datafold has for the commit, following `limit`/`offset` pages. An answer that is not
   * a list of runs is retried like a 502, except on `firstContact`: the first request of a step
   * getting a 2xx that is not JSON at all (an HTML page, say) most likely means datafold-host is
   * not Datafold, which no wait mends. JSON that is malformed or of the wrong shape is retried even
   * then: that is a server having a bad moment, not the wrong server.
   */
  async listRuns(prSha: string, { firstContact = false } = {}): Promise<CiRun[]> {
    const retryable = (fault: Fault): boolean =>
      !(firstContact && fault.kind === 'bad-answer' && !fault.json) && isRetryableRead(fault)
    const runs: CiRun[] = []
    const seen = new Set<number>()
    for (let page = 0; page < MAX_PAGES; page++) {
      const query = new URLSearchParams({
        pr_sha: prSha,
        limit: String(PAGE_SIZE),
        offset: String(page * PAGE_SIZE)
      })
      const batch = await this.request({
        endpoint: 'runs',
        method: 'GET',
        url: this.url(`ci/${this.options.ciConfigId}/runs`, query),
        retryable,
        read: readRunsPage
      })
      const fresh = batch.filter((run) => !seen.has(run.id))
      fresh.forEach((run) => seen.add(run.id))
      runs.push(...fresh)
      // A short page is the last; so is one with nothing new (a server that ignores `offset`).
      if (batch.length < PAGE_SIZE || fresh.length === 0) break
    }
    return runs
  }

  /**
   * The data diffs of CI run `ciRunId`, page by page (see DiffListing for when the pages end). The
   * `ci_run_id` filter is not in the endpoint's spec, only in its description ("All fields support
   * multiple items"), so it is sent, and the list is read in order of id (`order_by=id`,
   * ascending: a unique key, so no two pages can order ties differently); for a Datafold that
   * ignores the filter, pages are read on as DiffListing says and only this run's entries kept.
   */
  async listDataDiffs(ciRunId: number): Promise<DataDiffList> {
    const listing = new DiffListing(ciRunId)
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({
        ci_run_id: String(ciRunId),
        // A unique key, so ties cannot come back in another order on the next page.
        order_by: 'id',
        sort_order: 'asc',
        page: String(page),
        page_size: String(DIFF_PAGE_SIZE)
      })
      let answer: DataDiffPage
      try {
        answer = await this.request({
          endpoint: 'datadiffs',
          method: 'GET',
          url: this.url('datadiffs', query),
          retryable: isRetryableDiffRead,
          read: (answer) => readDataDiffPage(answer.body, ciRunId)
        })
      } catch (error) {
        // The first page is the list itself: failing there, the list could not be read at all.
        // Past it, what was read stands, proven or not (DiffListing.pageFailed says which).
        if (page === 1 || !(error instanceof DatafoldError) || this.options.signal?.aborted)
          throw error
        const reason =
          error.status === undefined ? error.message : `Datafold answered HTTP ${error.status}.`
        listing.pageFailed(reason, error.status === 404)
        break
      }
      if (!listing.add(answer)) break
    }
    const { diffs, others, pages, incomplete } = listing
    return { diffs, others, pages, incomplete }
  }

  /**
   * The transport, with the API key in any escaping removed from whatever comes back (redact.ts:
   * each letter as itself or escaped, at any depth), before anything reads it: a server that echoes the
   * request in an error page must not put the key into a log line, where a cut excerpt could
   * leave a part of it that no mask recognises.
   */
  private async sendWithoutKey(request: HttpRequest): Promise<HttpResponse> {
    const answer = await this.transport(request)
    return { ...answer, body: redact(answer.body, [this.options.apiKey]) }
  }

  /**
   * The address of an endpoint (`path` under /api/v1/) under datafold-host. The path is set on a
   * copy of the host's URL, never resolved against it, so nothing in datafold-host's path (a `//`,
   * say) can change the origin the key is sent to.
   */
  private url(path: string, query?: URLSearchParams): URL {
    const url = new URL(this.options.host.href)
    url.pathname = `${this.options.host.pathname.replace(/\/+$/, '')}/api/v1/${path}`
    url.search = query ? query.toString() : ''
    return url
  }

  /**
   * One request with its retries. `read` turns a 2xx answer into data; when it throws, the answer
   * counts as a fault (`bad-answer`) that `retryable` may choose to retry. `ambiguous` says which
   * faults leave it unknown whether Datafold acted on the request.
   */
  private async request<T>(spec: {
    endpoint: Endpoint
    method: 'GET' | 'POST'
    url: URL
    body?: string
    retryable: (fault: Fault) => boolean
    read: (answer: HttpResponse) => T
    ambiguous?: (fault: Fault) => boolean
  }): Promise<T> {
    const { clock, log, deadlineMs, signal, requestTimeoutMs } = this.options
    const { method, url, body, retryable, read } = spec
    const ambiguous = spec.ambiguous ?? (() => false)
    const label = `${method} ${url.pathname}`
    for (let attempt = 0; ; attempt++) {
      const remaining = deadlineMs - clock.now()
      if (remaining <= 0)
        throw new DatafoldError(`wait-timeout-minutes ran out before ${label} could be sent.`, {
          outOfTime: true
        })
      // When the step's deadline, not request-timeout, limits this request, running out of time
      // waiting for the answer is the step timing out.
      const limitedByDeadline = remaining < requestTimeoutMs
      let fault: Fault
      let problem: string
      let retryAfterMs: number | undefined
      try {
        const answer = await this.sendWithoutKey({
          method,
          url,
          headers: {
            Authorization: `Key ${this.options.apiKey}`,
            Accept: 'application/json',
            'User-Agent': USER_AGENT,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
          },
          body,
          timeoutMs: Math.min(requestTimeoutMs, remaining),
          signal
        })
        if (answer.status >= 200 && answer.status < 300) {
          try {
            return read(answer)
          } catch (error) {
            fault = {
              kind: 'bad-answer',
              json: isJsonContentType(answer.headers['content-type']),
              parsed: parseJson(answer.body) !== undefined
            }
            problem = (error as Error).message
            if (!retryable(fault)) {
              // The data diff list comes after the runs list was read from the same host.
              const wrongHost = !ambiguous(fault) && spec.endpoint !== 'datadiffs'
              throw new DatafoldError(
                wrongHost
                  ? `${problem} Check that datafold-host (${this.options.host.origin}) is the address of your Datafold deployment.`
                  : problem,
                { mayHaveStarted: ambiguous(fault) }
              )
            }
          }
        } else {
          fault = { kind: 'status', status: answer.status }
          problem = explainStatus(answer, spec.endpoint, this.options.ciConfigId, this.options.host)
          retryAfterMs = parseRetryAfter(answer.headers['retry-after'], clock.now())
          if (!retryable(fault))
            throw new DatafoldError(problem, {
              mayHaveStarted: ambiguous(fault),
              status: answer.status
            })
        }
      } catch (error) {
        if (error instanceof DatafoldError) throw error
        if (!(error instanceof NetworkError)) throw error
        fault = { kind: 'network', code: error.code, notSent: error.notSent }
        if (error.code === 'ETIMEDOUT' && limitedByDeadline) {
          throw new DatafoldError(
            `wait-timeout-minutes ran out while waiting for Datafold's answer to ${label}.`,
            { outOfTime: true, mayHaveStarted: ambiguous(fault) }
          )
        }
        problem = `Could not reach Datafold at ${this.options.host.origin}: ${error.message}.`
        if (!retryable(fault))
          throw new DatafoldError(problem, { mayHaveStarted: ambiguous(fault) })
      }
      const nowMs = clock.now()
      const wait = retryWaitMs({
        attempt,
        retryAfterMs,
        nowMs,
        deadlineMs,
        random: this.options.random
      })
      if (wait === undefined) {
        const leftMs = deadlineMs - nowMs
        const why =
          retryAfterMs !== undefined && retryAfterMs > leftMs - LAST_ATTEMPT_MS
            ? `Datafold asked to wait ${seconds(retryAfterMs)} before the next try (Retry-After), and the ${seconds(Math.max(0, leftMs))} left of wait-timeout-minutes is not enough for that wait and one more try, so the step stops now.`
            : `wait-timeout-minutes leaves no room for another try.`
        throw new DatafoldError(`${problem} ${why}`, { outOfTime: true })
      }
      log.warning(
        `${problem} Retrying ${label} in ${(wait / 1000).toFixed(1)} s (retry ${attempt + 1}).`,
        { title: 'Retrying a Datafold request' }
      )
      await clock.sleep(wait, signal)
      if (signal?.aborted) throw new DatafoldError(`${label} was cancelled.`)
    }
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

function isJsonContentType(value: string | string[] | undefined): boolean {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '')
  return /\bjson\b/i.test(text)
}

function readTriggerAnswer(answer: HttpResponse): TriggerResult {
  const body = parseJson(answer.body)
  if (!isObject(body) || !isIdOrNull(body.ci_run_id) || !isIdOrNull(body.run_id)) {
    throw new DatafoldError(
      `Datafold's answer to the trigger is not what its API documents (expected JSON with ci_run_id and run_id, each a positive whole number below 2^53 or null): ${excerpt(answer.body)}`
    )
  }
  return { ciRunId: body.ci_run_id ?? null, runId: body.run_id ?? null }
}

function readUploadAnswer(answer: HttpResponse): TriggerResult {
  try {
    return readTriggerAnswer(answer)
  } catch {
    throw new DatafoldError(
      `Datafold's answer to the upload of the table pairs is not what its API documents (expected JSON with ci_run_id and run_id): ${excerpt(answer.body)}`
    )
  }
}

function readRunsPage(answer: HttpResponse): CiRun[] {
  const body = parseJson(answer.body)
  if (!Array.isArray(body)) {
    throw new DatafoldError(`Datafold's list of runs is not a JSON array: ${excerpt(answer.body)}`)
  }
  for (const run of body) {
    if (!isObject(run) || typeof run.id !== 'number' || typeof run.status !== 'string') {
      throw new DatafoldError(
        `Datafold listed a run without a numeric id and a status: ${excerpt(JSON.stringify(run))}`
      )
    }
  }
  return body as CiRun[]
}

/** The words a pull request author needs for an HTTP error from Datafold. */
function explainStatus(
  answer: HttpResponse,
  endpoint: Endpoint,
  ciConfigId: number,
  host: URL
): string {
  const status = answer.status
  // After a redirect to another origin the key was not sent (http.ts drops it), so a 401 there
  // says nothing about the key.
  const redirectedTo = answer.url && answer.url.origin !== host.origin ? answer.url.origin : ''
  if (redirectedTo && (status === 401 || status === 403)) {
    return `${host.origin} redirected the request to ${redirectedTo}, which answered HTTP ${status}. The API key is sent only to datafold-host, never to another host it redirects to; if Datafold now lives at ${redirectedTo}, set datafold-host to it.`
  }
  // The key has just triggered and followed the run: a refusal here is about data diffs.
  if (endpoint === 'datadiffs') {
    switch (status) {
      case 401:
        return `Datafold did not accept the API key for its list of data diffs (HTTP 401) at ${host.origin}, though it did for the CI run.`
      case 403:
        return `Datafold did not let the API key list data diffs (HTTP 403) at ${host.origin}. The key can run CI config ${ciConfigId}, but its user may lack access to data diffs or to the data sources they compare; ask a Datafold admin, or set show-data-diffs: false.`
      case 404:
        return `${host.origin} has no list of data diffs (HTTP 404 for GET /api/v1/datadiffs); this Datafold deployment may not offer it. Set show-data-diffs: false to skip it.`
    }
  }
  if (endpoint === 'upload' && (status === 404 || status === 400)) {
    return `Datafold did not take the table pairs (HTTP ${status} for the upload to CI config ${ciConfigId}): ${excerpt(answer.body)}. The diffs input is only for a CI config of the API kind, which waits for them after the trigger; check ci-config-id.`
  }
  switch (status) {
    case 401:
    case 403:
      return `Datafold refused the API key (HTTP ${status}) at ${host.origin}. Check that the api-key input (or DATAFOLD_API_KEY) holds a valid key for this Datafold host and that it has access to CI config ${ciConfigId}.`
    case 404:
      return `CI config ${ciConfigId} was not found on ${host.origin} (HTTP 404). Check ci-config-id, and datafold-host if your organisation has a dedicated Datafold deployment.`
    case 422: {
      const lines = validationLines(answer.body)
      return lines.length > 0
        ? `Datafold rejected the request as invalid (HTTP 422):\n${lines.map((line) => `  - ${line}`).join('\n')}`
        : `Datafold rejected the request as invalid (HTTP 422): ${excerpt(answer.body)}`
    }
    case 429:
      return `Datafold is rate limiting requests (HTTP 429).`
    default:
      return status >= 500
        ? `Datafold had a server error (HTTP ${status}): ${excerpt(answer.body)}`
        : `Datafold answered HTTP ${status}: ${excerpt(answer.body)}`
  }
}

function validationLines(text: string): string[] {
  const body = parseJson(text)
  if (!isObject(body) || !Array.isArray(body.detail)) return []
  return body.detail.map((item: unknown) => {
    if (!isObject(item)) return String(item)
    const where = Array.isArray(item.loc) ? item.loc.join('.') : ''
    return where ? `${where}: ${String(item.msg)}` : String(item.msg)
  })
}

/**
 * An id Datafold may name: a positive integer JSON numbers hold exactly. 0 or -1 is a placeholder,
 * and past 2^53 two ids read as one number (1e21 would become the output "1e+21").
 */
function isIdOrNull(value: unknown): value is number | null | undefined {
  return (
    value === undefined || value === null || (Number.isSafeInteger(value) && (value as number) > 0)
  )
}
