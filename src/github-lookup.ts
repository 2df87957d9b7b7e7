/**
 * The pull request behind events that do not carry one (push, issue_comment, workflow_run), looked
 * up through the GitHub API (github-client.ts): which requests each event needs, and which of the
 * pull requests GitHub lists is the one to check.
 */
import type { PrDetails } from './datafold-client.js'
import { shortSha } from './format.js'
import { isObject } from './json.js'
import { GitHubClient, type GitHubClientOptions, type Shape } from './github-client.js'
import { checkedDetails, checkField, EXPECTED, quote } from './pr-fields.js'
import { EventError, PAYLOAD_EVENTS, PR_INPUTS, type EventContext } from './pull-request.js'
import type { Log } from './toolkit.js'

/** Events this module can find the pull request for. */
const LOOKUP_EVENTS = ['push', 'issue_comment', 'workflow_run']

export type Lookup =
  | { kind: 'found'; details: PrDetails }
  /** There is no pull request to check, and that is not a fault: the step ends `skipped`. */
  | { kind: 'none'; reason: string }

/** The event, the inputs given by hand, and what the GitHub client needs besides the event. */
export type LookupOptions = {
  event: EventContext
  /** Inputs given by hand; named in errors as what is still missing. */
  overrides: Partial<PrDetails>
} & Pick<
  GitHubClientOptions,
  'token' | 'log' | 'timeoutMs' | 'clock' | 'deadlineMs' | 'signal' | 'random'
>

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
  const github = new GitHubClient({
    ...options,
    apiUrl: event.apiUrl,
    repository: event.repository,
    eventName: event.name
  })
  switch (event.name) {
    case 'push':
      return forPush(event, github, options.log)
    case 'issue_comment':
      return forComment(event, github, options.log)
    default:
      return forWorkflowRun(event, github, options.log)
  }
}

/** A pull request as GitHub's API or a payload shows it; nothing in it is trusted until checked. */
interface PullSummary {
  number?: unknown
  state?: unknown
  merged_at?: unknown
  head?: { ref?: unknown; sha?: unknown; repo?: { id?: unknown } | null } | null
  base?: { ref?: unknown; sha?: unknown; repo?: { id?: unknown } | null } | null
}

/** A branch name for a message; '?' where GitHub gave none, or something that is not a name. */
function refOf(side: PullSummary['head']): string {
  return typeof side?.ref === 'string' ? side.ref : '?'
}

