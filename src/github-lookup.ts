/**
 * The pull request behind events that do not carry one (push, issue_comment, workflow_run), looked
 * up through the GitHub API at GITHUB_API_URL (so GitHub Enterprise Server works). Octokit and its
 * fetch stack are most of what @actions/github weighs; they are imported only here, only when a
 * lookup happens, so a pull_request event never loads them (ncc puts them in a chunk of their own).
 */
import type { PrDetails } from './datafold-client.js'
import { shortSha } from './format.js'
import { EventError, PAYLOAD_EVENTS, PR_INPUTS, type EventContext } from './pull-request.js'
import type { Log } from './toolkit.js'

/** Events this module can find the pull request for. */
const LOOKUP_EVENTS = ['push', 'issue_comment', 'workflow_run']

export type Lookup =
  | { kind: 'found'; details: PrDetails }
  /** There is no pull request to check, and that is not a fault: the step ends `skipped`. */
  | { kind: 'none'; reason: string }

export interface LookupOptions {
  event: EventContext
  /** `github-token`. */
  token: string
  /** Inputs given by hand; named in errors as what is still missing. */
  overrides: Partial<PrDetails>
  log: Log
  /** Limit for one GitHub request (`request-timeout`). */
  timeoutMs: number
  /** Time left before the step's deadline (`timeout-minutes`), which also bounds each request. */
  timeLeftMs: () => number
  /** Aborted when the workflow is cancelled. */
  signal?: AbortSignal
}

/** True unless the payload names the pull request or the inputs name all of it. */
export function needsLookup(event: EventContext, overrides: Partial<PrDetails>): boolean {
  return !PAYLOAD_EVENTS.includes(event.name) && missingInputs(overrides).length > 0
}

/** The pull request for the event, `none` when there is none to check, or an EventError. */
export async function lookUpPullRequest(options: LookupOptions): Promise<Lookup> {
  const { event } = options
  if (!LOOKUP_EVENTS.includes(event.name)) throw unsupportedEvent(event, options.overrides)
  if (event.name === 'push') {
    const deleted = deletedRef(event)
    if (deleted) return { kind: 'none', reason: deleted }
  }
  const github = connect(options)
  switch (event.name) {
    case 'push':
      return forPush(event, github, options.log)
    case 'issue_comment':
      return forComment(event, github, options.log)
    default:
      return forWorkflowRun(event, github, options.log)
  }
}

interface PullSummary {
  number?: number
  state?: string
  merged_at?: string | null
  head?: { ref?: string; sha?: string }
  base?: { ref?: string; sha?: string }
}

interface GitHub {
  /** One GET in the event's repository (`owner` and `repo` are filled in); data or EventError. */
  get(route: string, params: Record<string, string | number>): Promise<unknown>
}

async function forPush(event: EventContext, github: GitHub, log: Log): Promise<Lookup> {
  const payload = event.payload as { after?: string; ref?: string }
  const sha = (payload.after ?? '').toLowerCase()
  const where = refName(payload.ref)
  log.info(`Looking for the open pull request whose head is ${sha} (pushed to ${where}).`)
  const answer = await github.get('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', {
    commit_sha: sha,
    per_page: 100
  })
  const pulls = (Array.isArray(answer) ? answer : []) as PullSummary[]
  // The API also lists merged pull requests that contain the commit and open ones that contain it
  // further down their branch; only an open one whose head is this very commit is about this push.
  const open = pulls.filter((pr) => pr.state === 'open' && pr.head?.sha?.toLowerCase() === sha)
  if (open.length === 0) {
    return {
      kind: 'none',
      reason:
        `No open pull request has ${shortSha(sha)}, the commit pushed to ${where}, as its head commit, so there is nothing for Datafold CI to check and nothing was sent to Datafold. ` +
        `Open a pull request for ${where} and push again (or run the step on pull_request events too), or pass pr-number, pr-branch, base-branch, pr-sha and base-sha.`
    }
  }
  return { kind: 'found', details: complete(choose(open, event, log, sha)) }
}

