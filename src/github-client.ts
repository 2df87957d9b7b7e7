/**
 * The GitHub API at GITHUB_API_URL (so GitHub Enterprise Server works), for reads in the event's
 * repository. Turns every answer into data of the shape asked for or an EventError worded for the
 * author of a pull request, and repeats requests that failed for passing reasons within the step's
 * deadline, by the same rules as the Datafold client (retry.ts). It reaches GitHub the way send()
 * reaches Datafold (http.ts: a loopback host directly, any other through the proxy variables).
 *
 * Octokit and its fetch stack are most of what @actions/github weighs; they are imported only at
 * the first request, so a pull_request event never loads them (ncc puts them in a chunk of their
 * own). Octokit's own retry plugin is not used: one policy for both APIs, bounded by the same
 * deadline, says the same things in the log.
 */
import { fetch as undiciFetch } from 'undici'
import type { Clock } from './clock.js'
import { dispatcherFor } from './http.js'
import { EventError } from './pull-request.js'
import {
  isRetryableRead,
  LAST_ATTEMPT_MS,
  parseRetryAfter,
  retryWaitMs,
  type Fault
} from './retry.js'
import type { Log } from './toolkit.js'
import { USER_AGENT } from './user-agent.js'

export interface GitHubClientOptions {
  /** GITHUB_API_URL, without a trailing slash. */
  apiUrl: string
  /** `owner/repo`, from GITHUB_REPOSITORY. */
  repository: string
  /** The event's name, to say why a lookup needs the token. */
  eventName: string
  /** `github-token`. */
  token: string
  log: Log
  /** Limit for one request (`request-timeout`). */
  timeoutMs: number
  clock: Clock
  /** The step's deadline (`wait-timeout-minutes`): no request or retry outlives it. */
  deadlineMs: number
  /** Aborted when the workflow is cancelled. */
  signal?: AbortSignal
  random?: () => number
}

/** What an answer must look like to be used, and its name for errors ("a JSON pull request"). */
export interface Shape<T> {
  accepts(data: unknown): data is T
  expected: string
}

/**
 * GitHub's secondary rate limit without a Retry-After or a reset time: its documentation says to
 * wait at least a minute.
 */
const RATE_LIMIT_WAIT_MS = 60_000

type Octokit = Awaited<ReturnType<typeof octokitFor>>

export class GitHubClient {
  private octokit: Octokit | undefined
  constructor(private readonly options: GitHubClientOptions) {}

