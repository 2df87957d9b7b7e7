/**
 * When a failed request is worth repeating, and how long to wait first: bounded exponential backoff
 * with full jitter, `Retry-After` honoured (Datafold's up to a cap, GitHub's whole), and never a
 * wait past the step's deadline.
 * Pure functions; the loop that uses them lives in the Datafold client.
 */

export const RETRY_BASE_MS = 1_000
export const RETRY_MAX_BACKOFF_MS = 30_000
export const RETRY_AFTER_CAP_MS = 120_000
/** The least time worth giving a last attempt before the deadline. */
export const LAST_ATTEMPT_MS = 1_000

/** Full jitter: a uniform draw from [0, min(cap, base * 2^attempt)). `attempt` counts from 0. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_BACKOFF_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 30))
  return Math.floor(random() * ceiling)
}

/**
 * `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP date; undefined if unusable.
 * At most `capMs`: Datafold's is capped at RETRY_AFTER_CAP_MS; GitHub's is taken whole (Infinity),
 * since GitHub answers a request sent before its wait is over with a longer ban.
 */
export function parseRetryAfter(
  value: string | string[] | undefined,
  nowMs: number,
  capMs: number = RETRY_AFTER_CAP_MS
): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, capMs)
  // Every HTTP-date form starts with a day name. Date.parse alone takes "1.5" or "-5" for dates in
  // 2001, which would turn a malformed header into an immediate retry.
  const date = /^[a-z]{3}/i.test(text) ? Date.parse(text) : NaN
  if (Number.isNaN(date)) return undefined
  return Math.min(Math.max(0, date - nowMs), capMs)
}

/** What went wrong with one attempt, in the terms the retry rule needs. */
export type Fault =
  | { kind: 'network'; code: string; notSent: boolean }
  | { kind: 'status'; status: number }
  /**
   * A 2xx the client could not read; `json` when its content type at least claimed JSON, `parsed`
   * when the body was JSON (of the wrong shape) rather than cut short or something else.
   */
  | { kind: 'bad-answer'; json: boolean; parsed?: boolean }

const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504])

// Network faults that the same request will meet again: an untrusted TLS certificate (a missing
// corporate CA, say), a proxy that wants credentials or refuses the tunnel (a 4xx to CONNECT), a
// proxy variable that names no proxy, or an answer http.ts refuses. Retrying them would only hold
// the step until wait-timeout-minutes before it reports what was clear at the first try.
const PERMANENT_NETWORK_CODES = new Set([
  'EREDIRECT_INSECURE',
  'EREDIRECT_POST',
  'EREDIRECTS',
  'EBODYTOOLARGE',
  'EPROXYAUTH',
  'EPROXY',
  'EPROXYCONFIG',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

/** Status checks are reads: repeating one is always safe, and worth it unless the fault is permanent. */
export function isRetryableRead(fault: Fault): boolean {
  if (fault.kind === 'status') return TRANSIENT_STATUSES.has(fault.status)
  if (fault.kind === 'network')
    return fault.code !== 'EABORTED' && !PERMANENT_NETWORK_CODES.has(fault.code)
  return true
}

/**
 * Reading a finished run's data diffs: network faults and HTTP statuses as for a status check, but
 * of the answers that cannot be read only JSON cut short is retried. An HTML page or JSON of
 * another shape is what this Datafold serves at that address (a deployment without the endpoint,
 * a single sign-on page), and the run's verdict should not wait on it for the rest of
 * wait-timeout-minutes.
 */
export function isRetryableDiffRead(fault: Fault): boolean {
  if (fault.kind === 'bad-answer') return fault.json && !fault.parsed
  return isRetryableRead(fault)
}

/**
 * The trigger starts a Datafold run, so it is repeated only where the first attempt certainly or
 * most likely started none: the connection was never made (refused, DNS), the server said it is
 * rate limiting before doing anything (429), or a gateway in front of Datafold could not hand the
 * request over (502, 503). A 504 is not repeated: the gateway gave up waiting for Datafold, which
 * may still have started a run. That, a reset or a timeout mid-request, or an answer cut off, leave
 * the trigger's fate unknown, and the client reports them so (see `isAmbiguousTrigger`); the step
 * then looks for the run instead of sending a second trigger.
 */
export function isRetryableTrigger(fault: Fault): boolean {
  if (fault.kind === 'network')
    return fault.notSent && fault.code !== 'EABORTED' && !PERMANENT_NETWORK_CODES.has(fault.code)
  if (fault.kind === 'status') return [429, 502, 503].includes(fault.status)
  return false
}

/**
 * Faults after which Datafold may have acted on the trigger although the step cannot tell: the
 * request reached it but the answer was lost (reset, timeout, cut off, a gateway timeout) or could
 * not be read.
 */
export function isAmbiguousTrigger(fault: Fault): boolean {
  if (fault.kind === 'network') return !fault.notSent
  if (fault.kind === 'status') return fault.status === 504
  return true
}

/**
 * The wait before the next attempt, or undefined when the deadline leaves no room for one.
 * A backoff that would cross the deadline is shortened so one last attempt still gets
 * LAST_ATTEMPT_MS before it; a Retry-After that crosses it ends the retries, since the server
 * said it will not answer sooner.
 */
export function retryWaitMs(args: {
  attempt: number
  retryAfterMs: number | undefined
  nowMs: number
  deadlineMs: number
  random?: () => number
}): number | undefined {
  const latest = args.deadlineMs - args.nowMs - LAST_ATTEMPT_MS
  // Retry-After is a floor, and the backoff's jitter comes on top of it: steps that a rate limit
  // turned away together come back spread out, not in the same second again; a server that keeps
  // answering `Retry-After: 0` still gets the growing backoff instead of a tight loop.
  const backoff = backoffDelayMs(args.attempt, args.random)
  if (args.retryAfterMs !== undefined && args.retryAfterMs > latest) return undefined
  if (latest <= 0) return undefined
  return Math.min((args.retryAfterMs ?? 0) + backoff, latest)
}
