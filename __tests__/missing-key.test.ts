/**
 * Why an empty API key, on real webhook payloads (__fixtures__/events): a Dependabot pull request
 * (the real payload with Dependabot's account as author), a pull request from a fork (its head in
 * the forkee of the real `fork` event), and the plain cases that need no explanation.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EVENTS_DIR } from '../__fixtures__/run-action.js'
import { missingKeyReason, missingKeyReasonIn } from '../src/missing-key.js'
import type { EventContext } from '../src/pull-request.js'

type Payload = Record<string, unknown> & {
  pull_request: Record<string, unknown> & { head: Record<string, unknown> }
}
const load = <T>(name: string): T => JSON.parse(readFileSync(join(EVENTS_DIR, name), 'utf8')) as T
const opened = load<Payload>('pull_request.opened.json')
const forkee = load<{ forkee: { full_name: string; owner: { login: string } } }>('fork.json').forkee
const DEPENDABOT = { login: 'dependabot[bot]', id: 49699333, type: 'Bot' }

const context = (payload: unknown, name = 'pull_request'): EventContext => ({
  name,
  payload: payload as Record<string, unknown>,
  repository: 'Codertocat/Hello-World',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runAttempt: 1
})
const byDependabot = { ...opened, pull_request: { ...opened.pull_request, user: DEPENDABOT } }
const fromFork = {
  ...opened,
  pull_request: { ...opened.pull_request, head: { ...opened.pull_request.head, repo: forkee } }
}

const EMPTY = 'Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set'

describe('missingKeyReason', () => {
  it("says it all for Dependabot's pull request: why, the two ways out, that nothing was sent", () => {
    expect(missingKeyReason(context(byDependabot), 'dependabot[bot]')).toBe(
      [
        `${EMPTY}: this run is for Dependabot's pull request #2, and GitHub gives workflow runs that Dependabot triggers its Dependabot secrets only, never the repository's Actions secrets.`,
        'Either store the Datafold API key as a Dependabot secret too (Settings → Secrets and variables → Dependabot, under the name the workflow reads, such as DATAFOLD_API_KEY),',
        "or skip the step for Dependabot's pull requests: `if: github.actor != 'dependabot[bot]'`.",
        'Nothing was sent to Datafold.'
      ].join('\n')
    )
  })

  it('says it all for a fork: why, the trusted workflow or an if:, that nothing was sent', () => {
    expect(missingKeyReason(context(fromFork), 'Octocoders')).toBe(
      [
        `${EMPTY}: pull request #2 comes from the fork Octocoders/Hello-World, and GitHub gives runs for pull requests from forks no secrets, so the fork's code cannot read them.`,
        'To check pull requests from forks, trigger Datafold from a trusted workflow that has the secret and does not run the fork\'s code (see "Forks and pull_request_target" in the README\'s Security section),',
        'or skip the step for them: `if: github.event.pull_request.head.repo.full_name == github.repository`.',
        'Nothing was sent to Datafold.'
      ].join('\n')
    )
  })

  it('reads a payload with null parts without failing', () => {
    const nulls = {
      ...opened,
      pull_request: { ...opened.pull_request, user: null, head: null, base: null }
    }
    expect(missingKeyReason(context(nulls), 'Codertocat')).toBeUndefined()
    const headless = { ...opened, pull_request: { ...opened.pull_request, head: null } }
    expect(missingKeyReason(context(headless), 'Codertocat')).toMatch(
      /a fork that has since been deleted/
    )
  })

  it('names Dependabot by the actor alone, whose run it is, not by the author of the pull request', () => {
    expect(missingKeyReason(context(opened), 'dependabot[bot]')).toMatch(
      /^Input api-key is empty .*: this run is for Dependabot's pull request #2, and GitHub gives workflow runs that Dependabot triggers its Dependabot secrets only/
    )
    // A person's run (a push to Dependabot's branch) has the repository's secrets: the key is
    // simply not configured, and the Dependabot words would send them the wrong way.
    expect(missingKeyReason(context(byDependabot), 'Codertocat')).toBeUndefined()
    // A push by Dependabot has no pull request to number.
    expect(missingKeyReason(context({}, 'push'), 'dependabot[bot]')).toMatch(
      /this run is for Dependabot's pull request, and/
    )
  })

  it('names the fork a pull request comes from, or says the fork is gone', () => {
    expect(missingKeyReason(context(fromFork), 'Octocoders')).toMatch(
      /: pull request #2 comes from the fork Octocoders\/Hello-World, and GitHub gives runs for pull requests from forks no secrets/
    )
    const deleted = {
      ...opened,
      pull_request: { ...opened.pull_request, head: { ...opened.pull_request.head, repo: null } }
    }
    expect(missingKeyReason(context(deleted), 'Octocoders')).toMatch(
      /comes from a fork that has since been deleted/
    )
    expect(missingKeyReason(context(fromFork, 'pull_request_review'), 'x')).toMatch(/the fork/)
  })

  it('says nothing where GitHub gave the run its secrets', () => {
    expect(missingKeyReason(context(opened), 'Codertocat')).toBeUndefined()
    // pull_request_target runs in the base repository, with its secrets, even for a fork.
    expect(missingKeyReason(context(fromFork, 'pull_request_target'), 'Octocoders')).toBeUndefined()
    // Other events carry no pull request whose head could be a fork.
    expect(missingKeyReason(context(fromFork, 'issue_comment'), 'Octocoders')).toBeUndefined()
    const noBase = { ...opened, pull_request: { ...opened.pull_request, base: {} } }
    expect(missingKeyReason(context(noBase), 'Codertocat')).toBeUndefined()
  })
})

describe('missingKeyReasonIn', () => {
  it('reads the event and the actor from the environment, and gives up quietly on a bad event file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'missing-key-'))
    writeFileSync(join(dir, 'event.json'), JSON.stringify(fromFork))
    writeFileSync(join(dir, 'broken.json'), '{')
    const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_ACTOR: 'Octocoders' }
    expect(missingKeyReasonIn({ ...env, GITHUB_EVENT_PATH: join(dir, 'event.json') })).toMatch(
      /the fork Octocoders\/Hello-World/
    )
    expect(
      missingKeyReasonIn({ ...env, GITHUB_EVENT_PATH: join(dir, 'broken.json') })
    ).toBeUndefined()
    expect(missingKeyReasonIn({ GITHUB_EVENT_NAME: 'push' })).toBeUndefined()
    // The actor alone names Dependabot, whatever the payload.
    expect(
      missingKeyReasonIn({ GITHUB_EVENT_NAME: 'push', GITHUB_ACTOR: 'dependabot[bot]' })
    ).toMatch(/this run is for Dependabot's pull request, and/)
  })
})