  /**
   * One GET in the event's repository (`owner` and `repo` are filled in): data of `shape`, or an
   * EventError. Never an empty stand-in for an answer that could not be read.
   */
  async get<T>(
    route: string,
    params: Record<string, string | number>,
    shape: Shape<T>
  ): Promise<T> {
    const { clock, log, signal, apiUrl } = this.options
    this.octokit ??= await octokitFor(this.options)
    const [owner, repo] = this.options.repository.split('/')
    const full: Record<string, string | number> = { owner, repo, ...params }
    const label = route.replace(/\{(\w+)\}/g, (_, key: string) => String(full[key]))
    const request = `${label} on ${apiUrl}`
    for (let attempt = 0; ; attempt++) {
      const leftMs = this.options.deadlineMs - clock.now()
      if (leftMs <= 0) {
        throw new EventError(`wait-timeout-minutes ran out before ${request} could be sent.`, {
          outOfTime: true
        })
      }
      const limitMs = Math.max(1, Math.min(this.options.timeoutMs, leftMs))
      const timeout = AbortSignal.timeout(limitMs)
      const both = signal ? AbortSignal.any([signal, timeout]) : timeout
      let fault: Fault
      let problem: EventError
      let retryAfterMs: number | undefined
      try {
        const response = await this.octokit.request(route, { ...full, request: { signal: both } })
        const data: unknown = response.data
        if (shape.accepts(data)) return data
        const contentType = String(response.headers['content-type'] ?? '')
        // Stryker disable next-line StringLiteral: on this path only fault.json is read; the kind is read only by isRetryableRead in the catch
        fault = { kind: 'bad-answer', json: /\bjson\b/i.test(contentType) }
        problem = wrongAnswer(request, shape.expected, data, contentType)
        // A page that is not JSON at all (a proxy's or a single sign-on page) will not change.
        if (!fault.json) throw problem
      } catch (error) {
        if (error instanceof EventError) throw error
        if (signal?.aborted) throw error
        const failure = error as RequestFailure
        if (timeout.aborted) {
          if (limitMs < this.options.timeoutMs) {
            throw new EventError(
              `wait-timeout-minutes ran out while waiting for the GitHub API to answer ${request}.`,
              { outOfTime: true }
            )
          }
          // Stryker disable next-line ObjectLiteral,StringLiteral,BooleanLiteral: isRetryableRead retries ETIMEDOUT, an empty code and a fault of no kind alike, and reads no notSent
          fault = { kind: 'network', code: 'ETIMEDOUT', notSent: false }
        } else if (!failure.response) {
          // Stryker disable next-line BooleanLiteral: isRetryableRead does not read notSent
          fault = { kind: 'network', code: errorCode(error), notSent: false }
        } else {
          const limited = isRateLimit(failure)
          // A rate limit is a rate limit whatever its status: GitHub's secondary limit answers 403.
          fault = { kind: 'status', status: limited ? 429 : (failure.status ?? 0) }
          retryAfterMs = waitAsked(failure.response.headers ?? {}, limited, clock.now())
        }
        problem = explainGitHubError(failure, request, timeout.aborted, limitMs)
        if (!isRetryableRead(fault)) throw problem
      }
      const nowMs = clock.now()
      const wait = retryWaitMs({
        attempt,
        retryAfterMs,
        nowMs,
        deadlineMs: this.options.deadlineMs,
        random: this.options.random
      })
      if (wait === undefined) {
        const leftMs = this.options.deadlineMs - nowMs
        const why =
          retryAfterMs !== undefined && retryAfterMs > leftMs - LAST_ATTEMPT_MS
            ? `GitHub asked to wait ${seconds(retryAfterMs)} before the next try, and the ${seconds(Math.max(0, leftMs))} left of wait-timeout-minutes is not enough for that wait and one more try, so the step stops now.`
            : 'wait-timeout-minutes leaves no room for another try.'
        throw new EventError(`${problem.message} ${why}`, { outOfTime: true })
      }
      log.warning(
        `${problem.message} Retrying ${label} in ${(wait / 1000).toFixed(1)} s (retry ${attempt + 1}).`,
        { title: 'Retrying a GitHub API request' }
      )
      await clock.sleep(wait, signal)
      if (signal?.aborted) throw new EventError(`${label} was cancelled.`)
    }
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`
}

/** Octokit's RequestError, or whatever fetch threw. */
interface RequestFailure {
  status?: number
  message?: string
  response?: { headers?: Record<string, unknown>; data?: unknown }
}

/**
 * A used-up rate limit, primary or secondary: a 429, or a 403 that says so in its headers or words
 * (a 403 is otherwise about permissions).
 */
function isRateLimit(failure: RequestFailure): boolean {
  const headers = failure.response?.headers ?? {}
  return (
    failure.status === 429 ||
    (failure.status === 403 &&
      (headers['x-ratelimit-remaining'] === '0' ||
        headers['retry-after'] !== undefined ||
        /rate limit/i.test(saidBy(failure))))
  )
}

/** What GitHub said about a failed request: its JSON `message`, else Octokit's words. */
function saidBy(failure: RequestFailure): string {
  // Stryker disable next-line StringLiteral: Octokit's RequestError always has a string message
  return githubMessage(failure.response?.data) ?? failure.message ?? ''
}

/**
 * How long GitHub asked to wait, never capped: Retry-After, else for a used-up limit the time until
 * x-ratelimit-reset (epoch seconds, not capped: past the deadline it ends the retries), else a
 * minute for a rate limit that names no time.
 */
function waitAsked(
  headers: Record<string, unknown>,
  limited: boolean,
  nowMs: number
): number | undefined {
  // Never shortened: a request sent before GitHub's wait is over only earns a longer ban. Past the
  // deadline, retryWaitMs ends the retries at once.
  const retryAfter = parseRetryAfter(headers['retry-after'] as string | undefined, nowMs, Infinity)
  if (retryAfter !== undefined || !limited) return retryAfter
  const reset = Number(headers['x-ratelimit-reset'])
  if (headers['x-ratelimit-remaining'] === '0' && reset > 0)
    return Math.max(0, reset * 1000 - nowMs)
  return RATE_LIMIT_WAIT_MS
}

/** An answer of the wrong shape, quoted briefly; an HTML page is named as what it likely is. */
function wrongAnswer(
  request: string,
  expected: string,
  data: unknown,
  contentType: string
): EventError {
  const shown = typeof data === 'string' ? data : (JSON.stringify(data) ?? String(data))
  const flat = shown.replace(/\s+/g, ' ').trim()
  const excerpt =
    flat === '' ? '(empty or cut off)' : flat.length > 200 ? `${flat.slice(0, 200)}…` : flat
  const hint = /html/i.test(contentType)
    ? ' An HTML page in place of the API usually comes from a proxy or a single sign-on page in front of GITHUB_API_URL.'
    : ''
  return new EventError(
    `GitHub's answer to ${request} is not ${expected}${contentType ? ` (content type ${contentType})` : ''}: ${excerpt}.${hint}`
  )
}

