/**
 * Why the API key may be empty: GitHub withholds Actions secrets from pull request runs that
 * Dependabot triggers (they get Dependabot secrets only) and from pull requests out of forks (no
 * secrets at all). Said plainly, with the ways out, instead of a bare "api-key is empty".
 */
import { PAYLOAD_EVENTS, readEventContext, type EventContext } from './pull-request.js'

const DEPENDABOT = 'dependabot[bot]'

interface PayloadPullRequest {
  number?: unknown
  head?: { repo?: { full_name?: unknown } | null } | null
  base?: { repo?: { full_name?: unknown } | null } | null
}

/**
 * The explanation for an empty key on this event, or undefined when GitHub gave the run its
 * secrets (then the key is simply not configured). `actor` is GITHUB_ACTOR.
 */
export function missingKeyReason(event: EventContext, actor: string): string | undefined {
  const pr = PAYLOAD_EVENTS.includes(event.name)
    ? (event.payload.pull_request as PayloadPullRequest | null | undefined)
    : undefined
  const number = typeof pr?.number === 'number' ? ` #${pr.number}` : ''
  const empty = 'Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set'
  const nothingSent = 'Nothing was sent to Datafold.'

  // The actor, not the author: GitHub gives the run the secrets of whoever it runs as
  // (GITHUB_ACTOR, which a re-run keeps). A person's push to Dependabot's branch gets the
  // repository's secrets, so there an empty key is simply not configured.
  if (actor === DEPENDABOT) {
    return [
      `${empty}: this run is for Dependabot's pull request${number}, and GitHub gives workflow runs that Dependabot triggers its Dependabot secrets only, never the repository's Actions secrets.`,
      'Either store the Datafold API key as a Dependabot secret too (Settings → Secrets and variables → Dependabot, under the name the workflow reads, such as DATAFOLD_API_KEY),',
      "or skip the step for Dependabot's pull requests: `if: github.actor != 'dependabot[bot]'`.",
      nothingSent
    ].join('\n')
  }

  // pull_request_target runs in the base repository with its secrets: a fork is no reason there.
  if (!pr || event.name === 'pull_request_target') return undefined
  const head = pr.head?.repo?.full_name
  const base = pr.base?.repo?.full_name
  if (typeof base !== 'string' || head === base) return undefined
  const from = typeof head === 'string' ? `the fork ${head}` : 'a fork that has since been deleted'
  return [
    `${empty}: pull request${number} comes from ${from}, and GitHub gives runs for pull requests from forks no secrets, so the fork's code cannot read them.`,
    'To check pull requests from forks, trigger Datafold from a trusted workflow that has the secret and does not run the fork\'s code (see "Forks and pull_request_target" in the README\'s Security section),',
    'or skip the step for them: `if: github.event.pull_request.head.repo.full_name == github.repository`.',
    nothingSent
  ].join('\n')
}

/** missingKeyReason for the step's event (GITHUB_EVENT_PATH) and actor; undefined if unreadable. */
export function missingKeyReasonIn(env: NodeJS.ProcessEnv): string | undefined {
  try {
    // Stryker disable next-line StringLiteral: only the actor dependabot[bot] matters; any other default reads the same
    return missingKeyReason(readEventContext(env), env.GITHUB_ACTOR ?? '')
    // Stryker disable next-line BlockStatement: an empty catch returns undefined as well
  } catch {
    return undefined
  }
}
