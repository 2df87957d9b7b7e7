/**
 * The stand-in Datafold's list of data diffs (scripts/stand-in-datafold.js), which the demo and the
 * end-to-end tests rely on: answers the spec accepts, the ci_run_id filter (or not, with
 * ignoreFilter), PostgreSQL's order, pages, and diffs that are still running for a few lists; and
 * its API integration, whose run waits for the table pairs uploaded to it.
 */
import { responseViolations } from '../__fixtures__/openapi.js'
import { startStandIn, type Scenario, type StandIn } from '../scripts/stand-in-datafold.js'

const KEY = 'stand-in-test-key'
const PR = {
  pr_number: 2,
  pr_branch: 'changes',
  base_branch: 'master',
  pr_sha: 'a'.repeat(40),
  base_sha: 'b'.repeat(40)
}

interface Page {
  page: number
  total_pages: number
  count: number
  results: { id: number; ci_run_id: number | null; result: string | null; status: string }[]
}

let standIn: StandIn | undefined
afterEach(async () => {
  await standIn?.close()
  standIn = undefined
})

async function start(scenario: Scenario): Promise<StandIn> {
  standIn = await startStandIn({ apiKey: KEY, ...scenario })
  return standIn
}

async function call(
  path: string,
  init: RequestInit = {}
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${standIn?.url}${path}`, {
    ...init,
    headers: { Authorization: `Key ${KEY}`, 'Content-Type': 'application/json', ...init.headers }
  })
  return { status: response.status, body: await response.json() }
}

const trigger = async (): Promise<number> =>
  (
    (await call('/api/v1/ci/42/trigger', { method: 'POST', body: JSON.stringify(PR) })).body as {
      ci_run_id: number
    }
  ).ci_run_id

async function list(query: string): Promise<Page> {
  const { status, body } = await call(`/api/v1/datadiffs?${query}`)
  expect(status).toBe(200)
  expect(responseViolations('GET', '/api/v1/datadiffs', body)).toEqual([])
  return body as Page
}

describe('the stand-in lists data diffs', () => {
  it("filters by ci_run_id: each created run has the scenario's diffs", async () => {
    await start({
      dataDiffs: [
        { table: 'db.pr.orders', result: 'different', rowsChanged: 4 },
        { result: 'empty' }
      ],
      otherDiffs: 6
    })
    const run = await trigger()
    const page = await list(`ci_run_id=${run}`)
    expect(page.results.map((d) => [d.ci_run_id, d.result])).toEqual([
      [run, 'different'],
      [run, 'empty']
    ])
    expect(page).toMatchObject({ page: 1, total_pages: 1, count: 2 })
  })

  it('with ignoreFilter lists every diff, nulls first when descending, and pages them', async () => {
    await start({ dataDiffs: [{}, {}], otherDiffs: 9, ignoreFilter: true })
    const run = await trigger()
    const all = await list(`ci_run_id=${run}&order_by=ci_run_id&sort_order=desc&page_size=100`)
    expect(all.count).toBe(12)
    const runIds = all.results.map((d) => d.ci_run_id)
    expect(runIds.slice(0, 3)).toEqual([null, null, null])
    const numbers = runIds.filter((id): id is number => id !== null)
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a))
    expect(runIds.filter((id) => id === run)).toHaveLength(2)
    const second = await list(
      `ci_run_id=${run}&order_by=ci_run_id&sort_order=desc&page=2&page_size=5`
    )
    expect(second).toMatchObject({ page: 2, total_pages: 3 })
    expect(second.results.map((d) => d.id)).toEqual(all.results.slice(5, 10).map((d) => d.id))
  })

  it('shows a diff processing, without a result, for its first lists', async () => {
    await start({ dataDiffs: [{ result: 'different', runningFor: 2 }] })
    const run = await trigger()
    const seen = []
    for (let i = 0; i < 3; i++) {
      const [diff] = (await list(`ci_run_id=${run}`)).results
      seen.push([diff.status, diff.result])
    }
    expect(seen).toEqual([
      ['processing', null],
      ['processing', null],
      ['done', 'different']
    ])
  })

  it('refuses a wrong key and answers faults in order', async () => {
    await start({ faults: { datadiffs: [{ status: 503 }] } })
    expect((await call('/api/v1/datadiffs')).status).toBe(503)
    expect(
      (await call('/api/v1/datadiffs', { headers: { Authorization: 'Key nope' } })).status
    ).toBe(401)
    expect((await call('/api/v1/datadiffs')).status).toBe(200)
  })
})

describe('an API integration: a run waits for its table pairs', () => {
  const PAIRS = [
    { prod: 'db.prod.a', pr: 'db.pr_2.a' },
    { prod: 'db.prod.b', pr: 'db.pr_2.b', pk: ['id'] }
  ]
  const statuses = async (): Promise<string[]> =>
    ((await call(`/api/v1/ci/42/runs?pr_sha=${PR.pr_sha}`)).body as { status: string }[]).map(
      (run) => run.status
    )
  const upload = (body: unknown, prNumber = 2) =>
    call(`/api/v1/ci/42/${prNumber}`, { method: 'POST', body: JSON.stringify(body) })

  it('stays waiting until the pairs arrive, then runs, with one data diff per pair', async () => {
    const server = await start({ apiIntegration: true, statuses: ['processing', 'done'] })
    const id = await trigger()
    expect(await statuses()).toEqual(['waiting'])
    expect(await statuses()).toEqual(['waiting'])
    const answer = await upload(PAIRS)
    expect(answer).toEqual({ status: 200, body: { ci_run_id: id, run_id: id + 5000 } })
    expect(responseViolations('POST', '/api/v1/ci/42/2', answer.body)).toEqual([])
    expect(await statuses()).toEqual(['processing'])
    expect(await statuses()).toEqual(['done'])
    expect(server.uploads).toEqual([{ prNumber: 2, runId: id, pairs: PAIRS }])
    const page = (await call(`/api/v1/datadiffs?ci_run_id=${id}`)).body as Page
    expect(page.results.map((diff) => (diff as unknown as { table2: string[] }).table2)).toEqual([
      ['db', 'pr_2', 'a'],
      ['db', 'pr_2', 'b']
    ])
  })

  it('answers 404 when no run of the pull request waits, and 422 for a body that is not a list of pairs', async () => {
    await start({ apiIntegration: true })
    expect((await upload(PAIRS)).status).toBe(404)
    await trigger()
    expect((await upload(PAIRS, 3)).status).toBe(404)
    expect(await upload([{ prod: 'db.prod.a' }])).toEqual({
      status: 422,
      body: {
        detail: [{ loc: ['body', 0, 'pr'], msg: 'field required', type: 'value_error.missing' }]
      }
    })
    expect((await upload({ prod: 'a', pr: 'b' })).status).toBe(422)
  })
})

describe("the stand-in: Datafold's own run (webhook)", () => {
  const runs = async (
    sha = PR.pr_sha
  ): Promise<{ id: number; status: string; pr_sha: string }[]> => {
    const { status, body } = await call(`/api/v1/ci/42/runs?pr_sha=${sha}&limit=100&offset=0`)
    expect(status).toBe(200)
    expect(responseViolations('GET', '/api/v1/ci/{ci_config_id}/runs', body)).toEqual([])
    return body as { id: number; status: string; pr_sha: string }[]
  }

  it.each([
    ['waiting', ['waiting', 'processing', 'done', 'done']],
    ['processing', ['processing', 'done', 'done']],
    ['done', ['done', 'done']]
  ] as const)('starts in %s and goes on one status per list: %j', async (state, expected) => {
    await start({ webhook: { pr: PR, state } })
    const seen: string[] = []
    for (const _ of expected) seen.push((await runs())[0].status)
    expect(seen).toEqual(expected)
    expect(standIn?.runs.map((r) => [r.id, r.webhook])).toEqual([[1000, true]])
  })

  it('appears after appearAfter lists, and a trigger then makes a second run', async () => {
    await start({ webhook: { pr: PR, state: 'processing', appearAfter: 1 } })
    expect(await runs()).toEqual([])
    expect(await trigger()).toBe(1001)
    expect((await runs()).map((r) => r.id)).toEqual([1001, 1000])
  })

  it('an API integration keeps it waiting until its table pairs come', async () => {
    await start({ apiIntegration: true, webhook: { pr: PR, state: 'processing' } })
    expect((await runs())[0].status).toBe('waiting')
    expect((await runs())[0].status).toBe('waiting')
    const pairs = [{ prod: 'a.prod.t', pr: 'a.pr.t' }]
    const upload = await call('/api/v1/ci/42/2', { method: 'POST', body: JSON.stringify(pairs) })
    expect(upload.body).toEqual({ ci_run_id: 1000, run_id: 6000 })
    expect((await runs())[0].status).toBe('processing')
  })

  it('ignoreShaFilter lists the runs of every commit', async () => {
    await start({
      ignoreShaFilter: true,
      existingRuns: [{ id: 7, status: 'done', pr_sha: 'c'.repeat(40) }]
    })
    expect((await runs()).map((r) => [r.id, r.pr_sha])).toEqual([[7, 'c'.repeat(40)]])
  })
})