async function forComment(event: EventContext, github: GitHub, log: Log): Promise<Lookup> {
  const number = commentedIssue(event)
  log.info(`The comment is on pull request #${number}; fetching its head and base.`)
  const pr = (await github.get('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    pull_number: number
  })) as PullSummary
  if (pr.state && pr.state !== 'open') {
    log.warning(
      `Pull request #${number} is ${pr.merged_at ? 'merged' : 'closed'}; checking its head commit anyway.`
    )
  }
  return { kind: 'found', details: complete(pr) }
}

async function forWorkflowRun(event: EventContext, github: GitHub, log: Log): Promise<Lookup> {
  const run = event.payload.workflow_run as
    | {
        name?: string
        event?: string
        head_branch?: string
        head_sha?: string
        pull_requests?: PullSummary[]
      }
    | undefined
  if (!run) throw new EventError('The workflow_run event has no workflow_run in its payload.')
  const name = `"${run.name || 'workflow'}" (${run.event ?? 'unknown event'} on ${run.head_branch ?? 'an unknown branch'})`
  const pulls = (run.pull_requests ?? []).filter((pr) => typeof pr.number === 'number')
  if (pulls.length === 0) {
    if (PAYLOAD_EVENTS.includes(run.event ?? '')) {
      throw new EventError(
        `The workflow run ${name} ran for a pull request, but GitHub lists none in workflow_run.pull_requests. ` +
          `GitHub leaves that list empty for pull requests from forks (and when the head branch is gone). ` +
          `Pass pr-number, pr-branch, base-branch, pr-sha and base-sha, for example pr-branch: \${{ github.event.workflow_run.head_branch }} and pr-sha: \${{ github.event.workflow_run.head_sha }} with the number and base saved by the pull_request workflow as an artifact.`
      )
    }
    return {
      kind: 'none',
      reason: `The workflow run ${name} belongs to no pull request (GitHub lists none in workflow_run.pull_requests), so there is nothing for Datafold CI to check and nothing was sent to Datafold.`
    }
  }
  let pr = choose(pulls, event, log, run.head_sha)
  const summary = pr
  if (!summary.head?.ref || !summary.head?.sha || !summary.base?.ref || !summary.base?.sha) {
    log.info(
      `The workflow run lists pull request #${summary.number} without all of its head and base; fetching it.`
    )
    const fetched = (await github.get('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
      pull_number: summary.number as number
    })) as PullSummary
    pr = {
      number: summary.number,
      head: {
        ref: summary.head?.ref ?? fetched.head?.ref,
        sha: summary.head?.sha ?? fetched.head?.sha
      },
      base: {
        ref: summary.base?.ref ?? fetched.base?.ref,
        sha: summary.base?.sha ?? fetched.base?.sha
      }
    }
  }
  // The commit the workflow run built is the one to check, even if the pull request has moved on.
  const runSha = run.head_sha?.toLowerCase()
  if (runSha && pr.head?.sha && runSha !== pr.head.sha.toLowerCase()) {
    log.info(
      `Pull request #${pr.number} lists head ${shortSha(pr.head.sha)}; checking ${shortSha(runSha)}, the commit the workflow run ran on.`
    )
  }
  return {
    kind: 'found',
    details: complete({ ...pr, head: { ...pr.head, sha: runSha ?? pr.head?.sha } })
  }
}

/**
 * One pull request out of several with the same head: the one into the repository's default
 * branch (what a Datafold CI config usually checks), else the lowest number (the oldest). The API's
 * own order is not documented, so it is never relied on.
 */
function choose(
  pulls: PullSummary[],
  event: EventContext,
  log: Log,
  sha: string | undefined
): PullSummary {
  const defaultBranch = (event.payload.repository as { default_branch?: string } | undefined)
    ?.default_branch
  const sorted = [...pulls].sort((a, b) => (a.number ?? 0) - (b.number ?? 0))
  const intoDefault = sorted.filter((pr) => defaultBranch && pr.base?.ref === defaultBranch)
  const chosen = intoDefault[0] ?? sorted[0]
  if (pulls.length > 1) {
    const list = sorted
      .map((pr) => `#${pr.number} (${pr.head?.ref ?? '?'} into ${pr.base?.ref ?? '?'})`)
      .join(', ')
    const why = intoDefault.length
      ? intoDefault.length > 1
        ? `it is the lowest-numbered of those into the default branch ${defaultBranch}`
        : `it is the one into the default branch ${defaultBranch}`
      : 'it has the lowest number (none is into the default branch)'
    log.info(
      `${pulls.length} open pull requests have head ${sha ? shortSha(sha) : 'this commit'}: ${list}. Checking #${chosen.number}: ${why}. To check another, pass its pr-number, base-branch and base-sha.`
    )
  }
  return chosen
}

