/**
 * The step from start to verdict: settings → pull request → trigger → wait → data diffs → outputs,
 * summary and exit code. Each phase lives in its own module; this file only orders them and makes
 * the verdict.
 */
import type { Clock } from './clock.js'
import {
  DatafoldClient,
  DatafoldError,
  type CiRun,
  type PrDetails,
  type TriggerResult
} from './datafold-client.js'
import { dataChangeProblems, diffOutputs, standingOf, type DiffsReading } from './data-diffs.js'
import { TimeLimitError, withinTimeLimit } from './fail-closed.js'
import { formatDuration, shortSha } from './format.js'
import { lookUpPullRequest, needsLookup } from './github-lookup.js'
import { NetworkError, type Transport } from './http.js'
import { InputError, readSettings, secretsIn, type Settings } from './inputs.js'
import {
  completeDetails,
  detailsFromPayload,
  EventError,
  type FoundDetails,
  pullRequestUrl,
  readEventContext,
  type EventContext
} from './pull-request.js'
import { readDataDiffs } from './read-data-diffs.js'
import { renderSummary, type Report } from './summary.js'
import type { Toolkit } from './toolkit.js'
import { conclusionOf, passes, type Conclusion } from './verdict.js'
import { waitForRun, type RunTarget, type WaitOutcome } from './wait-for-run.js'

export interface Dependencies {
  toolkit: Toolkit
  env: NodeJS.ProcessEnv
  clock: Clock
  /** Aborted when the workflow is cancelled (SIGINT/SIGTERM from the runner). */
  signal?: AbortSignal
  transport?: Transport
  random?: () => number
  /** Told what the step is doing, so an ending without a verdict can say (fail-closed.ts). */
  phase?: (text: string) => void
  /** Real time allowed past timeout-minutes before the step stops waiting on itself (tests). */
  graceMs?: number
}

/**
 * How long past timeout-minutes the step may run before it stops waiting for its own work. Every
 * request and sleep is already bounded by the deadline; this catches one that is not (a bug).
 */
const GRACE_MS = 15_000
/** Writing the job summary gets this long; a stuck file system must not hold the verdict. */
const SUMMARY_LIMIT_MS = 10_000

/** What the step learned before it ended, whatever ended it. */
interface Progress {
  event?: EventContext
  pr?: PrDetails
  /** The trigger request went out (its answer may never have come back). */
  triggerSent?: boolean
  trigger?: TriggerResult
  /** Why the trigger's answer was lost, when the step then looked for the run it may have made. */
  triggerLost?: string
  run?: CiRun
  polls: number
  /** The run's data diffs, when they were looked up. */
  dataDiffs?: DiffsReading
}

/** How the step ended, before it is turned into outputs, a summary and an exit code. */
type Ending =
  | { kind: 'triggered' }
  /** The event has no pull request to check (a push with no open pull request): nothing is sent. */
  | { kind: 'no_pull_request'; reason: string }
  | { kind: 'waited'; outcome: Exclude<WaitOutcome, { kind: 'aborted' } | { kind: 'error' }> }
  | { kind: 'error'; message: string }
  | { kind: 'workflow_cancelled' }

const SKIP_REASONS = [
  'the head commit message contains datafold-skip-ci;',
  'the CI config requires a "datafold" label that the pull request does not have;',
  "every changed file matches the CI config's ignore patterns;",
  'the base branch is not the one the CI config checks.'
]

function skipNote(failOnSkip: boolean): string {
  return failOnSkip
    ? 'fail-on-skip is true, so the step fails.'
    : 'The step passes; set fail-on-skip: true to fail it instead.'
}

