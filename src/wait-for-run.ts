/**
 * The waiting loop: checks the runs of the pull request's commit on a growing schedule until the
 * run reaches a final status, the step runs out of time, Datafold never starts a run, or the
 * workflow is cancelled. Every ending is a value, so the verdict is made in one place (main.ts).
 */
import type { Clock } from './clock.js'
import type { CiRun, DatafoldClient } from './datafold-client.js'
import { DatafoldError } from './datafold-client.js'
import { formatDuration } from './format.js'
import { lastCheckMs, nextPollDelayMs, type PollSchedule } from './schedule.js'
import type { Log } from './toolkit.js'
import { conclusionOf, isKnownStatus, looksFinal } from './verdict.js'
import { isOfCommit, runsOfCommit } from './which-run.js'

/**
 * Which run to follow: one whose id is known (named by the trigger's answer, by the ci-run-id input,
 * or listed for the commit before the step sent anything), or the newest run of this pull request
 * that was not there before the trigger (`existingRunIds`: a trigger that named none, or, with
 * `byDatafold`, the run Datafold starts on its own for trigger: never). `startedEarlier`: the run
 * was named by the ci-run-id input, so it must show up in the commit's list within the start
 * window, or it is not this commit's run. `existingRunIds` with an id: the runs listed before the
 * trigger, so a run that appears besides the trigger's (Datafold's own, late) is mentioned.
 */
export type RunTarget =
  | { ciRunId: number; startedEarlier?: boolean; existingRunIds?: ReadonlySet<number> }
  | { existingRunIds: ReadonlySet<number>; prNumber: number; byDatafold?: boolean }

export type WaitOutcome =
  | { kind: 'finished'; run: CiRun; conclusion: 'success' | 'failure' | 'cancelled' }
  | { kind: 'timed_out'; run?: CiRun; reason?: string }
  | { kind: 'not_started' }
  | { kind: 'aborted'; run?: CiRun }
  | { kind: 'error'; run?: CiRun; message: string }

export interface WaitResult {
  outcome: WaitOutcome
  /** Completed status checks (list-runs calls). */
  polls: number
}

export interface WaitOptions {
  client: Pick<DatafoldClient, 'listRuns'>
  prSha: string
  target: RunTarget
  clock: Clock
  schedule: PollSchedule
  /** Clock time the step started; elapsed times and the schedule count from it. */
  startedAtMs: number
  deadlineMs: number
  /**
   * Without a run by this time (and no id from the trigger), Datafold started none. A window that
   * `deadlineMs` cuts short proves nothing: the wait then ends timed_out, never not_started.
   */
  startDeadlineMs: number
  signal?: AbortSignal
  log: Log
  /** Uniform [0, 1) source for the schedule's jitter (tests pass a fixed one). */
  random?: () => number
}

/** findRun's answer: the run, once it is listed, or how the wait ended without it. */
export type FindResult = { found: CiRun; polls: number } | WaitResult

export async function waitForRun(options: WaitOptions): Promise<WaitResult> {
  return (await follow(options, false)) as WaitResult
}

/**
 * Looks for the run as waitForRun does, but stops as soon as it is listed: for table pairs that
 * must go to a run that exists (trigger: never, where Datafold starts the run on its own).
 */
export async function findRun(options: WaitOptions): Promise<FindResult> {
  return follow(options, true)
}