function complete(pr: PullSummary): PrDetails {
  const details = {
    pr_number: pr.number,
    pr_branch: pr.head?.ref,
    base_branch: pr.base?.ref,
    pr_sha: pr.head?.sha?.toLowerCase(),
    base_sha: pr.base?.sha?.toLowerCase()
  }
  const missing = Object.entries(details).filter(([, value]) => value === undefined || value === '')
  if (missing.length > 0) {
    throw new EventError(
      `GitHub's answer for pull request #${pr.number ?? '?'} lacks ${missing.map(([key]) => key).join(', ')}.`
    )
  }
  return details as PrDetails
}

/** The number of the pull request commented on; an EventError for a plain issue. */
function commentedIssue(event: EventContext): number {
  const issue = event.payload.issue as
    { number?: number; pull_request?: unknown; html_url?: string } | undefined
  if (typeof issue?.number !== 'number') {
    throw new EventError('The issue_comment event has no issue in its payload.')
  }
  if (!issue.pull_request) {
    throw new EventError(
      `The comment is on issue #${issue.number}, a plain issue, not a pull request, so there is no pull request for Datafold CI to check. ` +
        'Run the job only for comments on pull requests, for example with `if: github.event.issue.pull_request`.'
    )
  }
  return issue.number
}

/** Why a push has no commit to check (it deleted a branch or tag), or undefined. */
function deletedRef(event: EventContext): string | undefined {
  const payload = event.payload as { after?: string; ref?: string; deleted?: boolean }
  if (payload.deleted || !payload.after || /^0+$/.test(payload.after)) {
    return `The push deleted ${refName(payload.ref)}, so there is no commit for Datafold CI to check and nothing was sent to Datafold.`
  }
  return undefined
}

function unsupportedEvent(event: EventContext, overrides: Partial<PrDetails>): EventError {
  const name = event.name || '(unknown)'
  const names = missingInputs(overrides).join(', ')
  const mergeGroup = event.payload.merge_group as { head_ref?: string } | undefined
  const why =
    event.name === 'merge_group'
      ? `A merge_group event checks the merge queue's temporary commit${mergeGroup?.head_ref ? ` (${refName(mergeGroup.head_ref)})` : ''}, which combines the queued pull requests with the base branch; it is no single pull request's head commit, which is what Datafold CI checks. ` +
        `Run the step on pull_request events and skip it on merge_group (a job skipped by \`if: github.event_name == 'pull_request'\` counts as passed for the queue), or pass`
      : `The ${name} event does not name a pull request, and the action reads one only on pull_request, pull_request_target, pull_request_review, pull_request_review_comment, push, issue_comment and workflow_run events. Pass`
  return new EventError(`${why} these inputs: ${names}.`)
}

function missingInputs(overrides: Partial<PrDetails>): string[] {
  return (Object.keys(PR_INPUTS) as (keyof PrDetails)[])
    .filter((key) => overrides[key] === undefined)
    .map((key) => PR_INPUTS[key])
}

function refName(ref: string | undefined): string {
  if (!ref) return 'an unknown ref'
  if (ref.startsWith('refs/heads/')) return `branch ${ref.slice('refs/heads/'.length)}`
  if (ref.startsWith('refs/tags/')) return `tag ${ref.slice('refs/tags/'.length)}`
  return ref
}

/** The GitHub API for the event's repository, connected at the first request, if any. */
function connect(options: LookupOptions): GitHub {
  const { event } = options
  let octokit: Awaited<ReturnType<typeof octokitFor>> | undefined
  return {
    async get(route, params) {
      octokit ??= await octokitFor(options)
      const [owner, repo] = event.repository.split('/')
      const full: Record<string, string | number> = { owner, repo, ...params }
      const label = route.replace(/\{(\w+)\}/g, (_, key: string) => String(full[key]))
      const limitMs = Math.max(1, Math.min(options.timeoutMs, options.timeLeftMs()))
      const timeout = AbortSignal.timeout(limitMs)
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
      try {
        const response = await octokit.request(route, { ...full, request: { signal } })
        return response.data
      } catch (error) {
        if (options.signal?.aborted) throw error
        throw explainGitHubError(error, label, event, timeout.aborted, limitMs)
      }
    }
  }
}

