/**
 * End to end: the bundled action (dist/index.js) run as the Actions runner runs it, against the
 * stand-in Datafold server on a real local socket. Checks exit codes, outputs, the job summary, the
 * log, and every request the stand-in received against Datafold's OpenAPI spec.
 */
import { readFileSync } from 'node:fs'
import { specViolations } from '../__fixtures__/openapi.js'
import {
  API_KEY,
  OPENED_PR,
  MERGE_SHA,
  REPOSITORY,
  commands,
  inputVariable,
  keyLeaks,
  runAction,
  runAgainstStandIn as run,
  standInInputs,
  type StandInRunResult
} from '../__fixtures__/run-action.js'
import { startStandIn, type RecordedRequest } from '../scripts/stand-in-datafold.js'

const { version: VERSION } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
const PR = OPENED_PR
const PR_URL = `https://github.com/${REPOSITORY}/pull/${PR.pr_number}`
const DIFFS = '/api/v1/datadiffs'

/** A real workflow_dispatch payload: it names no pull request. */
const DISPATCH = { eventName: 'workflow_dispatch', eventFile: 'workflow_dispatch.json' }

/** What every run must hold: requests the spec accepts, exact trigger bodies, the key kept secret. */
function expectWellBehaved({ result, requests }: StandInRunResult, pr = PR): void {
  expect(result.killed).toBe(false)
  for (const request of requests) {
    expect({
      request: `${request.method} ${request.path}`,
      problems: specViolations(request)
    }).toEqual({ request: `${request.method} ${request.path}`, problems: [] })
    if (request.method === 'POST') expect(request.body).toStrictEqual(pr)
    if (request.path === DIFFS) expect(request.query.ci_run_id).toBe(result.outputs['ci-run-id'])
    else if (request.method === 'GET') expect(request.query.pr_sha).toBe(pr.pr_sha)
  }
  expect(keyLeaks(result)).toEqual([])
  expect(result.stdout.split('\n').filter((line) => line.includes(API_KEY))).toEqual([
    `::add-mask::${API_KEY}`
  ])
  expect(JSON.stringify(requests)).not.toContain(MERGE_SHA)
}

const triggers = (requests: RecordedRequest[]): RecordedRequest[] =>
  requests.filter((r) => r.method === 'POST')
const lists = (requests: RecordedRequest[]): RecordedRequest[] =>
  requests.filter((r) => r.method === 'GET' && r.path !== DIFFS)
/** Status checks: list requests after the trigger. */
const checksAfterTrigger = (requests: RecordedRequest[]): number =>
  lists(requests.slice(requests.findIndex((r) => r.method === 'POST') + 1)).length

