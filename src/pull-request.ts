/**
 * Which pull request the step is about: read from the workflow's event payload, with single fields
 * overridden by inputs. On pull_request events the head SHA comes from the payload, never from
 * GITHUB_SHA, which there is a temporary merge commit Datafold cannot link to the pull request.
 */
import { readFileSync } from 'node:fs'
import type { PrDetails } from './datafold-client.js'
import { isObject } from './json.js'
import { checkedDetails, checkField, EXPECTED, quote } from './pr-fields.js'

export interface EventContext {
  /** GITHUB_EVENT_NAME, for example pull_request. */
  name: string
  /** The webhook payload from GITHUB_EVENT_PATH ({} when there is none). */
  payload: Record<string, unknown>
  /** owner/name, from GITHUB_REPOSITORY or the payload. */
  repository: string
  /** GITHUB_SERVER_URL, for links (GitHub Enterprise Server has its own). */
  serverUrl: string
  /** GITHUB_API_URL, for looking up the pull request (GitHub Enterprise Server has its own). */
  apiUrl: string
  /**
   * GITHUB_RUN_ATTEMPT: 1 for a workflow run's first attempt, more for a re-run (1 when unset or
   * not a positive integer).
   */
  runAttempt: number
}

/**
 * The event does not name the pull request fully and the inputs do not fill the gap, or GitHub could
 * not be asked which pull request it is.
 */
export class EventError extends Error {
  override name = 'EventError'
  /** True when wait-timeout-minutes, not the fault itself, ended a lookup. */
  readonly outOfTime: boolean
  constructor(message: string, flags: { outOfTime?: boolean } = {}) {
    super(message)
    this.outOfTime = flags.outOfTime ?? false
  }
}

/** Events whose payload carries the whole pull request in `pull_request`. */
export const PAYLOAD_EVENTS: readonly string[] = [
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment'
]

export const PR_INPUTS: Record<keyof PrDetails, string> = {
  pr_number: 'pr-number',
  pr_branch: 'pr-branch',
  base_branch: 'base-branch',
  pr_sha: 'pr-sha',
  base_sha: 'base-sha'
}

export function readEventContext(env: NodeJS.ProcessEnv): EventContext {
  const path = env.GITHUB_EVENT_PATH
  let payload: Record<string, unknown> = {}
  if (path) {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'))
    } catch (error) {
      throw new EventError(
        `Could not read the event payload at GITHUB_EVENT_PATH (${path}): ${(error as Error).message}`
      )
    }
    if (!isObject(parsed)) {
      const what =
        parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`
      throw new EventError(
        `The event payload at GITHUB_EVENT_PATH (${path}) is ${what}, not a JSON object: the runner writes the webhook payload there, so the step cannot tell which pull request to check.`
      )
    }
    payload = parsed
  }
  const repoFromPayload = (payload.repository as { full_name?: string } | undefined)?.full_name
  return {
    name: env.GITHUB_EVENT_NAME ?? '',
    payload,
    repository: env.GITHUB_REPOSITORY || repoFromPayload || '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runAttempt: /^[1-9]\d{0,8}$/.test(env.GITHUB_RUN_ATTEMPT ?? '')
      ? Number(env.GITHUB_RUN_ATTEMPT)
      : 1
  }
}

/** Fields as found in a payload or an answer: not yet checked, so of any type. */
export type FoundDetails = Partial<Record<keyof PrDetails, unknown>>

/** Where each field sits in a pull_request payload, to name it in errors. */
const PAYLOAD_FIELDS: Record<keyof PrDetails, string> = {
  pr_number: 'pull_request.number',
  pr_branch: 'pull_request.head.ref',
  base_branch: 'pull_request.base.ref',
  pr_sha: 'pull_request.head.sha',
  base_sha: 'pull_request.base.sha'
}

interface PayloadPullRequest {
  number?: unknown
  head?: { ref?: unknown; sha?: unknown } | null
  base?: { ref?: unknown; sha?: unknown } | null
}

/** The fields a payload with a `pull_request` carries, as found; {} for other events. */
export function detailsFromPayload(event: EventContext): FoundDetails {
  if (!PAYLOAD_EVENTS.includes(event.name)) return {}
  const pr = event.payload.pull_request as PayloadPullRequest | undefined | null
  if (typeof pr !== 'object' || pr === null) return {}
  return withoutUndefined({
    pr_number: pr.number,
    pr_branch: pr.head?.ref,
    base_branch: pr.base?.ref,
    pr_sha: pr.head?.sha,
    base_sha: pr.base?.sha
  })
}

/**
 * Payload fields, then input overrides. An EventError names every payload field that is not what it
 * should be (a null SHA, a number given as a string) and every input still missing.
 */
export function completeDetails(
  event: EventContext,
  found: FoundDetails,
  overrides: Partial<PrDetails>
): PrDetails {
  const keys = Object.keys(PR_INPUTS) as (keyof PrDetails)[]
  const merged: Partial<Record<keyof PrDetails, unknown>> = { ...found, ...overrides }
  const invalid = keys.filter(
    (key) =>
      overrides[key] === undefined && key in found && checkField(key, found[key]) === undefined
  )
  if (invalid.length > 0) {
    const eventName = event.name || '(unknown)'
    throw new EventError(
      invalid
        .map(
          (key) =>
            `The ${eventName} event's ${PAYLOAD_FIELDS[key]} is ${quote(found[key])}: expected ${EXPECTED[key]}. Pass input ${PR_INPUTS[key]} to override it.`
        )
        .join('\n')
    )
  }
  const missing = keys.filter((key) => merged[key] === undefined)
  if (missing.length > 0) {
    const names = missing.map((key) => PR_INPUTS[key]).join(', ')
    const eventName = event.name || '(unknown)'
    throw new EventError(
      `The ${eventName} event does not say which pull request to check, and these inputs are missing: ${names}. ` +
        `Run the step on pull_request events, or pass all of pr-number, pr-branch, base-branch, pr-sha and base-sha.`
    )
  }
  return checkedDetails(merged)
}

export function pullRequestUrl(event: EventContext, prNumber: number): string | undefined {
  return event.repository ? `${event.serverUrl}/${event.repository}/pull/${prNumber}` : undefined
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