async function octokitFor(options: LookupOptions) {
  const { event, token } = options
  if (token === '') {
    throw new EventError(
      `Input github-token is empty, but the ${event.name} event does not carry the pull request, so the action looks it up through the GitHub API. ` +
        'Leave github-token at its default (${{ github.token }}) with `pull-requests: read` and `contents: read` permissions, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha.'
    )
  }
  const [owner, repo] = event.repository.split('/')
  if (!owner || !repo) {
    throw new EventError(
      `The repository is unknown (GITHUB_REPOSITORY is "${event.repository}"), so the pull request cannot be looked up.`
    )
  }
  const { getOctokit } = await import('@actions/github')
  return getOctokit(token, { baseUrl: event.apiUrl, userAgent: 'datafold-ci-action' })
}

const PERMISSIONS =
  'Give the job `permissions:` with `pull-requests: read` and `contents: read` (a job that sets `permissions:` gets none it does not list), or pass in github-token a token that has them'

/** The words for a failed GitHub request, with what to do about the token. */
function explainGitHubError(
  error: unknown,
  label: string,
  event: EventContext,
  timedOut = false,
  timeoutMs = 0
): EventError {
  const failure = error as {
    status?: number
    message?: string
    response?: { headers?: Record<string, string | undefined>; data?: unknown }
  }
  const request = `${label} on ${event.apiUrl}`
  if (timedOut) {
    return new EventError(
      `The GitHub API did not answer ${request} within ${timeoutMs / 1000} s (the lesser of request-timeout and what is left of timeout-minutes).`
    )
  }
  if (!failure.response) {
    return new EventError(
      `Could not reach the GitHub API for ${request}: ${rootCause(error)}. ` +
        "On GitHub Enterprise Server the runner sets GITHUB_API_URL to the server's API; check that it is reachable from the runner."
    )
  }
  const said = githubMessage(failure.response.data) ?? failure.message ?? ''
  const quote = said ? ` GitHub said: "${said}".` : ''
  switch (failure.status) {
    case 401:
      return new EventError(
        `GitHub did not accept the token in github-token for ${request} (HTTP 401: bad or expired credentials).${quote} Leave github-token at its default, \${{ github.token }}, or pass a valid token.`
      )
    case 403:
    case 429:
      if (
        failure.status === 429 ||
        failure.response.headers?.['x-ratelimit-remaining'] === '0' ||
        /rate limit/i.test(said)
      ) {
        return new EventError(
          `GitHub's API rate limit for the token in github-token is used up (HTTP ${failure.status}) for ${request}.${quote} Try again later, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha so no lookup is needed.`
        )
      }
      return new EventError(
        `GitHub refused ${request} (HTTP 403): the token in github-token lacks permission to read the pull request.${quote} ${PERMISSIONS}.`
      )
    case 404:
      return new EventError(
        `GitHub answered 404 Not Found to ${request}.${quote} Either the pull request or commit is in a repository the token in github-token cannot see (another repository or organisation than the token was made for), or the token lacks permission to read it: GitHub answers 404, not 403, for what a token may not see. ${PERMISSIONS}.`
      )
    default:
      return new EventError(`GitHub answered HTTP ${failure.status} to ${request}.${quote}`)
  }
}

/** The innermost message of an error chain: fetch's "fetch failed" hides the socket's reason. */
function rootCause(error: unknown): string {
  let current = error as { message?: string; cause?: unknown } | undefined
  let message = String(error)
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.message === 'string' && current.message !== '') message = current.message
    current = current.cause as typeof current
  }
  return message
}

function githubMessage(data: unknown): string | undefined {
  if (typeof data === 'object' && data !== null && 'message' in data) {
    const message = (data as { message: unknown }).message
    if (typeof message === 'string' && message !== '') return message
  }
  return undefined
}
