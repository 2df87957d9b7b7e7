/** Types of stand-in-datafold.js for the TypeScript tests; the JSDoc there is the reference. */
import type { IncomingHttpHeaders } from 'node:http'

export interface Fault {
  status?: number
  body?: string
  headers?: Record<string, string>
  kind?:
    | 'reset'
    | 'close'
    | 'cut'
    | 'hang'
    | 'html'
    | 'not-json'
    | 'bad-shape'
    | 'echo'
    | 'redirect'
    | 'ok'
  location?: string
  /** For kind echo: the Authorization header as text after this many characters. */
  pad?: number
  process?: boolean
}

export interface Scenario {
  apiKey?: string
  ciConfigId?: number
  statuses?: string[]
  nullIds?: boolean
  noRun?: boolean
  appearAfter?: number
  missingAt?: number[]
  existingRuns?: { id: number; status: string; pr_num?: string; pr_sha?: string }[]
  firstRunId?: number
  /** The data diffs each run a trigger creates has. */
  dataDiffs?: DiffSpec[]
  /** Data diffs of other runs (newer, older, outside CI) in the list too. */
  otherDiffs?: number
  /** The data diff list ignores ci_run_id and lists every data diff. */
  ignoreFilter?: boolean
  /** An API integration: a run waits for its table pairs, then reports `statuses`. */
  apiIntegration?: boolean
  /** A run already started for this pull request, as if triggered with this body earlier. */
  startedEarlier?: {
    pr_number: number
    pr_branch: string
    base_branch: string
    pr_sha: string
    base_sha: string
  }
  /** Datafold's own run of the head commit, started from GitHub's webhook before the step. */
  webhook?: Webhook
  /** The list of runs ignores pr_sha and lists every run, other commits' too. */
  ignoreShaFilter?: boolean
  faults?: {
    trigger?: (Fault | null)[]
    upload?: (Fault | null)[]
    runs?: (Fault | null)[]
    datadiffs?: (Fault | null)[]
  }
}

export interface Webhook {
  pr: {
    pr_number: number
    pr_branch: string
    base_branch: string
    pr_sha: string
    base_sha: string
  }
  /** Its status at the first check; then one status per check: waiting, processing, done. */
  state: 'waiting' | 'processing' | 'done'
  /** Lists of runs that do not show it yet. */
  appearAfter?: number
}

export type DiffResultValue =
  'identical' | 'different' | 'empty' | 'error' | 'bad-pks' | 'missing-pks'

export interface DiffSpec {
  /** `table2` as a dotted path; null for a diff of two queries. */
  table?: string | null
  result?: DiffResultValue | null
  rowsAdded?: number | null
  rowsRemoved?: number | null
  /** `diff_rows_count`. */
  rowsChanged?: number | null
  matchRatio?: number | null
  /** `affected_columns`: the columns whose values differ (default null). */
  affectedColumns?: string[] | null
  /** Its status once it has its result (default done). */
  status?: string
  /** Lists of data diffs after the trigger that still show it processing, without a result. */
  runningFor?: number
}

/** A data diff the stand-in lists. */
export interface StandInDiff extends DiffSpec {
  id: number
  ciRunId: number | null
  /** Made for a run a trigger created. */
  created?: boolean
}

export interface RecordedRequest {
  /** When the request arrived (Date.now()). */
  at: number
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  body: unknown
  rawBody: string
}

export interface StandInRun {
  id: number
  status: string
  pr_num: string
  pr_sha: string
  pr_branch: string
  base_branch: string
  base_sha: string
  source: string
  created: boolean
  /** The table pairs uploaded to it (API integration). */
  pairs?: unknown[]
  /** Started by Datafold on its own (scenario webhook), not by a trigger. */
  webhook?: boolean
}

/** One upload of table pairs the stand-in accepted. */
export interface StandInUpload {
  prNumber: number
  runId: number
  pairs: unknown[]
}

export interface StandIn {
  url: string
  port: number
  requests: RecordedRequest[]
  runs: StandInRun[]
  diffs: StandInDiff[]
  uploads: StandInUpload[]
  close(): Promise<void>
}

export const PRESETS: Record<
  | 'success'
  | 'failure'
  | 'cancelled'
  | 'skipped'
  | 'flaky'
  | 'changed'
  | 'fail-on-changes'
  | 'api'
  | 'annotations'
  | 'annotations-many',
  Scenario
>

/** One `ApiDataDiffFull` as Datafold lists it; without a result (`running`) it is processing. */
export function apiDataDiff(
  spec: DiffSpec & { id: number; ciRunId: number | null; running?: boolean }
): Record<string, unknown>

/** An `ApiDataDiffPage` holding `results`. */
export function dataDiffPage(
  results: Record<string, unknown>[],
  options?: { page?: number; pageSize?: number; count?: number; totalPages?: number }
): Record<string, unknown>

export function startStandIn(
  scenario?: Scenario,
  listen?: { port?: number; host?: string }
): Promise<StandIn>

/** The answer to `GET /api/v1/datadiffs?<query>` over `diffs`, as the stand-in gives it. */
export function dataDiffAnswer(
  diffs: (DiffSpec & { id: number; ciRunId: number | null })[],
  query: URLSearchParams,
  options?: {
    ignoreFilter?: boolean
    running?: (diff: DiffSpec & { id: number; ciRunId: number | null }) => boolean
  }
): { status: number; body: unknown }