/** Runs the step; resolves to the process exit code. */
export async function run(deps: Dependencies): Promise<number> {
  const { toolkit, env, clock } = deps
  const startedAtMs = clock.now()
  let phase = 'reading the inputs'
  const enter = (text: string): void => {
    phase = text
    deps.phase?.(text)
  }
  enter(phase)
  secretsIn(toolkit.input, env).forEach((secret) => toolkit.mask(secret))

  let settings: Settings
  try {
    settings = readSettings(toolkit.input, env)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    error.problems.forEach((problem) => toolkit.error(problem))
    return 1
  }

  const progress: Progress = { polls: 0 }
  const limitMs = settings.timeoutMs + (deps.graceMs ?? GRACE_MS)
  const ending = await withinTimeLimit(
    execute(settings, deps, progress, startedAtMs, enter),
    limitMs,
    () =>
      `The step was still ${phase} ${formatDuration(limitMs - settings.timeoutMs)} after timeout-minutes (${formatDuration(settings.timeoutMs)}) ended: a wait that should have ended did not. Stopping without a verdict.`
  ).catch((error: unknown): Ending => {
    // Stryker disable next-line ConditionalExpression: execute() catches every error, so only the time limit rejects
    if (error instanceof TimeLimitError) return { kind: 'error', message: error.message }
    throw error
  })
  enter('writing the outputs and the job summary')
  try {
    return await finish(ending, settings, deps, progress, clock.now() - startedAtMs)
  } catch (error) {
    // Reporting failed half way: whatever the verdict was, it was not delivered whole.
    toolkit.error(
      `The step failed while writing its outputs and summary, so it fails rather than pass without a verdict: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
    )
    return 1
  }
}

async function execute(
  settings: Settings,
  deps: Dependencies,
  progress: Progress,
  startedAtMs: number,
  enter: (phase: string) => void
): Promise<Ending> {
  const { toolkit, clock, signal } = deps
  const deadlineMs = startedAtMs + settings.timeoutMs
  const client = new DatafoldClient({
    host: settings.host,
    apiKey: settings.apiKey,
    ciConfigId: settings.ciConfigId,
    clock,
    log: toolkit,
    deadlineMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    signal,
    transport: deps.transport,
    random: deps.random
  })
  try {
    const found = await toolkit.group('Pull request', async () => {
      enter('reading the pull request from the event')
      const event = readEventContext(deps.env)
      progress.event = event
      let fromEvent: FoundDetails = detailsFromPayload(event)
      if (needsLookup(event, settings.overrides)) {
        enter('looking up the pull request through the GitHub API')
        const lookup = await lookUpPullRequest({
          event,
          token: settings.githubToken,
          overrides: settings.overrides,
          log: toolkit,
          timeoutMs: settings.requestTimeoutMs,
          clock,
          deadlineMs,
          signal,
          random: deps.random
        })
        if (lookup.kind === 'none') return lookup
        fromEvent = lookup.details
      }
      const details = completeDetails(event, fromEvent, settings.overrides)
      toolkit.info(
        `Pull request #${details.pr_number}: ${details.pr_branch} (${details.pr_sha}) into ${details.base_branch} (${details.base_sha}).`
      )
      return details
    })
    if ('kind' in found) return { kind: 'no_pull_request', reason: found.reason }
    const pr = found
    progress.pr = pr

    const target = await toolkit.group('Trigger Datafold CI', async () => {
      // Runs that already exist for this commit, so a trigger that returns no id (or whose answer
      // is lost) can still be matched to the run it created, and an older run is never mistaken
      // for it.
      enter('listing the runs of the commit before the trigger')
      const existing = settings.wait
        ? new Set((await client.listRuns(pr.pr_sha, { firstContact: true })).map((r) => r.id))
        : new Set<number>()
      toolkit.debug(`Runs already listed for ${pr.pr_sha}: ${[...existing].join(', ') || 'none'}.`)
      toolkit.info(`Triggering CI config ${settings.ciConfigId} on ${settings.host.origin}.`)
      enter("waiting for Datafold's answer to the trigger")
      progress.triggerSent = true
      let trigger: TriggerResult
      try {
        trigger = await client.trigger(pr)
      } catch (error) {
        if (!(error instanceof DatafoldError) || signal?.aborted) throw error
        // From here on "sent" means Datafold may have it: not after a refused connection or an
        // HTTP error, which say it started nothing.
        progress.triggerSent = error.mayHaveStarted
        if (!error.mayHaveStarted || error.outOfTime || !settings.wait) throw error
        // Sending it again could start a second run; the run it may have started is found by
        // looking for a new run of this commit, as for a trigger that names none.
        progress.triggerLost = error.message
        toolkit.warning(
          `${error.message} Datafold may have started a run anyway, so the trigger is not sent again; looking for a new run of ${shortSha(pr.pr_sha)} instead.`
        )
        const lostTarget: RunTarget = { existingRunIds: existing, prNumber: pr.pr_number }
        return lostTarget
      }
      progress.trigger = trigger
      if (trigger.ciRunId !== null) await toolkit.setOutput('ci-run-id', String(trigger.ciRunId))
      if (trigger.runId !== null) await toolkit.setOutput('run-id', String(trigger.runId))
      toolkit.info(
        trigger.ciRunId !== null
          ? `Datafold started CI run ${trigger.ciRunId}${trigger.runId !== null ? ` (run_id ${trigger.runId})` : ''}.`
          : 'Datafold accepted the trigger without naming a run; looking for the run it creates.'
      )
      const runTarget: RunTarget =
        trigger.ciRunId !== null
          ? { ciRunId: trigger.ciRunId }
          : { existingRunIds: existing, prNumber: pr.pr_number }
      return runTarget
    })
    if (!settings.wait) return { kind: 'triggered' }

    enter('waiting for the Datafold CI run to finish')
    const result = await toolkit.group('Wait for the Datafold CI run', () =>
      waitForRun({
        client,
        prSha: pr.pr_sha,
        target,
        clock,
        schedule: settings,
        startedAtMs,
        deadlineMs,
        startDeadlineMs: clock.now() + settings.startTimeoutMs,
        signal,
        log: toolkit,
        random: deps.random
      })
    )
    progress.polls = result.polls
    const outcome = result.outcome
    // Stryker disable next-line ConditionalExpression,StringLiteral: a not_started outcome has no run, and progress.run is unset until here
    if (outcome.kind !== 'not_started') progress.run = outcome.run
    if (outcome.kind === 'aborted') return { kind: 'workflow_cancelled' }
    if (outcome.kind === 'error') return { kind: 'error', message: outcome.message }

    // What the run found in the data; after done or failed only (a cancelled run compared nothing
    // worth showing). Informational unless fail-on-data-changes makes it part of the verdict.
    if (
      outcome.kind === 'finished' &&
      outcome.conclusion !== 'cancelled' &&
      settings.showDataDiffs
    ) {
      enter("reading the Datafold CI run's data diffs")
      const ciRunId = outcome.run.id
      const read = await toolkit.group('Data diffs', () =>
        readDataDiffs({
          client,
          ciRunId,
          untilSettled: settings.failOnDataChanges && outcome.conclusion === 'success',
          host: settings.host,
          clock,
          schedule: settings,
          startedAtMs,
          deadlineMs,
          signal,
          log: toolkit,
          random: deps.random
        })
      )
      if ('aborted' in read) return { kind: 'workflow_cancelled' }
      progress.dataDiffs = read
    }
    return { kind: 'waited', outcome }
  } catch (error) {
    if (signal?.aborted) return { kind: 'workflow_cancelled' }
    // Datafold or GitHub stayed unreachable (or kept answering 5xx) until timeout-minutes ran out.
    // Stryker disable next-line ConditionalExpression: no other error the step meets has outOfTime
    if ((error instanceof DatafoldError || error instanceof EventError) && error.outOfTime) {
      return { kind: 'waited', outcome: { kind: 'timed_out', reason: error.message } }
    }
    if (error instanceof DatafoldError && error.mayHaveStarted) {
      return {
        kind: 'error',
        message: `${error.message} Datafold may have started a CI run for this commit anyway; look in Datafold before you re-run the job.`
      }
    }
    if (
      error instanceof DatafoldError ||
      error instanceof EventError ||
      error instanceof NetworkError
    ) {
      return { kind: 'error', message: error.message }
    }
    return {
      kind: 'error',
      message: `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
    }
  }
}

/** The verdict: outputs first, then the summary, then the log line and the exit code. */
async function finish(
  ending: Ending,
  settings: Settings,
  deps: Dependencies,
  progress: Progress,
  waitedMs: number
): Promise<number> {
  const { toolkit } = deps
  const { pr, run } = progress
  const runName = run
    ? `Datafold CI run ${run.id}`
    : progress.trigger?.ciRunId
      ? `Datafold CI run ${progress.trigger.ciRunId}`
      : 'The Datafold CI run'
  const prName = pr
    ? `pull request #${pr.pr_number} (${pr.pr_branch} at ${shortSha(pr.pr_sha)})`
    : 'the pull request'
  const lastStatus = run?.status

  let conclusion: Conclusion | undefined
  let title: string
  let message: string
  switch (ending.kind) {
    case 'triggered':
      title = 'Datafold CI triggered'
      message = `${runName} was started for ${prName}; the step did not wait for it (wait: false).`
      break
    case 'no_pull_request':
      conclusion = 'skipped'
      title = 'No pull request to check'
      message = [ending.reason, '', skipNote(settings.failOnSkip)].join('\n')
      break
    case 'workflow_cancelled':
      title = 'Stopped: the workflow was cancelled'
      message = !progress.triggerSent
        ? 'Cancelled by the workflow before Datafold CI was triggered; nothing was started in Datafold.'
        : !progress.trigger
          ? 'Cancelled by the workflow while waiting for the answer to the trigger; Datafold may have started a CI run for this commit.'
          : lastStatus !== undefined && conclusionOf(lastStatus) !== undefined
            ? `Cancelled by the workflow while reading the data diffs of ${runName}, which ended with status ${lastStatus}.`
            : // Stryker disable next-line Regex: runName contains "The" only at its start
              `Cancelled by the workflow; ${runName.replace(/^The/, 'the')} keeps running in Datafold, last status ${lastStatus ?? 'unknown'}.`
      break
    case 'error':
      title = 'Datafold CI could not run'
      message = ending.message
      break
    case 'waited': {
      const outcome = ending.outcome
      switch (outcome.kind) {
        case 'finished':
          conclusion = outcome.conclusion
          title = {
            success: 'Datafold CI passed',
            failure: 'Datafold CI failed',
            cancelled: 'Datafold CI run was cancelled'
          }[outcome.conclusion]
          message = {
            success: `${runName} for ${prName} finished with status ${outcome.run.status}.`,
            failure: `${runName} for ${prName} finished with status ${outcome.run.status}. Open the run in Datafold to see what failed.`,
            cancelled: `${runName} for ${prName} was cancelled in Datafold (status ${outcome.run.status}). Datafold cancels the runs of commits that a newer push superseded; the newer commit's check carries the verdict.`
          }[outcome.conclusion]
          if (outcome.conclusion === 'success' && settings.failOnDataChanges) {
            // The gate: a done run passes only when every one of its diffs was read and is
            // identical or empty. Anything less proves nothing, so it fails.
            const problems = dataChangeProblems(progress.dataDiffs)
            if (problems.length > 0) {
              conclusion = 'failure'
              // Stryker disable next-line OptionalChaining: the gate needs show-data-diffs, so a done run always has a reading here
              const changed = progress.dataDiffs?.diffs?.some(
                (diff) => standingOf(diff) === 'changed'
              )
              title = changed
                ? 'Datafold CI found data changes'
                : 'Datafold CI could not show the data unchanged'
              message = [
                `${runName} for ${prName} finished with status ${outcome.run.status}, but fail-on-data-changes is true and`,
                ...problems.map((problem) => `- ${problem}`)
              ].join('\n')
            }
          }
          break
        case 'timed_out': {
          conclusion = 'timed_out'
          title = 'Datafold CI did not finish in time'
          // Say how long the step really waited: a Retry-After longer than the time left ends
          // the wait before timeout-minutes has passed.
          const when = `after ${formatDuration(waitedMs)} (timeout-minutes is ${formatDuration(settings.timeoutMs)})`
          const what =
            run || progress.trigger?.ciRunId != null
              ? `${runName} for ${prName} had no final status ${when}; last status ${lastStatus ?? 'unknown'}.`
              : progress.triggerLost
                ? `The answer to the trigger was lost (${progress.triggerLost}), and no new Datafold CI run for ${prName} had appeared ${when}.`
                : progress.trigger
                  ? `Datafold named no run for ${prName} and none had appeared ${when}, before start-timeout-minutes (${formatDuration(settings.startTimeoutMs)}) could show that it started none.`
                  : progress.triggerSent
                    ? `Datafold had not answered the trigger for ${prName} ${when}; Datafold may have started a CI run for this commit.`
                    : `Datafold CI could not be triggered for ${prName}: the step stopped ${when}.`
          message = what + (outcome.reason ? `\nLast problem: ${outcome.reason}` : '')
          break
        }
        case 'not_started':
          if (progress.triggerLost) {
            title = 'Datafold CI could not run'
            message = `The answer to the trigger was lost (${progress.triggerLost}), and no new Datafold CI run for ${prName} appeared within start-timeout-minutes (${formatDuration(settings.startTimeoutMs)}). Datafold may not have received the trigger; re-run the job.`
            break
          }
          conclusion = 'skipped'
          title = 'Datafold CI started no run'
          message = [
            `Datafold started no CI run for ${prName} within start-timeout-minutes (${formatDuration(settings.startTimeoutMs)}). Datafold skips a commit when:`,
            ...SKIP_REASONS.map((reason) => `- ${reason}`),
            '',
            skipNote(settings.failOnSkip)
          ].join('\n')
          break
      }
    }
  }

  // A trigger that named no run leaves ci-run-id unset until the run is found in the list.
  if (run && progress.trigger?.ciRunId == null) await toolkit.setOutput('ci-run-id', String(run.id))
  if (run) await toolkit.setOutput('status', run.status)
  if (conclusion) await toolkit.setOutput('conclusion', conclusion)
  // Only a list known to be whole: a partial one would say "nothing changed" about tables it lacks.
  const reading = progress.dataDiffs
  if (reading?.diffs && !reading.incomplete && !reading.problem) {
    const changed = reading.diffs.filter((diff) => standingOf(diff) === 'changed').length
    const list = JSON.stringify(diffOutputs(reading.diffs, settings.host))
    await toolkit.setOutput('data-diffs', list)
    await toolkit.setOutput('data-diffs-changed', String(changed))
  }

  const report: Report = {
    title,
    message,
    host: settings.host,
    ciConfigId: settings.ciConfigId,
    pr,
    prUrl: pr && progress.event ? pullRequestUrl(progress.event, pr.pr_number) : undefined,
    ciRunId: progress.trigger?.ciRunId ?? (run ? run.id : progress.trigger ? null : undefined),
    triggerSent: progress.triggerSent ?? false,
    runId: progress.trigger?.runId,
    status: lastStatus,
    conclusion,
    waitedMs,
    polls: progress.polls,
    dataDiffs: progress.dataDiffs
  }
  const markdown = renderSummary(report, toolkit.redact)
  try {
    await withinTimeLimit(
      toolkit.appendSummary(markdown),
      SUMMARY_LIMIT_MS,
      () => `writing it took more than ${formatDuration(SUMMARY_LIMIT_MS)}`
    )
  } catch (error) {
    toolkit.warning(`Could not write the job summary: ${(error as Error).message}`)
  }

  const passed =
    ending.kind === 'triggered' ||
    // Stryker disable next-line ConditionalExpression: passes() is false without a conclusion; the check is for the type
    (conclusion !== undefined && passes(conclusion, settings.failOnSkip))
  if (passed) {
    if (conclusion === 'skipped') toolkit.warning(message)
    else toolkit.info(message)
    return 0
  }
  toolkit.error(message)
  return 1
}
