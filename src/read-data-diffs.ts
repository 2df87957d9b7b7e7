/**
 * Reading a finished run's data diffs: one list of them, and, when fail-on-data-changes needs every
 * result, more lists on the polling schedule while some diffs still have none, until all do or
 * wait-timeout-minutes ends. Under the gate a list may not shrink: a diff once listed must end with a
 * result, and an empty list is read again once, poll-interval later, before it is trusted. Every ending is a value: a list Datafold will not give is a `problem`
 * (noted in the log), never an exception, so the run's verdict stands unless the gate asks more.
 */
import type { Clock } from './clock.js'
import { DatafoldError, type DatafoldClient, type DataDiffList } from './datafold-client.js'
import {
  countResults,
  diffName,
  diffUrl,
  inDisplayOrder,
  standingOf,
  type DataDiff,
  type DiffsReading
} from './data-diffs.js'
import { formatCount, formatRatio, oneLine } from './format.js'
import { lastCheckMs, nextPollDelayMs, type PollSchedule } from './schedule.js'
import type { Log } from './toolkit.js'

export interface DiffReadOptions {
  client: Pick<DatafoldClient, 'listDataDiffs'>
  ciRunId: number
  /** List again while some diffs have no result (fail-on-data-changes needs every result). */
  untilSettled: boolean
  /** datafold-host, for the links in the log. */
  host: URL
  clock: Clock
  schedule: PollSchedule
  /** Clock time the step started; the schedule counts from it. */
  startedAtMs: number
  deadlineMs: number
  signal?: AbortSignal
  log: Log
  /** Uniform [0, 1) source for the schedule's jitter (tests pass a fixed one). */
  random?: () => number
}

/** The reading, or `aborted` when the workflow was cancelled. */
export type DiffReadOutcome = DiffsReading | { aborted: true }

/** Diffs listed one by one in the log; the rest are counted. */
const LOGGED_DIFFS = 50

export async function readDataDiffs(options: DiffReadOptions): Promise<DiffReadOutcome> {
  const { client, clock, log, signal, ciRunId } = options
  const lastCheck = lastCheckMs(options.startedAtMs, options.deadlineMs)
  let reading: DiffsReading = {}
  /** This run's diffs listed so far, by id, with the last list that held them. */
  const listed = new Map<number, DataDiff>()
  let emptyChecked = false
  for (;;) {
    if (signal?.aborted) return { aborted: true }
    let list: DataDiffList
    try {
      list = await client.listDataDiffs(ciRunId)
    } catch (error) {
      if (signal?.aborted) return { aborted: true }
      if (!(error instanceof DatafoldError)) throw error
      log.notice(
        `The data diffs of Datafold CI run ${ciRunId} could not be read: ${error.message} ${options.untilSettled ? 'fail-on-data-changes needs them, so the step fails.' : "The run's own verdict stands."}`
      )
      reading = { ...reading, problem: error.message }
      break
    }
    const gone = [...listed.values()].filter((seen) => !list.diffs.some((d) => d.id === seen.id))
    reading = {
      diffs: list.diffs,
      incomplete: list.incomplete ?? (gone.length > 0 ? goneReason(gone) : undefined)
    }
    for (const diff of list.diffs) listed.set(diff.id, diff)
    if (list.others > 0) {
      log.debug(
        `Left out ${formatCount(list.others)} data diffs of other runs that Datafold listed too (it did not filter by ci_run_id).`
      )
    }
    if (!options.untilSettled || reading.incomplete) break
    // An empty list may be one read before Datafold listed the run's diffs: look once more.
    const recheckEmpty: boolean = list.diffs.length === 0 && !emptyChecked
    emptyChecked ||= recheckEmpty
    const running = list.diffs.filter((diff) => standingOf(diff) === 'running')
    if (running.length === 0 && !recheckEmpty) break
    const now = clock.now()
    if (now >= lastCheck) {
      if (recheckEmpty) reading = { ...reading, incomplete: NO_TIME_TO_CONFIRM }
      break
    }
    const delay = Math.min(
      recheckEmpty
        ? options.schedule.pollIntervalMs
        : nextPollDelayMs(now - options.startedAtMs, options.schedule, options.random),
      lastCheck - now
    )
    log.info(
      recheckEmpty
        ? `Datafold lists no data diffs for CI run ${ciRunId}; fail-on-data-changes trusts an empty list only when it is read twice, so it is read again in ${(delay / 1000).toFixed(1)} s.`
        : `${formatCount(running.length)} of ${formatCount(list.diffs.length)} data diffs ${running.length === 1 ? 'has' : 'have'} no result yet; fail-on-data-changes needs every result, so they are checked again in ${(delay / 1000).toFixed(1)} s.`
    )
    await clock.sleep(delay, signal)
  }
  if (signal?.aborted) return { aborted: true }
  logReading(reading, options)
  return reading
}

const NO_TIME_TO_CONFIRM =
  'Datafold listed no data diffs for this run, and no time was left to read the list again to confirm it.'

/** Diffs listed before and missing now: the list shrank, so nothing shows they ended unchanged. */
function goneReason(gone: DataDiff[]): string {
  const names = gone.slice(0, 10).map(diffName)
  if (gone.length > names.length) names.push(`and ${formatCount(gone.length - names.length)} more`)
  return `${formatCount(gone.length)} data ${gone.length === 1 ? 'diff was' : 'diffs were'} listed before but no longer, so ${gone.length === 1 ? 'it' : 'they'} never showed a final result: ${names.join(', ')}.`
}

function logReading(reading: DiffsReading, { ciRunId, host, log }: DiffReadOptions): void {
  if (!reading.diffs) return
  const diffs = inDisplayOrder(reading.diffs)
  log.info(
    diffs.length === 0
      ? `Datafold lists no data diffs for CI run ${ciRunId}.`
      : `Datafold lists ${formatCount(diffs.length)} data ${diffs.length === 1 ? 'diff' : 'diffs'} for CI run ${ciRunId}: ${countResults(diffs)}.`
  )
  for (const diff of diffs.slice(0, LOGGED_DIFFS))
    log.info(`  ${describe(diff)}: ${diffUrl(host, diff.id)}`)
  if (diffs.length > LOGGED_DIFFS)
    log.info(`  and ${formatCount(diffs.length - LOGGED_DIFFS)} more.`)
  if (reading.incomplete) log.notice(reading.incomplete)
}

/** `different: db.orders (12 added, 3 removed, 340 with changed values, 98.21 % match)`. */
function describe(diff: DataDiff): string {
  const status = diff.status ?? 'no status'
  // A result on a diff that is not done yet may be an earlier revision's: say it is not final.
  const label = oneLine(
    diff.result === null
      ? `no result (${status})`
      : standingOf(diff) === 'running'
        ? `${diff.result}, not final (${status})`
        : diff.result
  )
  const counts = [
    diff.rowsAdded !== null ? `${formatCount(diff.rowsAdded)} added` : '',
    diff.rowsRemoved !== null ? `${formatCount(diff.rowsRemoved)} removed` : '',
    diff.rowsChanged !== null ? `${formatCount(diff.rowsChanged)} with changed values` : '',
    diff.matchRatio !== null ? `${formatRatio(diff.matchRatio)} match` : ''
  ].filter(Boolean)
  return `${label}: ${diffName(diff)}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`
}