/** Node's error code (ECONNREFUSED, ...) from anywhere in fetch's chain of causes. */
function errorCode(error: unknown): string {
  let current = error as { code?: unknown; cause?: unknown } | undefined
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string') return current.code
    current = current.cause as typeof current
  }
  // Stryker disable next-line StringLiteral: isRetryableRead retries any code but EABORTED and the permanent ones, '' included
  return 'ENETWORK'
}

/**
 * Octokit for the token, talking through send()'s way to each host, and logging through the
 * step's log: its own warnings (a deprecated endpoint, built from GitHub's `sunset` and `link`
 * headers) would otherwise go to console.warn, past the toolkit's defusing of workflow commands.
 */
async function octokitFor(options: GitHubClientOptions) {
  const { eventName, token, repository, apiUrl, log } = options
  if (token === '') {
    throw new EventError(
      `Input github-token is empty, but the ${eventName} event does not carry the pull request, so the action looks it up through the GitHub API. ` +
        'Leave github-token at its default (${{ github.token }}) with `pull-requests: read` and `contents: read` permissions, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha.'
    )
  }
  const [owner, repo] = repository.split('/')
  if (!owner || !repo) {
    throw new EventError(
      `The repository is unknown (GITHUB_REPOSITORY is "${repository}"), so the pull request cannot be looked up.`
    )
  }
  const { getOctokit } = await import('@actions/github')
  const octokitLog = {
    debug: (message: string) => log.debug(message),
    info: (message: string) => log.info(message),
    warn: (message: string) => log.warning(message, { title: 'GitHub API client' }),
    error: (message: string) => log.error(message, { title: 'GitHub API client' })
  }
  return getOctokit(token, {
    baseUrl: apiUrl,
    userAgent: USER_AGENT,
    // Octokit's own logger, and the one @octokit/request reads (it looks only in `request`).
    log: octokitLog,
    request: {
      log: octokitLog,
      fetch: (url: string | URL, init?: Parameters<typeof undiciFetch>[1]) =>
        undiciFetch(url, { ...init, dispatcher: dispatcherFor(new URL(url)) })
    }
  })
}

const PERMISSIONS =
  'Give the job `permissions:` with `pull-requests: read` and `contents: read` (a job that sets `permissions:` gets none it does not list), or pass in github-token a token that has them'

/** The words for a failed GitHub request, with what to do about the token. */
function explainGitHubError(
  failure: RequestFailure,
  request: string,
  timedOut: boolean,
  timeoutMs: number
): EventError {
  if (timedOut) {
    return new EventError(
      `The GitHub API did not answer ${request} within ${timeoutMs / 1000} s (the lesser of request-timeout and what is left of wait-timeout-minutes).`
    )
  }
  if (!failure.response) {
    return new EventError(
      `Could not reach the GitHub API for ${request}: ${rootCause(failure)}. ` +
        "On GitHub Enterprise Server the runner sets GITHUB_API_URL to the server's API; check that it is reachable from the runner."
    )
  }
  const said = saidBy(failure)
  const quote = said ? ` GitHub said: "${said}".` : ''
  if (isRateLimit(failure)) {
    return new EventError(
      `GitHub's API rate limit for the token in github-token is used up (HTTP ${failure.status}) for ${request}.${quote} Try again later, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha so no lookup is needed.`
    )
  }
  switch (failure.status) {
    case 401:
      return new EventError(
        `GitHub did not accept the token in github-token for ${request} (HTTP 401: bad or expired credentials).${quote} Leave github-token at its default, \${{ github.token }}, or pass a valid token.`
      )
    case 403:
      return new EventError(
        `GitHub refused ${request} (HTTP 403): the token in github-token lacks permission to read the pull request.${quote} ${PERMISSIONS}.`
      )
    case 404:
      return new EventError(
        `GitHub answered 404 Not Found to ${request}.${quote} Either the pull request or commit is in a repository the token in github-token cannot see (another repository or organisation than the token was made for), or the token lacks permission to read it: GitHub answers 404, not 403, for what a token may not see. ${PERMISSIONS}.`
      )
    default:
      return new EventError(`GitHub answered HTTP ${failure.status} to ${request}.${quote}`)
  }
}

/** The innermost message of an error chain: fetch's "fetch failed" hides the socket's reason. */
function rootCause(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined
  let message = String(error)
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.message === 'string' && current.message !== '') message = current.message
    current = current.cause as typeof current
  }
  return message
}

function githubMessage(data: unknown): string | undefined {
  if (typeof data === 'object' && data !== null && 'message' in data) {
    const message = data.message
    if (typeof message === 'string' && message !== '') return message
  }
  return undefined
}
