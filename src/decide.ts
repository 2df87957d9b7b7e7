/**
 * The verdict, decided: how the step ended, what it learned on the way and the settings → the
 * conclusion, whether the step passes, its title and message, and the outputs. Pure: nothing is
 * written here; main.ts delivers the decision (outputs, summary, log line and exit code).
 */
import type { CiRun, PrDetails, TriggerResult } from './datafold-client.js'
import { dataChangeProblems, diffOutputs, standingOf, type DiffsReading } from './data-diffs.js'
import { formatDuration, shortSha } from './format.js'
import type { Settings } from './inputs.js'
import type { EventContext } from './pull-request.js'
import { conclusionOf, passes, type Conclusion } from './verdict.js'
import type { WaitOutcome } from './wait-for-run.js'
import type { StartedBy } from './which-run.js'

/** What the step learned before it ended, whatever ended it. */
export interface Progress {
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
  /** The run the input ci-run-id named: followed without a trigger. */
  earlierRunId?: number
  /** The table pairs sent (diffs input); `lost` when the upload's answer never came back. */
  tablePairs?: { count: number; lost?: string }
  /** Who started the run the step follows, once the step knows which run that is. */
  startedBy?: StartedBy
}

/** How the step ended, before it is turned into outputs, a summary and an exit code. */
export type Ending =
  | { kind: 'triggered' }
  /** The event has no pull request to check (a push with no open pull request): nothing is sent. */
  | { kind: 'no_pull_request'; reason: string }
  | { kind: 'waited'; outcome: Exclude<WaitOutcome, { kind: 'aborted' } | { kind: 'error' }> }
  | { kind: 'error'; message: string }
  | { kind: 'workflow_cancelled' }

/** The settings the verdict depends on. */
export type VerdictSettings = Pick<
  Settings,
  'failOnSkip' | 'failOnDataChanges' | 'timeoutMs' | 'startTimeoutMs' | 'host'
>

export interface Decision {
  /** Undefined when the step ended without a verdict on the run (an error, a cancel, no wait). */
  conclusion?: Conclusion
  /** Exit code 0; a skipped step that passes is logged as a warning. */
  passed: boolean
  title: string
  message: string
  /** The outputs to set, in order. */
  outputs: [name: string, value: string][]
  /** fail-on-data-changes failed the step: the diffs that are not unchanged are why. */
  dataGateFailed: boolean
}

const SKIP_REASONS = [
  'the head commit message contains datafold-skip-ci;',
  'the CI config requires a "datafold" label that the pull request does not have;',
  "every changed file matches the CI config's ignore patterns;",
  'the base branch is not the one the CI config checks.'
]

/** What a skip does to the step: fail-on-data-changes and fail-on-skip each fail it. */
function skipNote(settings: VerdictSettings): string {
  if (settings.failOnDataChanges)
    return 'fail-on-data-changes is true and no run is no proof that the data is unchanged, so the step fails.'
  return settings.failOnSkip
    ? 'fail-on-skip is true, so the step fails.'
    : 'The step passes; set fail-on-skip: true to fail it instead.'
}

export function decide(
  ending: Ending,
  progress: Progress,
  settings: VerdictSettings,
  waitedMs: number
): Decision {
  const { pr, run } = progress
  const namedId = run?.id ?? progress.trigger?.ciRunId ?? progress.earlierRunId
  const runName = namedId
    ? `Datafold CI run ${namedId}${!run && progress.earlierRunId !== undefined ? ' (input ci-run-id)' : ''}`
    : 'The Datafold CI run'
  const prName = pr
    ? `pull request #${pr.pr_number} (${pr.pr_branch} at ${shortSha(pr.pr_sha)})`
    : 'the pull request'
  const lastStatus = run?.status

  let conclusion: Conclusion | undefined
  let dataGateFailed = false
  let title: string
  let message: string
  switch (ending.kind) {
    case 'triggered':
      if (progress.startedBy === 'datafold') {
        title = 'Datafold CI run found'
        message = `${runName}, started by Datafold on its own, is the run of ${prName}; no trigger was sent, and the step did not wait for it (wait: false).`
      } else {
        title = 'Datafold CI triggered'
        message = `${runName} was started for ${prName}; the step did not wait for it (wait: false).`
      }
      break
    case 'no_pull_request':
      conclusion = 'skipped'
      title = 'No pull request to check'
      message = [ending.reason, '', skipNote(settings)].join('\n')
      break
    case 'workflow_cancelled':
      title = 'Stopped: the workflow was cancelled'
      message =
        !progress.triggerSent && progress.startedBy === undefined
          ? 'Cancelled by the workflow before Datafold CI was triggered; nothing was started in Datafold.'
          : !progress.trigger && progress.startedBy === undefined
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
            cancelled: `${runName} for ${prName} was cancelled in Datafold (status ${outcome.run.status}). If a newer commit was pushed, its own check carries the verdict.`
          }[outcome.conclusion]
          if (outcome.conclusion === 'success' && settings.failOnDataChanges) {
            // The gate: a done run passes only when the reading of its diffs is a proof that none
            // changed (data-diffs.ts). Anything less proves nothing, so it fails.
            const problems = dataChangeProblems(progress.dataDiffs)
            if (problems.length > 0) {
              conclusion = 'failure'
              dataGateFailed = true
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
          // the wait before wait-timeout-minutes has passed.
          const when = `after ${formatDuration(waitedMs)} (wait-timeout-minutes is ${formatDuration(settings.timeoutMs)})`
          const what =
            namedId !== undefined
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
            skipNote(settings)
          ].join('\n')
          break
      }
    }
  }

  const outputs: [string, string][] = []
  // A trigger that named no run leaves ci-run-id unset until the run is found in the list.
  if (run && progress.trigger?.ciRunId == null) outputs.push(['ci-run-id', String(run.id)])
  if (progress.startedBy) outputs.push(['ci-run-started-by', progress.startedBy])
  if (run) outputs.push(['status', run.status])
  if (conclusion) outputs.push(['verdict', conclusion])
  // Only a list known to be whole: a partial one would say "nothing changed" about tables it lacks.
  const reading = progress.dataDiffs
  if (reading?.diffs && !reading.incomplete && !reading.problem) {
    const changed = reading.diffs.filter((diff) => standingOf(diff) === 'changed').length
    outputs.push(['data-diffs', JSON.stringify(diffOutputs(reading.diffs, settings.host))])
    outputs.push(['data-diffs-changed', String(changed)])
  }

  const passed =
    ending.kind === 'triggered' ||
    // No run is no proof: under the gate a skip fails like under fail-on-skip.
    // Stryker disable next-line ConditionalExpression: passes() is false without a conclusion; the check is for the type
    (conclusion !== undefined &&
      passes(conclusion, settings.failOnSkip || settings.failOnDataChanges))
  return { conclusion, passed, title, message, outputs, dataGateFailed }
}
