/**
 * End to end, the workflows beyond "trigger and wait": an API integration's table pairs (the diffs
 * input), waiting for a run started earlier (ci-run-id), and pull requests GitHub gives no secrets
 * (Dependabot, forks). The bundled action (dist/index.js) runs as the runner runs it against the
 * stand-in Datafold, which models an API integration: a run stays `waiting` until its pairs arrive.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { specViolations } from '../__fixtures__/openapi.js'
import {
  API_KEY,
  EVENTS_DIR,
  OPENED_PR,
  commands,
  keyLeaks,
  runAction,
  runAgainstStandIn as run,
  standInInputs,
  type StandInRunResult
} from '../__fixtures__/run-action.js'
import { startStandIn, type RecordedRequest } from '../scripts/stand-in-datafold.js'

/** The parts of the real payloads these tests read or change. */
interface Account {
  login: string
}
interface PullRequestEvent {
  number: number
  pull_request: {
    user: Account
    head: { ref: string; sha: string; repo: unknown }
    base: { ref: string; sha: string }
  }
}
interface ForkEvent {
  forkee: { full_name: string; owner: Account }
}

const readEvent = <T>(name: string): T =>
  JSON.parse(readFileSync(join(EVENTS_DIR, name), 'utf8')) as T
const event = readEvent<PullRequestEvent>('pull_request.opened.json')
const PR = OPENED_PR
const UPLOAD = `/api/v1/ci/42/${PR.pr_number}`
const TRIGGER = '/api/v1/ci/42/trigger'

const PAIRS = [
  { prod: 'analytics.prod.orders', pr: 'analytics.pr_2.orders', pk: ['id'] },
  {
    prod: 'analytics.prod.customers',
    pr: 'analytics.pr_2.customers',
    pk: null,
    exclude_columns: ['updated_at']
  }
]

/** An API integration whose run diffs two tables once it has them: one changed, one not. */
const API_SCENARIO = {
  apiIntegration: true,
  statuses: ['processing', 'done'],
  dataDiffs: [
    { result: 'different' as const, rowsAdded: 1, rowsRemoved: 0, rowsChanged: 3, matchRatio: 0.9 },
    { result: 'identical' as const, rowsAdded: 0, rowsRemoved: 0, rowsChanged: 0, matchRatio: 1 }
  ]
}

const calls = (requests: RecordedRequest[]): string[] =>
  requests.map((r) => `${r.method} ${r.path}`)

/** Every request valid by the spec, the key never shown. */
function expectWellBehaved({ result, requests }: StandInRunResult): void {
  expect(result.killed).toBe(false)
  for (const request of requests) {
    expect({
      request: `${request.method} ${request.path}`,
      problems: specViolations(request)
    }).toEqual({ request: `${request.method} ${request.path}`, problems: [] })
  }
  expect(keyLeaks(result)).toEqual([])
}

