/**
 * The step from start to verdict: settings → pull request → trigger → wait → data diffs → outputs,
 * summary and exit code. Each phase lives in its own module; this file only orders them and
 * delivers the verdict that decide.ts makes.
 */
import { ANNOTATIONS_PER_LEVEL, planAnnotations, type AnnotationLevel } from './annotations.js'
import type { Clock } from './clock.js'
import { DatafoldClient, DatafoldError, type TriggerResult } from './datafold-client.js'
import { decide, type Ending, type Progress } from './decide.js'
import { TimeLimitError, withinTimeLimit } from './fail-closed.js'
import { formatDuration, shortSha } from './format.js'
import { lookUpPullRequest, needsLookup } from './github-lookup.js'
import { NetworkError, type Transport } from './http.js'
import { InputError, prepareInputs, readSettings, secretsIn, type Settings } from './inputs.js'
import { missingKeyReasonIn } from './missing-key.js'
import {
  completeDetails,
  detailsFromPayload,
  EventError,
  type EventContext,
  type FoundDetails,
  pullRequestUrl,
  readEventContext
} from './pull-request.js'
import { readDataDiffs } from './read-data-diffs.js'
import { readManifest, type ManifestModels } from './read-manifest.js'
import { renderSummary, type ModelsReport, type Report } from './summary.js'
import type { Toolkit } from './toolkit.js'
import { uploadTablePairs } from './upload-pairs.js'
import {
  findRun,
  waitForRun,
  type RunTarget,
  type WaitOptions,
  type WaitResult
} from './wait-for-run.js'
import { chooseRun, runsOfCommit } from './which-run.js'

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
  /** Real time allowed past wait-timeout-minutes before the step stops waiting on itself (tests). */
  graceMs?: number
}

/**
 * How long past wait-timeout-minutes the step may run before it stops waiting for its own work.
 * Every request and sleep is already bounded by the deadline; this catches one that is not (a bug).
 */
const GRACE_MS = 15_000
/** Writing the job summary gets this long; a stuck file system must not hold the verdict. */
const SUMMARY_LIMIT_MS = 10_000