async function forPush(event: EventContext, github: GitHubClient, log: Log): Promise<Lookup> {
  const payload = event.payload as { after?: string; ref?: string }
  // Stryker disable next-line StringLiteral: forPush runs only after deletedRef found a non-empty `after`
  const sha = (payload.after ?? '').toLowerCase()
  const where = refName(payload.ref)
  log.info(`Looking for the open pull request whose head is ${sha} (pushed to ${where}).`)
  // Stryker disable next-line MethodExpression: isPullList let through only objects with a head, so filter(isPull) keeps every entry
  const pulls = (
    await github.get(
      'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls',
      { commit_sha: sha, per_page: 100 },
      PULL_LIST
    )
  ).filter(isPull)
  // The API also lists merged pull requests that contain the commit and open ones that contain it
  // further down their branch; only an open one whose head is this very commit is about this push.
  // Stryker disable next-line OptionalChaining: isPullList let through only pull requests with an object head
  const open = pulls.filter((pr) => pr.state === 'open' && lower(pr.head?.sha) === sha)
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

async function forComment(event: EventContext, github: GitHubClient, log: Log): Promise<Lookup> {
  const number = commentedIssue(event)
  log.info(`The comment is on pull request #${number}; fetching its head and base.`)
  const pr = await github.get(
    'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    { pull_number: number },
    PULL
  )
  if (pr.state && pr.state !== 'open') {
    log.warning(
      `Pull request #${number} is ${pr.merged_at ? 'merged' : 'closed'}; checking its head commit anyway.`,
      { title: 'Pull request not open' }
    )
  }
  return { kind: 'found', details: complete(pr) }
}

async function forWorkflowRun(
  event: EventContext,
  github: GitHubClient,
  log: Log
): Promise<Lookup> {
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
  // Stryker disable next-line ArrayDeclaration: the filter(isPull) below drops the mutant's string
  const listed = (Array.isArray(run.pull_requests) ? run.pull_requests : [])
    .filter(isPull)
    .filter((pr) => typeof pr.number === 'number')
  if (listed.length === 0) {
    // Stryker disable next-line StringLiteral: PAYLOAD_EVENTS holds neither '' nor the mutant's text
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
  // GitHub lists every pull request whose head commit matches the run's, in any repository: a fork
  // or another repository that shares the commit shows up too. Only one into this repository, from
  // the branch the run ran on, is this run's pull request.
  const repositoryId = (event.payload.repository as { id?: unknown } | undefined)?.id
  const pulls = listed.filter(
    (pr) =>
      (typeof repositoryId !== 'number' || pr.base?.repo?.id === repositoryId) &&
      pr.head?.ref === run.head_branch
  )
  if (pulls.length === 0) {
    const others = listed.map((pr) => `#${String(pr.number)} (${refOf(pr.head)})`).join(', ')
    return {
      kind: 'none',
      reason: `The workflow run ${name} lists pull requests ${others}, but none of them is into this repository (${event.repository || 'unknown'}) from ${run.head_branch ?? '(unknown)'}, the branch the run ran on: GitHub lists the pull requests of every repository that has the commit. There is nothing for Datafold CI to check here and nothing was sent to Datafold.`
    }
  }
  let pr = choose(pulls, event, log, run.head_sha)
  const summary = pr
  if (!summary.head?.ref || !summary.head?.sha || !summary.base?.ref || !summary.base?.sha) {
    log.info(
      `The workflow run lists pull request #${String(summary.number)} without all of its head and base; fetching it.`
    )
    const fetched = await github.get(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      { pull_number: summary.number as number },
      PULL
    )
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
  const runSha = lower(run.head_sha)
  // Stryker disable next-line OptionalChaining: pr has a head here: the listed one had head.ref to skip the fetch, or it was built with one
  const listedSha = lower(pr.head?.sha)
  if (runSha && listedSha && runSha !== listedSha) {
    log.info(
      `Pull request #${String(pr.number)} lists head ${shortSha(listedSha)}; checking ${shortSha(runSha)}, the commit the workflow run ran on.`
    )
  }
  return {
    kind: 'found',
    // Stryker disable next-line OptionalChaining: pr has a head here (see listedSha above)
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
  const sorted = [...pulls].sort((a, b) => Number(a.number ?? 0) - Number(b.number ?? 0))
  const intoDefault = sorted.filter((pr) => defaultBranch && pr.base?.ref === defaultBranch)
  const chosen = intoDefault[0] ?? sorted[0]
  if (pulls.length > 1) {
    const list = sorted
      .map((pr) => `#${String(pr.number)} (${refOf(pr.head)} into ${refOf(pr.base)})`)
      .join(', ')
    const why = intoDefault.length
      ? intoDefault.length > 1
        ? `it is the lowest-numbered of those into the default branch ${defaultBranch}`
        : `it is the one into the default branch ${defaultBranch}`
      : 'it has the lowest number (none is into the default branch)'
    log.info(
      `${pulls.length} open pull requests have head ${sha ? shortSha(sha) : 'this commit'}: ${list}. Checking #${String(chosen.number)}: ${why}. To check another, pass its pr-number, base-branch and base-sha.`
    )
  }
  return chosen
}

/** Where each field sits in GitHub's pull request object, to name it in errors. */
const ANSWER_FIELDS: Record<keyof PrDetails, string> = {
  pr_number: 'number',
  pr_branch: 'head.ref',
  base_branch: 'base.ref',
  pr_sha: 'head.sha',
  base_sha: 'base.sha'
}

/** The trigger's fields from GitHub's pull request, each checked like an input. */
function complete(pr: PullSummary): PrDetails {
  const found: Record<keyof PrDetails, unknown> = {
    pr_number: pr.number,
    // Stryker disable next-line OptionalChaining: every caller passes a pull request with an object head (isPullShaped, or built with one)
    pr_branch: pr.head?.ref,
    base_branch: pr.base?.ref,
    // Stryker disable next-line OptionalChaining: every caller passes a pull request with an object head (isPullShaped, or built with one)
    pr_sha: pr.head?.sha,
    base_sha: pr.base?.sha
  }
  const keys = Object.keys(found) as (keyof PrDetails)[]
  const bad = keys.filter((key) => checkField(key, found[key]) === undefined)
  if (bad.length > 0) {
    const what = bad
      .map((key) => `${ANSWER_FIELDS[key]} ${quote(found[key])} (expected ${EXPECTED[key]})`)
      .join(', ')
    throw new EventError(
      `GitHub's answer for pull request #${typeof pr.number === 'number' ? pr.number : '?'} has ${what}. Pass ${bad.map((key) => PR_INPUTS[key]).join(', ')} to name them yourself.`
    )
  }
  return checkedDetails(found)
}

function isPull(value: unknown): value is PullSummary {
  return isObject(value)
}

/**
 * Looks like a pull request from GitHub's API: an object with a numeric number and a head. Fields
 * the trigger needs are checked one by one later (`complete`); this only tells an answer from noise.
 */
function isPullShaped(value: unknown): boolean {
  return isObject(value) && typeof value.number === 'number' && isObject(value.head)
}

/** A list of pull requests; one entry that is not one makes the whole answer unreadable. */
function isPullList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.every(isPullShaped)
}

const PULL: Shape<PullSummary> = {
  accepts: (data): data is PullSummary => isPullShaped(data),
  expected: 'a JSON pull request'
}
const PULL_LIST: Shape<unknown[]> = {
  accepts: isPullList,
  expected: 'a JSON list of pull requests'
}

function lower(value: unknown): string | undefined {
  return typeof value === 'string' ? value.toLowerCase() : undefined
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