describe('diffs: the table pairs of an API integration', () => {
  it('uploads inline JSON pairs once, after the trigger; the run then diffs them and the step passes', async () => {
    const outcome = await run(API_SCENARIO, { diffs: JSON.stringify(PAIRS) })
    const { result, requests } = outcome
    expect(result.code).toBe(0)
    expect(calls(requests).slice(0, 3)).toEqual([
      'GET /api/v1/ci/42/runs',
      `POST ${TRIGGER}`,
      `POST ${UPLOAD}`
    ])
    const uploads = requests.filter((r) => r.path === UPLOAD)
    expect(uploads).toHaveLength(1)
    expect(uploads[0].body).toStrictEqual(PAIRS)
    expect(requests.find((r) => r.path === TRIGGER)?.body).toStrictEqual(PR)
    expectWellBehaved(outcome)

    expect(result.outputs['ci-run-id']).toBe('1000')
    expect(result.outputs.verdict).toBe('success')
    expect(
      (JSON.parse(result.outputs['data-diffs']) as { table: string }[]).map((d) => d.table)
    ).toEqual(['analytics.pr_2.orders', 'analytics.pr_2.customers'])
    expect(result.outputs['data-diffs-changed']).toBe('1')
    expect(result.summary).toMatch(/\| Table pairs \| 2 pairs submitted \|/)
    expect(result.summary).toContain('1 of 2 tables changed')
    expect(result.stdout).toContain('Uploading 2 table pairs for pull request #2.')
  })

  it('reads the pairs from a YAML file under GITHUB_WORKSPACE', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'datafold-workspace-'))
    writeFileSync(
      join(workspace, 'datafold-diffs.yml'),
      [
        '# the tables this pull request changes',
        '- prod: analytics.prod.orders',
        '  pr: analytics.pr_2.orders',
        '  pk: [id]',
        '- prod: analytics.prod.customers',
        '  pr: analytics.pr_2.customers',
        '  pk: null',
        '  exclude_columns: [updated_at]',
        ''
      ].join('\n')
    )
    const outcome = await run(
      API_SCENARIO,
      { diffs: 'datafold-diffs.yml' },
      { env: { GITHUB_WORKSPACE: workspace } }
    )
    expect(outcome.result.code).toBe(0)
    expect(outcome.requests.filter((r) => r.path === UPLOAD).map((r) => r.body)).toStrictEqual([
      PAIRS
    ])
    expectWellBehaved(outcome)
  })

  it('fails on a bad entry before anything is sent, naming the input, the entry and the field', async () => {
    const bad = [
      PAIRS[0],
      { prod: 'analytics.prod.payments', pr: 'analytics.pr_2.payments', pk: 'id' }
    ]
    const { result, requests } = await run(API_SCENARIO, { diffs: JSON.stringify(bad) })
    expect(result.code).toBe(1)
    expect(requests).toEqual([])
    expect(commands(result.stdout, 'error')).toEqual([
      'Input diffs, entry 2 (pr analytics.pr_2.payments): field pk is "id": expected a list of column names, such as [id], each once, or null to let Datafold find the key.'
    ])
  })

  it('an empty list is an input error too', async () => {
    const { result, requests } = await run(API_SCENARIO, { diffs: '[]' })
    expect(result.code).toBe(1)
    expect(requests).toEqual([])
    expect(commands(result.stdout, 'error')[0]).toMatch(/^Input diffs is an empty list: /)
  })

  it('a lost upload answer is not sent again; the run shows the pairs arrived, and the step passes', async () => {
    const outcome = await run(
      { ...API_SCENARIO, faults: { upload: [{ kind: 'reset', process: true }] } },
      { diffs: JSON.stringify(PAIRS) }
    )
    const { result, requests } = outcome
    expect(requests.filter((r) => r.path === UPLOAD)).toHaveLength(1)
    expect(requests.filter((r) => r.path === TRIGGER)).toHaveLength(1)
    expect(result.code).toBe(0)
    expect(commands(result.stdout, 'warning').join('\n')).toMatch(
      /The answer to the upload of the 2 table pairs was lost: .* so they are not sent again/
    )
    expect(result.summary).toMatch(/\| Table pairs \| 2 pairs sent, answer lost \|/)
    expectWellBehaved(outcome)
  })

  it('a lost upload whose pairs never arrived: the run stays waiting, and the step times out saying why', async () => {
    const outcome = await run(
      { ...API_SCENARIO, faults: { upload: [{ kind: 'reset' }] } },
      { diffs: JSON.stringify(PAIRS), 'wait-timeout-minutes': '0.04' }
    )
    const { result, requests } = outcome
    expect(requests.filter((r) => r.path === UPLOAD)).toHaveLength(1)
    expect(result.code).toBe(1)
    expect(result.outputs.verdict).toBe('timed_out')
    expect(result.outputs.status).toBe('waiting')
    expect(commands(result.stdout, 'error')[0]).toMatch(
      /last status waiting\.\nLast problem: The answer to the upload of the 2 table pairs was lost: .* The run still waits for table pairs, so Datafold most likely did not get them: re-run the job\./
    )
    expectWellBehaved(outcome)
  })

  it('with wait: false, a lost upload answer fails the step: nothing can show whether the pairs arrived', async () => {
    const { result, requests } = await run(
      { ...API_SCENARIO, faults: { upload: [{ kind: 'reset' }] } },
      { diffs: JSON.stringify(PAIRS), wait: 'false' }
    )
    expect(requests.filter((r) => r.path === UPLOAD)).toHaveLength(1)
    expect(result.code).toBe(1)
    expect(result.outputs['ci-run-id']).toBe('1000')
    expect(commands(result.stdout, 'error')[0]).toMatch(
      /^The answer to the upload of the 2 table pairs was lost: .*with wait: false the step cannot see/
    )
  })

  it('an upload Datafold refuses fails the step with its reason, naming the waiting run; it is not repeated', async () => {
    const { result, requests } = await run(
      { ...API_SCENARIO, faults: { upload: [{ status: 404, body: '{"detail": "Not Found"}' }] } },
      { diffs: JSON.stringify(PAIRS) }
    )
    expect(result.code).toBe(1)
    expect(requests.filter((r) => r.path === UPLOAD)).toHaveLength(1)
    expect(commands(result.stdout, 'error')).toEqual([
      'Datafold did not take the table pairs (HTTP 404 for the upload to CI config 42): {"detail": "Not Found"}. The diffs input is only for a CI config of the API kind, which waits for them after the trigger; check ci-config-id. The 2 table pairs could not be uploaded, so the Datafold CI run triggered for pull request #2 waits for them without diffing anything.'
    ])
  })

  it('a run that waits for pairs nobody sent times out with a hint at the diffs input', async () => {
    const { result } = await run(API_SCENARIO, { 'wait-timeout-minutes': '0.04' })
    expect(result.outputs.verdict).toBe('timed_out')
    expect(commands(result.stdout, 'error')[0]).toContain(
      'Last problem: The run is still waiting for what its CI config compares: the table pairs of an API integration (give them with the diffs input)'
    )
  })
})