describe('the bundled action against the stand-in Datafold', () => {
  it('reports a successful run: exit 0, outputs, and a summary a reviewer can read', async () => {
    const outcome = await run({ statuses: ['queued', 'processing', 'done'] })
    const { result, requests, host } = outcome
    expect(result.code).toBe(0)
    expect(result.outputs).toEqual({
      'ci-run-id': '1000',
      'trigger-run-id': '6000',
      'ci-run-started-by': 'trigger',
      status: 'done',
      verdict: 'success',
      'data-diffs': '[]',
      'data-diffs-changed': '0'
    })
    // Every request names the release that sent it, the version inlined from package.json.
    expect([...new Set(requests.map((r) => r.headers['user-agent']))]).toEqual([
      `datafold-ci-action/${VERSION}`
    ])
    // One list to know the runs that existed, the trigger, status checks until done, the data diffs.
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/ci/42/runs',
      'POST /api/v1/ci/42/trigger',
      'GET /api/v1/ci/42/runs',
      'GET /api/v1/ci/42/runs',
      'GET /api/v1/ci/42/runs',
      'GET /api/v1/datadiffs'
    ])
    expectWellBehaved(outcome)

    const summary = result.summary
    expect(summary).toContain(`[#${PR.pr_number}](${PR_URL})`)
    expect(summary).toContain(`\`${PR.pr_branch}\` into \`${PR.base_branch}\``)
    expect(summary).toContain(PR.pr_sha.slice(0, 7))
    expect(summary).toContain(PR.base_sha.slice(0, 7))
    expect(summary).not.toContain(PR.pr_sha)
    expect(summary).toMatch(/\| Datafold CI run \| 1000 \(run_id 6000\) \|/)
    expect(summary).toMatch(/\| Final status \| `done` \|/)
    expect(summary).toMatch(/\| Conclusion \| ✅ success \|/)
    expect(summary).toMatch(/\| Waited \| \d+s, 3 status checks \|/)
    expect(checksAfterTrigger(requests)).toBe(3)
    expect(summary).toContain(`${host}, CI config 42`)

    // Logs grouped by phase; each status logged once, when it changes.
    expect(result.stdout).toMatch(/^::group::/m)
    expect(result.stdout.match(/is processing \(after/g)).toHaveLength(1)
    expect(commands(result.stdout, 'error')).toEqual([])
  })

  it('fails the step on a failed run, naming the run, its status and the pull request', async () => {
    const outcome = await run({ statuses: ['queued', 'failed'] })
    const { result } = outcome
    expect(result.code).toBe(1)
    expect(result.outputs).toEqual({
      'ci-run-id': '1000',
      'trigger-run-id': '6000',
      'ci-run-started-by': 'trigger',
      status: 'failed',
      verdict: 'failure',
      'data-diffs': '[]',
      'data-diffs-changed': '0'
    })
    const errors = commands(result.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('Datafold CI run 1000')
    expect(errors[0]).toContain('failed')
    expect(errors[0]).toContain(`#${PR.pr_number}`)
    expect(result.summary).toMatch(/\| Conclusion \| ❌ failure \|/)
    expectWellBehaved(outcome)
  })

  it('fails the step on a run Datafold cancelled', async () => {
    const outcome = await run({ statuses: ['queued', 'cancelled'] })
    const { result } = outcome
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({
      status: 'cancelled',
      verdict: 'cancelled'
    })
    const errors = commands(result.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/Datafold CI run 1000.*cancelled/s)
    expect(result.summary).toContain('cancelled')
    expectWellBehaved(outcome)
  })

  it('notes an unknown status once and keeps waiting', async () => {
    const outcome = await run({
      statuses: ['queued', 'rebuilding', 'rebuilding', 'rebuilding', 'done']
    })
    const { result } = outcome
    expect(result.code).toBe(0)
    expect(result.outputs.verdict).toBe('success')
    const notices = commands(result.stdout, 'notice')
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain('rebuilding')
    expectWellBehaved(outcome)
  })

  it('never lets text from Datafold issue a workflow command', async () => {
    const outcome = await run({
      statuses: ['queued', 'odd\n::error::injected\n::set-output name=conclusion::success', 'done']
    })
    const { result } = outcome
    expect(result.code).toBe(0)
    expect(result.stdout).not.toMatch(/^::(error|set-output)/m)
    expect(commands(result.stdout, 'error')).toEqual([])
    expect(commands(result.stdout, 'notice')).toHaveLength(1)
    expect(result.outputs).toMatchObject({
      status: 'done',
      verdict: 'success'
    })
    expectWellBehaved(outcome)
  })

  it('takes the host from DATAFOLD_HOST when datafold-host is empty', async () => {
    const standIn = await startStandIn({ apiKey: API_KEY, statuses: ['done'] })
    try {
      const result = await runAction({
        inputs: { ...standInInputs(''), 'datafold-host': '' },
        env: { DATAFOLD_HOST: `${standIn.url}/` }
      })
      expect(result.code).toBe(0)
      expect(result.outputs.verdict).toBe('success')
      expect(standIn.requests.map((r) => r.path)).toContain('/api/v1/ci/42/trigger')
      expect(result.summary).toContain(`${standIn.url}, CI config 42`)
    } finally {
      await standIn.close()
    }
  })

  it('with wait: false and trigger: always, triggers once, sends no status check, and passes with the ids', async () => {
    const outcome = await run({}, { wait: 'false', trigger: 'always' })
    const { result, requests } = outcome
    expect(result.code).toBe(0)
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/v1/ci/42/trigger'])
    expect(result.outputs).toMatchObject({
      'ci-run-id': '1000',
      'trigger-run-id': '6000'
    })
    expect(result.outputs.verdict ?? '').toBe('')
    expect(result.summary).toContain('1000')
    expectWellBehaved(outcome)
  })

  it('when the trigger names no run, follows the new run and never an older one of the commit', async () => {
    // Two earlier runs of the same commit and pull request, both done; the new one fails.
    const outcome = await run(
      {
        nullIds: true,
        statuses: ['queued', 'processing', 'failed'],
        existingRuns: [
          { id: 990, status: 'done', pr_num: String(PR.pr_number), pr_sha: PR.pr_sha },
          { id: 2000, status: 'done', pr_num: String(PR.pr_number), pr_sha: PR.pr_sha }
        ]
      },
      { trigger: 'always' }
    )
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({
      'ci-run-id': '1000',
      status: 'failed',
      verdict: 'failure'
    })
    expect(result.stdout).toContain('Following Datafold CI run 1000')
    expect(commands(result.stdout, 'error')[0]).toContain('Datafold CI run 1000')
    expect(result.summary).toMatch(/\| Datafold CI run \| 1000 \|/)
    expect(lists(requests)[0].method).toBe('GET')
    expect(triggers(requests)).toHaveLength(1)
    expectWellBehaved(outcome)
  })

  it('concludes skipped when Datafold starts no run, listing the reasons, and passes', async () => {
    const outcome = await run({ nullIds: true, noRun: true }, { 'start-timeout-minutes': '0.01' })
    const { result, requests } = outcome
    expect(result.code).toBe(0)
    expect(result.outputs).toEqual({ verdict: 'skipped' })
    const warnings = commands(result.stdout, 'warning')
    expect(warnings).toHaveLength(1)
    for (const reason of ['datafold-skip-ci', 'label', 'ignore', 'base branch'])
      expect(warnings[0]).toContain(reason)
    expect(result.summary).toContain('⏭️ skipped')
    expect(result.summary).toContain('datafold-skip-ci')
    expect(triggers(requests)).toHaveLength(1)
    expectWellBehaved(outcome)
  })

  it('fails a skipped run with fail-on-skip: true', async () => {
    const outcome = await run(
      { nullIds: true, noRun: true },
      { 'start-timeout-minutes': '0.01', 'fail-on-skip': 'true' }
    )
    expect(outcome.result.code).toBe(1)
    expect(outcome.result.outputs.verdict).toBe('skipped')
    expect(commands(outcome.result.stdout, 'error')[0]).toContain('fail-on-skip')
    expectWellBehaved(outcome)
  })

  it('says Datafold refused the API key on a 401, without printing either key', async () => {
    const wrongKey = 'dfk_wrong_Hh5Jj6Kk7Ll8'
    const outcome = await run({}, { 'api-key': wrongKey })
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(requests).toHaveLength(1) // a 4xx is never retried
    const errors = commands(result.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain('Datafold refused the API key')
    expect(result.summary).toContain('Datafold refused the API key')
    expect(keyLeaks(result, wrongKey)).toEqual([])
    expect(requests[0].headers.authorization).toBe(`Key ${wrongKey}`)
  })

  it('says which CI config was not found on which host on a 404', async () => {
    const outcome = await run({}, { 'ci-config-id': '43' })
    const { result, requests, host } = outcome
    expect(result.code).toBe(1)
    expect(requests).toHaveLength(1)
    expect(commands(result.stdout, 'error')[0]).toContain(`CI config 43 was not found on ${host}`)
    expect(result.summary).toContain('CI config 43 was not found')
    expect(result.outputs).toEqual({})
    expectWellBehaved(outcome)
  })

  it("shows Datafold's 422 detail list as readable lines", async () => {
    const detail = [
      { loc: ['body', 'pr_branch'], msg: 'branch is not tracked', type: 'value_error' },
      { loc: ['body', 'base_sha'], msg: 'unknown commit', type: 'value_error' }
    ]
    const outcome = await run({
      faults: { trigger: [{ status: 422, body: JSON.stringify({ detail }) }] }
    })
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(triggers(requests)).toHaveLength(1)
    const error = commands(result.stdout, 'error')[0]
    expect(error).toContain('HTTP 422')
    expect(error).toContain('body.pr_branch: branch is not tracked')
    expect(error).toContain('body.base_sha: unknown commit')
    expectWellBehaved(outcome)
  })

  // Each input's rules are unit tests (inputs.test.ts, main.test.ts); here the bundle shows that
  // bad inputs reach the runner as errors naming them, with nothing sent and no key shown.
  describe('rejects invalid inputs before sending anything', () => {
    it('names every bad input with its value, sends nothing and sets no output', async () => {
      const bad: [string, string, string][] = [
        ['ci-config-id', 'abc', '"abc"'],
        ['datafold-host', 'ftp://datafold.example.com', '"ftp://datafold.example.com"'],
        ['pr-sha', 'abc123', '"abc123"'],
        ['wait', 'maybe', '"maybe"'],
        ['wait-timeout-minutes', '0', '"0"']
      ]
      const outcome = await run({}, Object.fromEntries(bad.map(([name, value]) => [name, value])))
      const { result, requests } = outcome
      expect(result.code).toBe(1)
      expect(requests).toHaveLength(0)
      const errors = commands(result.stdout, 'error')
      for (const [name, , shown] of bad) {
        const mine = errors.find((e) => e.includes(`Input ${name} `))
        expect({ name, mine: mine?.includes(shown) }).toEqual({ name, mine: true })
      }
      expect(result.outputs).toEqual({})
      expect(keyLeaks(result)).toEqual([])
    })

    it('api-key with a space: names the input but never shows the value', async () => {
      const key = 'dfk secret Zz9Yy8'
      const outcome = await run({}, { 'api-key': key })
      const { result, requests } = outcome
      expect(result.code).toBe(1)
      expect(requests).toHaveLength(0)
      expect(commands(result.stdout, 'error').join('\n')).toMatch(/api-key/)
      // Masked (the one line the runner needs) and in no other line, output or summary.
      expect(keyLeaks(result, key)).toEqual([])
      const lines = result.stdout.split('\n')
      expect(lines).toContain(`::add-mask::${key}`)
      expect(
        lines.filter((line) => line.includes('Zz9Yy8') && !line.startsWith('::add-mask::'))
      ).toEqual([])
    })
  })

  it('takes the key from DATAFOLD_API_KEY when api-key is empty', async () => {
    const outcome = await run({}, { 'api-key': '' }, { env: { DATAFOLD_API_KEY: API_KEY } })
    expect(outcome.result.code).toBe(0)
    expectWellBehaved(outcome)
  })

  it('passes every input to the action as the runner names it, defaults from action.yml included', () => {
    expect(inputVariable('ci-config-id')).toBe('INPUT_CI-CONFIG-ID')
    expect(inputVariable('my input')).toBe('INPUT_MY_INPUT')
  })

  it('on an event without a pull request and no overrides, names the event and the missing inputs', async () => {
    const outcome = await run({}, {}, DISPATCH)
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(requests).toHaveLength(0)
    const error = commands(result.stdout, 'error').join('\n')
    expect(error).toContain('workflow_dispatch')
    for (const name of ['pr-number', 'pr-branch', 'base-branch', 'pr-sha', 'base-sha'])
      expect(error).toContain(name)
    expect(result.summary).not.toBe('')
  })

  it('names only the inputs still missing when some overrides are given', async () => {
    const outcome = await run({}, { 'pr-number': '7', 'pr-sha': PR.pr_sha }, DISPATCH)
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(requests).toHaveLength(0)
    const error = commands(result.stdout, 'error').join('\n')
    for (const name of ['pr-branch', 'base-branch', 'base-sha']) expect(error).toContain(name)
  })

  it('on workflow_dispatch with all five overrides, checks the pull request they name', async () => {
    const pr = {
      pr_number: 17,
      pr_branch: 'feature/orders',
      base_branch: 'main',
      pr_sha: 'a'.repeat(40),
      base_sha: 'b'.repeat(40)
    }
    const outcome = await run(
      {},
      {
        'pr-number': '17',
        'pr-branch': 'refs/heads/feature/orders',
        'base-branch': 'main',
        'pr-sha': 'A'.repeat(40),
        'base-sha': 'b'.repeat(40)
      },
      DISPATCH
    )
    const { result, requests } = outcome
    expect(result.code).toBe(0)
    expect(result.outputs.verdict).toBe('success')
    expect(triggers(requests)).toHaveLength(1)
    expect(result.summary).toContain(`https://github.com/${REPOSITORY}/pull/17`)
    expectWellBehaved(outcome, pr)
  })

  it('on a pull_request event, an input overrides one field and the event gives the rest', async () => {
    const outcome = await run({}, { 'base-branch': 'release' })
    expect(outcome.result.code).toBe(0)
    expectWellBehaved(outcome, { ...PR, base_branch: 'release' })
  })
})
