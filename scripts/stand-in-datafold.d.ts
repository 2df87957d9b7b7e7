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
  faults?: { trigger?: (Fault | null)[]; runs?: (Fault | null)[] }
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
}

export interface StandIn {
  url: string
  port: number
  requests: RecordedRequest[]
  runs: StandInRun[]
  close(): Promise<void>
}

export const PRESETS: Record<'success' | 'failure' | 'cancelled' | 'skipped' | 'flaky', Scenario>

export function startStandIn(
  scenario?: Scenario,
  listen?: { port?: number; host?: string }
): Promise<StandIn>