describe('ci-run-id: wait for a run started earlier', () => {
  const earlier = { ...API_SCENARIO, apiIntegration: false, startedEarlier: PR }

  it('follows the run without a trigger, with the verdict, outputs and summary of a triggered run', async () => {
    const outcome = await run(earlier, { 'ci-run-id': '1000' })
    const { result, requests } = outcome
    expect(result.code).toBe(0)
    expect(requests.filter((r) => r.method === 'POST')).toEqual([])
    expect(calls(requests)).toEqual([
      'GET /api/v1/ci/42/runs',
      'GET /api/v1/ci/42/runs',
      'GET /api/v1/datadiffs'
    ])
    expect(result.outputs).toMatchObject({
      'ci-run-id': '1000',
      status: 'done',
      verdict: 'success',
      'data-diffs-changed': '1'
    })
    expect(result.summary).toContain(`[#${PR.pr_number}]`)
    expect(result.summary).toMatch(/\| Datafold CI run \| 1000 \|/)
    expectWellBehaved(outcome)
  })

  it('a run Datafold does not list for the commit within start-timeout-minutes is an error that says so', async () => {
    const { result, requests } = await run(earlier, {
      'ci-run-id': '999',
      'start-timeout-minutes': '0.01'
    })
    expect(result.code).toBe(1)
    expect(requests.filter((r) => r.method === 'POST')).toEqual([])
    expect(commands(result.stdout, 'error')[0]).toBe(
      `Datafold does not list CI run 999 (input ci-run-id) among the runs of commit ${PR.pr_sha} within start-timeout-minutes. Check that ci-run-id names a run of this pull request's head commit under this CI config (the output ci-run-id of the step that triggered it).`
    )
  })

  it('trigger now, wait later: a wait: false step names the run, a later step waits for it; one trigger, one upload', async () => {
    const standIn = await startStandIn({ ...API_SCENARIO, apiKey: API_KEY })
    try {
      const inputs = standInInputs(standIn.url)
      const first = await runAction({
        inputs: { ...inputs, wait: 'false', diffs: JSON.stringify(PAIRS) }
      })
      expect(first.code).toBe(0)
      expect(first.outputs['ci-run-id']).toBe('1000')
      const second = await runAction({
        inputs: { ...inputs, 'ci-run-id': first.outputs['ci-run-id'] }
      })
      expect(second.code).toBe(0)
      expect(second.outputs).toMatchObject({ 'ci-run-id': '1000', verdict: 'success' })
      expect(calls(standIn.requests).filter((c) => c.startsWith('POST'))).toEqual([
        `POST ${TRIGGER}`,
        `POST ${UPLOAD}`
      ])
    } finally {
      await standIn.close()
    }
  })

  it('ci-run-id with diffs, or with wait: false, is an input error', async () => {
    const both = await run(earlier, { 'ci-run-id': '1000', diffs: JSON.stringify(PAIRS) })
    expect(both.result.code).toBe(1)
    expect(both.requests).toEqual([])
    expect(commands(both.result.stdout, 'error')[0]).toMatch(
      /^Inputs diffs and ci-run-id are both set/
    )
    const noWait = await run(earlier, { 'ci-run-id': '1000', wait: 'false' })
    expect(noWait.requests).toEqual([])
    expect(commands(noWait.result.stdout, 'error')[0]).toMatch(
      /^Input ci-run-id is set but wait is false/
    )
  })
})

