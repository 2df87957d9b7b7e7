/**
 * Which pull request the step is about: read from the workflow's event payload, with single fields
 * overridden by inputs. On pull_request events the head SHA comes from the payload, never from
 * GITHUB_SHA, which there is a temporary merge commit Datafold cannot link to the pull request.
 */
import { readFileSync } from 'node:fs'
import type { PrDetails } from './datafold-client.js'

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
}

/** The event does not name the pull request fully and the inputs do not fill the gap. */
export class EventError extends Error {
  override name = 'EventError'
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
    try {
      payload = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    } catch (error) {
      throw new EventError(
        `Could not read the event payload at GITHUB_EVENT_PATH (${path}): ${(error as Error).message}`
      )
    }
  }
  const repoFromPayload = (payload.repository as { full_name?: string } | undefined)?.full_name
  return {
    name: env.GITHUB_EVENT_NAME ?? '',
    payload,
    repository: env.GITHUB_REPOSITORY || repoFromPayload || '',
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
  }
}

interface PayloadPullRequest {
  number?: number
  head?: { ref?: string; sha?: string }
  base?: { ref?: string; sha?: string }
}

/** The fields a payload with a `pull_request` carries; {} for other events. */
export function detailsFromPayload(event: EventContext): Partial<PrDetails> {
  if (!PAYLOAD_EVENTS.includes(event.name)) return {}
  const pr = event.payload.pull_request as PayloadPullRequest | undefined
  if (!pr) return {}
  return withoutUndefined({
    pr_number: pr.number,
    pr_branch: pr.head?.ref,
    base_branch: pr.base?.ref,
    pr_sha: pr.head?.sha,
    base_sha: pr.base?.sha
  })
}

/** Payload fields, then input overrides; an EventError naming the missing inputs if incomplete. */
export function completeDetails(
  event: EventContext,
  found: Partial<PrDetails>,
  overrides: Partial<PrDetails>
): PrDetails {
  const merged = { ...found, ...overrides }
  const missing = (Object.keys(PR_INPUTS) as (keyof PrDetails)[]).filter(
    (key) => merged[key] === undefined
  )
  if (missing.length > 0) {
    const names = missing.map((key) => PR_INPUTS[key]).join(', ')
    const eventName = event.name || '(unknown)'
    throw new EventError(
      `The ${eventName} event does not say which pull request to check, and these inputs are missing: ${names}. ` +
        `Run the step on pull_request events, or pass all of pr-number, pr-branch, base-branch, pr-sha and base-sha.`
    )
  }
  return {
    pr_number: merged.pr_number as number,
    pr_branch: merged.pr_branch as string,
    base_branch: merged.base_branch as string,
    pr_sha: merged.pr_sha as string,
    base_sha: merged.base_sha as string
  }
}

export function pullRequestUrl(event: EventContext, prNumber: number): string | undefined {
  return event.repository ? `${event.serverUrl}/${event.repository}/pull/${prNumber}` : undefined
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