/** Runs the step; resolves to the process exit code. */
export async function run(given: Dependencies): Promise<number> {
  // Annotations written so far, so the models' annotations fit in what GitHub shows of a step.
  const annotations = { warning: 0, error: 0 }
  const deps: Dependencies = {
    ...given,
    toolkit: {
      ...given.toolkit,
      warning(message, properties) {
        annotations.warning++
        given.toolkit.warning(message, properties)
      },
      error(message, properties) {
        annotations.error++
        given.toolkit.error(message, properties)
      }
    }
  }
  const { toolkit, env, clock } = deps
  const startedAtMs = clock.now()
  let phase = 'reading the inputs'
  const enter = (text: string): void => {
    phase = text
    deps.phase?.(text)
  }
  enter(phase)
  secretsIn((name) => toolkit.input(name), env).forEach((secret) => toolkit.mask(secret))
  await prepareInputs((name) => toolkit.input(name))

  let settings: Settings
  try {
    settings = readSettings((name) => toolkit.input(name), env)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    // A run GitHub gave no secrets (Dependabot, a fork) is told so, with the ways out.
    const reason = error.missingKey === undefined ? undefined : missingKeyReasonIn(env)
    error.problems.forEach((problem) =>
      problem === error.missingKey
        ? toolkit.error(reason ?? problem, { title: 'Datafold API key missing' })
        : toolkit.error(problem, { title: 'Invalid input' })
    )
    return 1
  }

  // The manifest is read and checked before anything is sent: a bad one is an input error.
  let models: ManifestModels | undefined
  const manifest = settings.dbtManifest
  if (manifest) {
    enter('reading the dbt manifest')
    try {
      models = await readManifest({
        ...manifest,
        workspace: env.GITHUB_WORKSPACE || process.cwd()
      })
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      error.problems.forEach((problem) => toolkit.error(problem, { title: 'Invalid input' }))
      return 1
    }
    toolkit.info(
      `dbt manifest ${manifest.path}: ${models.index.size} models, seeds and snapshots of ${models.projectName ?? 'the project'} (adapter ${models.adapterType ?? 'not named'}) in ${models.projectDir || 'the repository root'}/.`
    )
  }

  const progress: Progress = { polls: 0 }
  const limitMs = settings.timeoutMs + (deps.graceMs ?? GRACE_MS)
  const ending = await withinTimeLimit(
    execute(settings, deps, progress, startedAtMs, enter),
    limitMs,
    () =>
      `The step was still ${phase} ${formatDuration(limitMs - settings.timeoutMs)} after wait-timeout-minutes (${formatDuration(settings.timeoutMs)}) ended: a wait that should have ended did not. Stopping without a verdict.`
  ).catch((error: unknown): Ending => {
    // Stryker disable next-line ConditionalExpression: execute() catches every error, so only the time limit rejects
    if (error instanceof TimeLimitError) return { kind: 'error', message: error.message }
    throw error
  })
  enter('writing the outputs and the job summary')
  try {
    return await finish(ending, settings, deps, progress, clock.now() - startedAtMs, {
      models,
      annotations
    })
  } catch (error) {
    // Reporting failed half way: whatever the verdict was, it was not delivered whole.
    toolkit.error(
      `The step failed while writing its outputs and summary, so it fails rather than pass without a verdict: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      { title: 'No verdict delivered' }
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

    const event = progress.event as EventContext
    // Every run the commit has before the step sends anything: whether a trigger is needed (auto,
    // never), and which runs a trigger that names none (or whose answer is lost) did not create.
    // trigger: always without waiting needs neither, as ci-run-id does not.
    const lists = settings.ciRunId === undefined && (settings.trigger !== 'always' || settings.wait)
    const phaseName =
      settings.ciRunId !== undefined
        ? 'Datafold CI run started earlier'
        : settings.trigger === 'always'
          ? 'Trigger Datafold CI'
          : 'Datafold CI run of the commit'
    let target = await toolkit.group(phaseName, async () => {
      if (lists) enter('listing the runs of the commit')
      const listed = lists
        ? runsOfCommit(await client.listRuns(pr.pr_sha, { firstContact: true }), pr.pr_sha)
        : []
      const existing = new Set(listed.map((r) => r.id))
      if (lists)
        toolkit.debug(
          `Runs already listed for ${pr.pr_sha}: ${[...existing].join(', ') || 'none'}.`
        )
      const choice = chooseRun({
        mode: settings.trigger,
        runs: listed,
        runAttempt: event.runAttempt,
        ciRunId: settings.ciRunId
      })
      if (choice.kind === 'follow') {
        progress.startedBy = choice.startedBy
        if (choice.startedBy === 'ci-run-id') {
          progress.earlierRunId = choice.ciRunId
          toolkit.info(
            `Following Datafold CI run ${choice.ciRunId} (input ci-run-id); no trigger is sent.`
          )
          const given: RunTarget = { ciRunId: choice.ciRunId, startedEarlier: true }
          return given
        }
        progress.run = listed.find((r) => r.id === choice.ciRunId)
        toolkit.info(
          `Following Datafold CI run ${choice.ciRunId}, started by Datafold on its own for ${shortSha(pr.pr_sha)} (trigger: ${settings.trigger}): ${choice.why}. No trigger is sent.`
        )
        const listedTarget: RunTarget = { ciRunId: choice.ciRunId }
        return listedTarget
      }
      if (choice.kind === 'look') {
        toolkit.info(
          `No trigger is sent: ${choice.why}. Looking for the run Datafold starts on its own, for up to start-timeout-minutes (${formatDuration(settings.startTimeoutMs)}).`
        )
        const lookTarget: RunTarget = {
          existingRunIds: existing,
          prNumber: pr.pr_number,
          byDatafold: true
        }
        return lookTarget
      }
      toolkit.info(
        `Triggering CI config ${settings.ciConfigId} on ${settings.host.origin}: ${choice.why}.`
      )
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
          `${error.message} Datafold may have started a run anyway, so the trigger is not sent again; looking for a new run of ${shortSha(pr.pr_sha)} instead.`,
          { title: 'Trigger answer lost' }
        )
        const lostTarget: RunTarget = { existingRunIds: existing, prNumber: pr.pr_number }
        return lostTarget
      }
      progress.trigger = trigger
      if (trigger.ciRunId !== null) progress.startedBy = 'trigger'
      await setRunOutputs(toolkit, trigger)
      toolkit.info(
        trigger.ciRunId !== null
          ? `Datafold started CI run ${trigger.ciRunId}${trigger.runId !== null ? ` (run_id ${trigger.runId})` : ''}.`
          : 'Datafold accepted the trigger without naming a run; looking for the run it creates.'
      )
      const runTarget: RunTarget =
        trigger.ciRunId !== null
          ? { ciRunId: trigger.ciRunId, existingRunIds: existing }
          : { existingRunIds: existing, prNumber: pr.pr_number }
      return runTarget
    })

    const waitOptions = (runTarget: RunTarget): WaitOptions => ({
      client,
      prSha: pr.pr_sha,
      target: runTarget,
      clock,
      schedule: settings,
      startedAtMs,
      deadlineMs,
      startDeadlineMs: clock.now() + settings.startTimeoutMs,
      signal,
      log: toolkit,
      random: deps.random
    })
    const pairs = settings.tablePairs
    // The pairs go to a run that exists: with trigger: never, the one Datafold starts is looked
    // for first (the upload would find no run waiting for them before it is there).
    let result: WaitResult | undefined
    if (pairs && 'byDatafold' in target && target.byDatafold) {
      enter('waiting for Datafold to start the run')
      const found = await toolkit.group('Wait for the Datafold CI run to start', () =>
        findRun(waitOptions(target))
      )
      if ('found' in found) {
        progress.polls = found.polls
        progress.run = found.found
        progress.startedBy = 'datafold'
        target = { ciRunId: found.found.id }
      } else {
        result = found
      }
    }
    if (pairs && !result) {
      enter('uploading the table pairs')
      const upload = await toolkit.group('Upload the table pairs', () =>
        uploadTablePairs(client, pr.pr_number, pairs, toolkit)
      )
      progress.tablePairs = {
        count: pairs.length,
        ...(upload.kind === 'lost' ? { lost: upload.problem } : {})
      }
      if (upload.kind === 'lost' && !settings.wait) {
        return {
          kind: 'error',
          message: `${upload.problem} Datafold may not have the table pairs, and with wait: false the step cannot see whether the run starts diffing; look at the run in Datafold (it stays waiting without them), or re-run the job.`
        }
      }
      // The upload's answer names the run too: enough when the trigger's did not.
      if (upload.kind === 'uploaded' && upload.answer.ciRunId !== null && !('ciRunId' in target)) {
        progress.startedBy ??= 'byDatafold' in target && target.byDatafold ? 'datafold' : 'trigger'
        progress.trigger = upload.answer
        await setRunOutputs(toolkit, upload.answer)
        target = { ciRunId: upload.answer.ciRunId }
      }
    }
    if (!result) {
      if (!settings.wait) return { kind: 'triggered' }
      enter('waiting for the Datafold CI run to finish')
      const followed = target
      result = await toolkit.group('Wait for the Datafold CI run', () =>
        waitForRun(waitOptions(followed))
      )
    }
    progress.polls += result.polls
    const outcome = result.outcome
    // The wait's last sight of the run, else what the list showed before it (a run Datafold
    // started, followed from the first list).
    if (outcome.kind !== 'not_started' && outcome.run) progress.run = outcome.run
    // A run found in the list: started by the trigger whose answer named none, or by Datafold.
    if (progress.run)
      progress.startedBy ??= 'byDatafold' in target && target.byDatafold ? 'datafold' : 'trigger'
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
    if (outcome.kind === 'timed_out' && outcome.run?.status === 'waiting' && !outcome.reason) {
      // A run that never left `waiting` lacked its input from CI: say which, when the step knows.
      const lost = progress.tablePairs?.lost
      const reason = lost
        ? `${lost} The run still waits for table pairs, so Datafold most likely did not get them: re-run the job.`
        : pairs
          ? undefined
          : 'The run is still waiting for what its CI config compares: the table pairs of an API integration (give them with the diffs input), or the dbt artifacts of a dbt Core integration.'
      if (reason) return { kind: 'waited', outcome: { ...outcome, reason } }
    }
    return { kind: 'waited', outcome }
  } catch (error) {
    if (signal?.aborted) return { kind: 'workflow_cancelled' }
    // Datafold or GitHub stayed unreachable (or kept answering 429, 500, 502, 503 or 504) until
    // wait-timeout-minutes ran out.
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

/** The ids an answer of Datafold's (the trigger's, or the upload's) names, as outputs. */
async function setRunOutputs(toolkit: Toolkit, answer: TriggerResult): Promise<void> {
  if (answer.ciRunId !== null) await toolkit.setOutput('ci-run-id', String(answer.ciRunId))
  if (answer.runId !== null) await toolkit.setOutput('trigger-run-id', String(answer.runId))
}

/** Delivers the verdict: outputs first, then the summary, then the log line and the exit code. */
async function finish(
  ending: Ending,
  settings: Settings,
  deps: Dependencies,
  progress: Progress,
  waitedMs: number,
  dbt: { models?: ManifestModels; annotations: Record<AnnotationLevel, number> }
): Promise<number> {
  const { toolkit } = deps
  const { pr, run } = progress
  const decision = decide(ending, progress, settings, waitedMs)
  for (const [name, value] of decision.outputs) await toolkit.setOutput(name, value)

  // The models whose tables the diffs compare, and the annotations on their files.
  let modelsReport: ModelsReport | undefined
  let plan: ReturnType<typeof planAnnotations> | undefined
  if (dbt.models) {
    const index = dbt.models.index
    const files = new Map(
      (progress.dataDiffs?.diffs ?? []).flatMap((diff) => {
        const model = diff.tableParts && index.match(diff.tableParts)
        return model ? [[diff.id, model] as const] : []
      })
    )
    const level: AnnotationLevel = decision.dataGateFailed ? 'error' : 'warning'
    plan = planAnnotations({
      diffs: progress.dataDiffs?.diffs ?? [],
      models: files,
      gateFailed: decision.dataGateFailed,
      // A failing step ends with its own error annotation: one error is kept for it.
      room:
        ANNOTATIONS_PER_LEVEL -
        dbt.annotations[level] -
        (level === 'error' && !decision.passed ? 1 : 0),
      host: settings.host
    })
    modelsReport = {
      files,
      blobBase:
        pr && progress.event?.repository
          ? `${progress.event.serverUrl}/${progress.event.repository}/blob/${pr.pr_sha}`
          : undefined,
      notAnnotated: plan.left
    }
  }

  const report: Report = {
    title: decision.title,
    message: decision.message,
    host: settings.host,
    ciConfigId: settings.ciConfigId,
    pr,
    prUrl: pr && progress.event ? pullRequestUrl(progress.event, pr.pr_number) : undefined,
    ciRunId:
      progress.trigger?.ciRunId ?? (run ? run.id : progress.trigger ? null : progress.earlierRunId),
    triggerSent: progress.triggerSent ?? false,
    startedBy: progress.startedBy,
    runId: progress.trigger?.runId,
    status: run?.status,
    conclusion: decision.conclusion,
    waitedMs,
    polls: progress.polls,
    dataDiffs: progress.dataDiffs,
    tablePairs: progress.tablePairs,
    ...(modelsReport ? { models: modelsReport } : {})
  }
  const markdown = renderSummary(report, (text) => toolkit.redact(text))
  try {
    await withinTimeLimit(
      toolkit.appendSummary(markdown),
      SUMMARY_LIMIT_MS,
      () => `writing it took more than ${formatDuration(SUMMARY_LIMIT_MS)}`
    )
  } catch (error) {
    toolkit.warning(`Could not write the job summary: ${(error as Error).message}`, {
      title: 'Job summary not written'
    })
  }
  for (const annotation of plan?.annotations ?? []) {
    // The title names a table from Datafold: scrubbed like every other outside text.
    toolkit[annotation.level](annotation.message, {
      title: toolkit.redact(annotation.title),
      file: annotation.file,
      startLine: 1
    })
  }

  if (decision.passed) {
    if (decision.conclusion === 'skipped')
      toolkit.warning(decision.message, { title: decision.title })
    else toolkit.info(decision.message)
    return 0
  }
  toolkit.error(decision.message, { title: decision.title })
  return 1
}
