/**
 * Which Datafold CI run the step follows, and whether it sends a trigger to get one. Pure: main.ts
 * lists the head commit's runs, asks here, and does what the answer says. Datafold's repository
 * integration starts a run for every new commit by itself, so a trigger on top of it would make a
 * second run of the same commit (docs/design.md, "One run per commit").
 */
import type { CiRun } from './datafold-client.js'
import { conclusionOf } from './verdict.js'

/** Input `trigger`. */
export const TRIGGER_MODES = ['auto', 'always', 'never'] as const
export type TriggerMode = (typeof TRIGGER_MODES)[number]

/** Who started the run the step follows: output `ci-run-started-by`. */
export type StartedBy = 'trigger' | 'datafold' | 'ci-run-id'

export const STARTED_BY_WORDS: Record<StartedBy, string> = {
  trigger: "this step's trigger",
  datafold: 'Datafold on its own',
  'ci-run-id': 'the ci-run-id input'
}

export type RunChoice =
  /** Follow this run, which no trigger of this step started. */
  | { kind: 'follow'; ciRunId: number; startedBy: 'datafold' | 'ci-run-id'; why: string }
  /** Send the trigger and follow the run it starts. */
  | { kind: 'trigger'; why: string }
  /** trigger: never and no run listed yet: look for the one Datafold starts, send nothing. */
  | { kind: 'look'; why: string }

export interface ChoiceFacts {
  mode: TriggerMode
  /** The head commit's runs as listed before anything is sent (see runsOfCommit). */
  runs: readonly CiRun[]
  /** GITHUB_RUN_ATTEMPT: above 1 the job is a re-run, which asks for a fresh verdict. */
  runAttempt: number
  /** Input `ci-run-id`. */
  ciRunId?: number
}

export function chooseRun(facts: ChoiceFacts): RunChoice {
  if (facts.ciRunId !== undefined) {
    return {
      kind: 'follow',
      ciRunId: facts.ciRunId,
      startedBy: 'ci-run-id',
      why: 'input ci-run-id names it'
    }
  }
  if (facts.mode === 'always') return { kind: 'trigger', why: 'trigger is always' }
  const newest = newestRun(facts.runs)
  if (newest === undefined) {
    return facts.mode === 'never'
      ? { kind: 'look', why: 'trigger is never and Datafold lists no run of the commit yet' }
      : { kind: 'trigger', why: 'Datafold lists no run of the commit' }
  }
  const follow = (why: string): RunChoice => ({
    kind: 'follow',
    ciRunId: newest.id,
    startedBy: 'datafold',
    why
  })
  const newestWhy = `it is the newest run of the commit, ${newest.status}`
  if (facts.mode === 'never') return follow(newestWhy)
  const conclusion = conclusionOf(newest.status)
  if (conclusion === 'cancelled') {
    return { kind: 'trigger', why: `the newest run of the commit, ${newest.id}, was cancelled` }
  }
  if (conclusion !== undefined && facts.runAttempt > 1) {
    return {
      kind: 'trigger',
      why: `the newest run of the commit, ${newest.id}, is ${newest.status} and this job is a re-run (attempt ${facts.runAttempt}), which asks for a fresh verdict`
    }
  }
  return follow(newestWhy)
}

/**
 * The entries of a runs list that belong to commit `sha`: the list is asked for by `pr_sha`, but
 * whatever the filter did, a run of another commit is never followed, matched or reported.
 */
export function runsOfCommit(runs: readonly CiRun[], sha: string): CiRun[] {
  return runs.filter((run) => isOfCommit(run, sha))
}

export function isOfCommit(run: CiRun, sha: string): boolean {
  return typeof run.pr_sha === 'string' && run.pr_sha.toLowerCase() === sha.toLowerCase()
}

/** The newest run: Datafold numbers runs in the order it creates them. */
export function newestRun(runs: readonly CiRun[]): CiRun | undefined {
  return runs.reduce<CiRun | undefined>(
    (newest, run) => (newest === undefined || run.id > newest.id ? run : newest),
    undefined
  )
}
