/** What Datafold's free-form run status means for the pull request. */
export type Conclusion = 'success' | 'failure' | 'cancelled' | 'timed_out' | 'skipped'

/** Statuses Datafold documents for a run that has not finished. */
export const RUNNING_STATUSES: readonly string[] = ['waiting', 'queued', 'processing']

const TERMINAL: Record<string, Conclusion> = {
  done: 'success',
  failed: 'failure',
  cancelled: 'cancelled'
}

/** The conclusion for a final status, or undefined while the run is still going (or unknown). */
export function conclusionOf(status: string): Conclusion | undefined {
  const normalized = status.trim().toLowerCase()
  // Own keys only: "constructor" or "__proto__" from a server must not read Object's prototype.
  return Object.hasOwn(TERMINAL, normalized) ? TERMINAL[normalized] : undefined
}

export function isKnownStatus(status: string): boolean {
  const normalized = status.trim().toLowerCase()
  return Object.hasOwn(TERMINAL, normalized) || RUNNING_STATUSES.includes(normalized)
}

/** Whether the step passes with this conclusion. */
export function passes(conclusion: Conclusion, failOnSkip: boolean): boolean {
  return conclusion === 'success' || (conclusion === 'skipped' && !failOnSkip)
}

export const CONCLUSION_ICONS: Record<Conclusion, string> = {
  success: '✅',
  failure: '❌',
  cancelled: '🚫',
  timed_out: '⏱️',
  skipped: '⏭️'
}
/**
 * Words that say a run has ended, in the statuses other CI systems use. A status outside the known
 * set that holds one of them (`canceled`, `error`, `completed_with_errors`) most likely means the
 * run is over; waiting on it would hold the step for all of wait-timeout-minutes.
 */
const FINAL_WORDS = new Set([
  'done',
  'failed',
  'cancelled',
  'canceled',
  'error',
  'errored',
  'errors',
  'failure',
  'fail',
  'success',
  'succeeded',
  'successful',
  'completed',
  'complete',
  'finished',
  'aborted',
  'terminated',
  'timeout',
  'timed',
  'rejected',
  'skipped',
  'stopped',
  'killed',
  'crashed',
  'expired',
  'passed'
])

/**
 * Words that say the run is still going, or that it has not reached the ending the status names
 * (`not_done`, `pending_done`, `done_pending_review`, `failed_retrying`). Wherever one stands in a
 * status, the status is not read as an ending.
 */
const ONGOING_WORDS = new Set([
  'not',
  'no',
  'non',
  'never',
  'pre',
  'pending',
  'awaiting',
  'waiting',
  'queued',
  'processing',
  'running',
  'retrying',
  'retry',
  'restarting',
  'starting',
  'started',
  'scheduled',
  'progress',
  'partially',
  'partly',
  'almost',
  'nearly',
  'soon',
  'will',
  'to',
  'be',
  'being',
  'before'
])

/** A status as systems write them: words joined by `_`, `-` or a space. */
const STATUS_WORDS = /^[a-z]+(?:[ _-][a-z]+)*$/

/**
 * Whether a status this action does not know reads as the end of a run. The words that decide:
 * the status's FIRST word must be a final word (`canceled`, `error`, `done_with_errors`,
 * `failed-validation`, `timed_out`), and none of its words may be an ongoing word. A word put
 * before a final word negates or qualifies it (`not_done`, `pending_done`, `partially_done`,
 * `with_errors`), and a word inside another (`undone`) is not that word: such statuses are waited
 * on like any unknown status. Misreading an ending as running costs a wait (the step still ends
 * `timed_out`, never passing); misreading a run that goes on as ended fails a pull request whose
 * run may pass, so only the clear cases count. Only text shaped like a status counts: a line
 * break or `::` says it is something else.
 */
export function looksFinal(status: string): boolean {
  const normalized = status.trim().toLowerCase()
  if (!STATUS_WORDS.test(normalized)) return false
  const words = normalized.split(/[ _-]/)
  return FINAL_WORDS.has(words[0]) && !words.some((word) => ONGOING_WORDS.has(word))
}