describe('pull requests GitHub gives no secrets', () => {
  /** The real dependabot[bot] account, as GitHub's API shows it. */
  const DEPENDABOT = {
    login: 'dependabot[bot]',
    id: 49699333,
    node_id: 'MDM6Qm90NDk2OTkzMzM=',
    avatar_url: 'https://avatars.githubusercontent.com/in/29110?v=4',
    url: 'https://api.github.com/users/dependabot%5Bbot%5D',
    html_url: 'https://github.com/apps/dependabot',
    type: 'Bot',
    site_admin: false
  }
  /** The real pull_request payload, opened by Dependabot from a branch of the repository. */
  const dependabotPayload = {
    ...event,
    sender: DEPENDABOT,
    pull_request: { ...event.pull_request, user: DEPENDABOT }
  }
  /** The real pull_request payload, its head in the fork of the real `fork` event's forkee. */
  const forkee = readEvent<ForkEvent>('fork.json').forkee
  const forkPayload = {
    ...event,
    sender: forkee.owner,
    pull_request: {
      ...event.pull_request,
      user: forkee.owner,
      head: {
        ...event.pull_request.head,
        label: `${forkee.owner.login}:${event.pull_request.head.ref}`,
        user: forkee.owner,
        repo: forkee
      }
    }
  }

  it('Dependabot: says it has Dependabot secrets only, and the two ways out; nothing is sent', async () => {
    const { result, requests } = await run(
      {},
      { 'api-key': '' },
      { payload: dependabotPayload, env: { GITHUB_ACTOR: 'dependabot[bot]' } }
    )
    expect(result.code).toBe(1)
    expect(requests).toEqual([])
    expect(commands(result.stdout, 'error')).toEqual([
      [
        "Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set: this run is for Dependabot's pull request #2, and GitHub gives workflow runs that Dependabot triggers its Dependabot secrets only, never the repository's Actions secrets.",
        'Either store the Datafold API key as a Dependabot secret too (Settings → Secrets and variables → Dependabot, under the name the workflow reads, such as DATAFOLD_API_KEY),',
        "or skip the step for Dependabot's pull requests: `if: github.actor != 'dependabot[bot]'`.",
        'Nothing was sent to Datafold.'
      ].join('\n')
    ])
  })

  it("Dependabot's pull request run by a person (who pushed to its branch) had the repository's secrets: the plain words", async () => {
    const { result, requests } = await run(
      {},
      { 'api-key': '' },
      { payload: dependabotPayload, env: { GITHUB_ACTOR: 'Codertocat' } }
    )
    expect(result.code).toBe(1)
    expect(requests).toEqual([])
    expect(commands(result.stdout, 'error')).toEqual([
      'Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set: expected a Datafold API key, for example `api-key: ${{ secrets.DATAFOLD_API_KEY }}`.'
    ])
  })

  it('a fork: says forks get no secrets, and points to the trusted workflow or an if:', async () => {
    const { result, requests } = await run(
      {},
      { 'api-key': '' },
      { payload: forkPayload, env: { GITHUB_ACTOR: forkee.owner.login } }
    )
    expect(result.code).toBe(1)
    expect(requests).toEqual([])
    expect(commands(result.stdout, 'error')).toEqual([
      [
        "Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set: pull request #2 comes from the fork Octocoders/Hello-World, and GitHub gives runs for pull requests from forks no secrets, so the fork's code cannot read them.",
        'To check pull requests from forks, trigger Datafold from a trusted workflow that has the secret and does not run the fork\'s code (see "Forks and pull_request_target" in the README\'s Security section),',
        'or skip the step for them: `if: github.event.pull_request.head.repo.full_name == github.repository`.',
        'Nothing was sent to Datafold.'
      ].join('\n')
    ])
  })

  it('a pull request from the repository itself keeps the plain message', async () => {
    const { result } = await run({}, { 'api-key': '' }, { env: { GITHUB_ACTOR: 'Codertocat' } })
    expect(commands(result.stdout, 'error')).toEqual([
      'Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set: expected a Datafold API key, for example `api-key: ${{ secrets.DATAFOLD_API_KEY }}`.'
    ])
  })
})