async function follow(options: WaitOptions, untilListed: boolean): Promise<FindResult> {
  const { client, clock, log, signal, target } = options
  let polls = 0
  let run: CiRun | undefined
  let followedId = 'ciRunId' in target ? target.ciRunId : undefined
  let lastStatus: string | undefined
  let otherRunNoted = false
  const unknownStatuses = new Set<string>()
  const elapsed = (): string => formatDuration(clock.now() - options.startedAtMs)
  const end = (outcome: WaitOutcome): WaitResult => ({ outcome, polls })
  const { startDeadlineMs } = options
  // A run that finishes just before wait-timeout-minutes ends is still seen finished, not timed_out.
  const lastCheck = lastCheckMs(options.startedAtMs, options.deadlineMs)

  for (;;) {
    if (signal?.aborted) return end({ kind: 'aborted', run })
    let listed: CiRun[]
    // A list shows the runs as they were when it was asked for, however late its answer came.
    const askedAtMs = clock.now()
    try {
      listed = await client.listRuns(options.prSha)
      polls++
    } catch (error) {
      if (signal?.aborted) return end({ kind: 'aborted', run })
      if (error instanceof DatafoldError && error.outOfTime) {
        return end({ kind: 'timed_out', run, reason: error.message })
      }
      return end({ kind: 'error', run, message: (error as Error).message })
    }

    // The ci-run-id input names a run; if Datafold lists it under another commit, its verdict is
    // not this commit's, whatever its status.
    const elsewhere =
      'startedEarlier' in target && target.startedEarlier === true
        ? listed.find((r) => r.id === followedId && !isOfCommit(r, options.prSha))
        : undefined
    if (elsewhere) {
      return end({
        kind: 'error',
        message: `Input ci-run-id is ${followedId}, but Datafold lists CI run ${followedId} under commit ${String(elsewhere.pr_sha)}, not under the pull request's head commit ${options.prSha}. Its verdict is not this commit's, so the step fails; pass the ci-run-id output of the step that started a run for ${options.prSha}, or leave ci-run-id empty.`
      })
    }
    const runs = runsOfCommit(listed, options.prSha)
    if (followedId === undefined && !('ciRunId' in target)) {
      const created = newestNewRun(runs, target.existingRunIds, target.prNumber)
      if (created) {
        followedId = created.id
        log.info(
          target.byDatafold
            ? `Following Datafold CI run ${created.id}, the one Datafold started for this commit on its own.`
            : `Following Datafold CI run ${created.id}, the one created for this commit by the trigger.`
        )
      }
    }
    if ('ciRunId' in target && target.existingRunIds && !otherRunNoted) {
      const other = newestNewRun(
        runs.filter((r) => r.id !== followedId),
        target.existingRunIds,
        undefined
      )
      if (other) {
        otherRunNoted = true
        log.info(
          `The commit has another Datafold CI run, ${other.id}, that was not listed before the trigger (most likely Datafold's own, started from GitHub's webhook); the step follows run ${followedId}, the one its trigger named.`
        )
      }
    }
    const entries = followedId === undefined ? [] : runs.filter((r) => r.id === followedId)
    const current = entries[0]
    if (current && untilListed) return { found: current, polls }
    if (current) {
      run = current
      // One answer that lists the run twice, say done and failed, proves neither.
      const statuses = [...new Set(entries.map((entry) => entry.status))]
      if (statuses.length > 1) {
        return end({
          kind: 'error',
          run,
          message: `Datafold listed CI run ${current.id} more than once in one answer, with different statuses: ${statuses.map((status) => `"${status}"`).join(', ')}. The step cannot tell which is true, so it fails rather than pass on a guess; look at the run in Datafold.`
        })
      }
      if (current.status !== lastStatus) {
        lastStatus = current.status
        log.info(`Datafold CI run ${current.id} is ${current.status} (after ${elapsed()}).`)
        if (!isKnownStatus(current.status) && looksFinal(current.status)) {
          return end({
            kind: 'error',
            run,
            message: `Datafold CI run ${current.id} reported status "${current.status}", which this action does not know. It looks final, so the step stops here and fails rather than guess what it means or wait for a status that may never come. Open the run in Datafold for its result, and please report the status to the maintainers of this action so it can learn it.`
          })
        }
        if (!isKnownStatus(current.status) && !unknownStatuses.has(current.status)) {
          unknownStatuses.add(current.status)
          log.notice(
            `Datafold reported status "${current.status}", which this action does not know; treating the run as still in progress.`
          )
        }
      }
      const conclusion = conclusionOf(current.status)
      if (conclusion === 'success' || conclusion === 'failure' || conclusion === 'cancelled') {
        return end({ kind: 'finished', run: current, conclusion })
      }
    } else if (followedId !== undefined) {
      log.debug(
        `Datafold CI run ${followedId} is not in the list for ${options.prSha} yet (check ${polls}); waiting.`
      )
    } else {
      log.debug(`No new Datafold CI run for ${options.prSha} yet (check ${polls}).`)
    }

    const now = clock.now()
    // "Started none" needs a list asked for at or after the start deadline; an older one (its
    // answer held up by retries) is followed at once by another look.
    if (followedId === undefined && askedAtMs >= startDeadlineMs)
      return end({ kind: 'not_started' })
    const unlisted = 'startedEarlier' in target && target.startedEarlier === true && !run
    if (unlisted && askedAtMs >= startDeadlineMs) {
      return end({
        kind: 'error',
        message: `Datafold does not list CI run ${followedId} (input ci-run-id) among the runs of commit ${options.prSha} within start-timeout-minutes. Check that ci-run-id names a run of this pull request's head commit under this CI config (the output ci-run-id of the step that triggered it).`
      })
    }
    if (now >= lastCheck) return end({ kind: 'timed_out', run })

    let delay = nextPollDelayMs(now - options.startedAtMs, options.schedule, options.random)
    delay = Math.min(delay, lastCheck - now)
    if (followedId === undefined || unlisted) delay = Math.min(delay, startDeadlineMs - now)
    await clock.sleep(delay, signal)
    if (signal?.aborted) return end({ kind: 'aborted', run })
  }
}

/** The newest run of this pull request that did not exist before the trigger. */
function newestNewRun(
  runs: CiRun[],
  existing: ReadonlySet<number>,
  prNumber: number | undefined
): CiRun | undefined {
  return runs
    .filter((r) => !existing.has(r.id))
    .filter(
      (r) => prNumber === undefined || r.pr_num === undefined || prNumberOf(r.pr_num) === prNumber
    )
    .reduce<CiRun | undefined>(
      (newest, r) => (newest === undefined || r.id > newest.id ? r : newest),
      undefined
    )
}

/** `pr_num` as a number: Datafold's text may carry spaces or a leading `#` ("#2", " 2"). */
function prNumberOf(prNum: string | number): number | undefined {
  const digits = /^#?(\d+)$/.exec(String(prNum).trim())
  return digits ? Number(digits[1]) : undefined
}
