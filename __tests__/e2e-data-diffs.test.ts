/**
 * The run's data diffs end to end: the bundled action (dist/index.js) against the stand-in
 * Datafold on a real socket. Checks the exact requests, the outputs, the job summary as written
 * and as GitHub renders it, the log, and the gate of fail-on-data-changes.
 */
import { linksIn, renderGfm } from '../__fixtures__/gfm.js'
import { specViolations } from '../__fixtures__/openapi.js'
import {
  commands,
  keyLeaks,
  runAgainstStandIn as run,
  type StandInRunResult
} from '../__fixtures__/run-action.js'
import { PRESETS, type RecordedRequest } from '../scripts/stand-in-datafold.js'

const RUNS = 'GET /api/v1/ci/42/runs'
const TRIGGER = 'POST /api/v1/ci/42/trigger'
const DIFFS = 'GET /api/v1/datadiffs'
const QUERY = { ci_run_id: '1000', order_by: 'id', sort_order: 'asc', page_size: '100' }
const GATE = { 'fail-on-data-changes': 'true' }

const calls = (requests: RecordedRequest[]): string[] =>
  requests.map((r) => `${r.method} ${r.path}`)
const diffLists = (requests: RecordedRequest[]): RecordedRequest[] =>
  requests.filter((r) => r.path === '/api/v1/datadiffs')

function expectSound({ result, requests }: StandInRunResult): void {
  expect(result.killed).toBe(false)
  for (const request of requests) expect(specViolations(request)).toEqual([])
  expect(keyLeaks(result)).toEqual([])
}

describe('the data diffs of the run, end to end', () => {
  it('a run that changed tables: one more request, the outputs and the summary section', async () => {
    const outcome = await run(PRESETS.changed)
    const { result, requests, host } = outcome
    expectSound(outcome)
    expect(result.code).toBe(0)
    expect(calls(requests)).toEqual([RUNS, TRIGGER, RUNS, RUNS, RUNS, DIFFS])
    expect(requests[5].query).toEqual({ ...QUERY, page: '1' })
    expect(result.outputs.verdict).toBe('success')
    expect(JSON.parse(result.outputs['data-diffs'])).toEqual([
      {
        id: 1,
        table: 'analytics.pr_2.orders',
        result: 'different',
        rows_added: 12,
        rows_removed: 3,
        rows_changed: 340,
        match_ratio: 0.9821,
        url: `${host}/datadiffs/1/overview`
      },
      {
        id: 2,
        table: 'analytics.pr_2.customers',
        result: 'different',
        rows_added: 0,
        rows_removed: 0,
        rows_changed: 5,
        match_ratio: 0.9995,
        url: `${host}/datadiffs/2/overview`
      },
      {
        id: 3,
        table: 'analytics.pr_2.payments',
        result: 'identical',
        rows_added: 0,
        rows_removed: 0,
        rows_changed: 0,
        match_ratio: 1,
        url: `${host}/datadiffs/3/overview`
      },
      {
        id: 4,
        table: 'analytics.pr_2.refunds',
        result: 'empty',
        rows_added: 0,
        rows_removed: 0,
        rows_changed: 0,
        match_ratio: null,
        url: `${host}/datadiffs/4/overview`
      }
    ])
    expect(result.outputs['data-diffs-changed']).toBe('2')
    const section = result.summary.slice(result.summary.indexOf('#### Data diffs'))
    expect(section).toBe(
      [
        '#### Data diffs',
        '',
        '2 of 4 tables changed (2 different, 1 identical, 1 empty).',
        '',
        '| Table | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Details |',
        '| --- | --- | ---: | ---: | ---: | ---: | --- |',
        `| \`analytics.pr_2.customers\` | 🔶 different | 0 | 0 | 5 | 99.95 % | [#2](${host}/datadiffs/2/overview) |`,
        `| \`analytics.pr_2.orders\` | 🔶 different | 12 | 3 | 340 | 98.21 % | [#1](${host}/datadiffs/1/overview) |`,
        `| \`analytics.pr_2.payments\` | ✅ identical | 0 | 0 | 0 | 100 % | [#3](${host}/datadiffs/3/overview) |`,
        `| \`analytics.pr_2.refunds\` | ⚪ empty | 0 | 0 | 0 | – | [#4](${host}/datadiffs/4/overview) |`,
        '',
        // The runner's summary writer ends what it appends with a line break.
        ''
      ].join('\n')
    )
    const html = renderGfm(result.summary)
    expect(linksIn(html).filter((link) => link.includes('/datadiffs/'))).toEqual(
      [2, 1, 3, 4].map((id) => `${host}/datadiffs/${id}/overview`)
    )
    expect(result.stdout).toContain('::group::Data diffs')
    expect(result.stdout).toContain(
      'Datafold lists 4 data diffs for CI run 1000: 2 different, 1 identical, 1 empty.'
    )
    expect(commands(result.stdout, 'error')).toEqual([])
  })

  it('with fail-on-data-changes, changed tables fail the step, naming them', async () => {
    const outcome = await run(PRESETS['fail-on-changes'], GATE)
    const { result, requests } = outcome
    expectSound(outcome)
    expect(result.code).toBe(1)
    expect(calls(requests)).toEqual([RUNS, TRIGGER, RUNS, RUNS, RUNS, DIFFS])
    expect(result.outputs).toMatchObject({
      status: 'done',
      verdict: 'failure',
      'data-diffs-changed': '2'
    })
    expect(commands(result.stdout, 'error')).toEqual([
      'Datafold CI run 1000 for pull request #2 (changes at ec26c3e) finished with status done, but fail-on-data-changes is true and\n- 2 tables differ: analytics.pr_2.customers, analytics.pr_2.orders.'
    ])
    expect(result.summary).toMatch(/^### ❌ Datafold CI found data changes\n/)
  })

  it('with fail-on-data-changes, diffs still running are listed again until they are done', async () => {
    const outcome = await run(
      {
        statuses: ['done'],
        dataDiffs: [
          { table: 'db.pr.orders', result: 'identical', runningFor: 2 },
          { table: 'db.pr.users', result: 'empty' }
        ]
      },
      GATE
    )
    const { result, requests } = outcome
    expectSound(outcome)
    expect(result.code).toBe(0)
    expect(calls(requests)).toEqual([RUNS, TRIGGER, RUNS, DIFFS, DIFFS, DIFFS])
    expect(result.outputs).toMatchObject({
      verdict: 'success',
      'data-diffs-changed': '0'
    })
    expect(result.stdout).toContain(
      '1 of 2 data diffs has no result yet; fail-on-data-changes needs every result, so they are checked again in'
    )
  })

  it('against a Datafold that ignores the filter: every page read, and diffs outside CI (no ci_run_id) leave it unproven', async () => {
    const outcome = await run(
      { ...PRESETS.changed, statuses: ['done'], ignoreFilter: true, otherDiffs: 240 },
      GATE
    )
    const { result, requests } = outcome
    expectSound(outcome)
    // 240 diffs of other runs and outside CI, then this run's 4: three pages, in order of id.
    expect(diffLists(requests).map((r) => r.query)).toEqual([
      { ...QUERY, page: '1' },
      { ...QUERY, page: '2' },
      { ...QUERY, page: '3' }
    ])
    expect(result.outputs['data-diffs']).toBeUndefined()
    expect(result.code).toBe(1)
    expect(commands(result.stdout, 'error')[0]).toContain(
      'Datafold listed 80 data diffs without a ci_run_id; any of them may belong to this run.'
    )
  })

  it('a run with exactly 1,000 data diffs: every page read, a 404 past the end confirms it, the gate passes', async () => {
    const dataDiffs = Array.from({ length: 1000 }, (_, i) => ({
      table: `db.pr.model_${i}`,
      result: 'identical' as const
    }))
    const outcome = await run({ statuses: ['done'], dataDiffs }, GATE)
    const { result, requests } = outcome
    expectSound(outcome)
    expect(result.code).toBe(0)
    // Ten full pages, then page 11, which Datafold answers 404 "Invalid page.".
    expect(diffLists(requests).map((r) => r.query.page)).toEqual(
      Array.from({ length: 11 }, (_, i) => String(i + 1))
    )
    expect(result.outputs).toMatchObject({ verdict: 'success', 'data-diffs-changed': '0' })
    expect(JSON.parse(result.outputs['data-diffs'])).toHaveLength(1000)
    expect(commands(result.stdout, 'notice')).toEqual([])
    expect(result.summary).toContain('Showing the first 50 of 1,000 data diffs')
  })

  it('a 403 for the list: a notice and a summary line; the verdict of the run stands', async () => {
    const outcome = await run(
      { ...PRESETS.success, faults: { datadiffs: [{ status: 403, body: '{"detail":"no"}' }] } },
      {}
    )
    const { result, requests, host } = outcome
    expectSound(outcome)
    expect(result.code).toBe(0)
    expect(diffLists(requests)).toHaveLength(1)
    expect(result.outputs.verdict).toBe('success')
    expect(result.outputs['data-diffs']).toBeUndefined()
    expect(commands(result.stdout, 'notice')).toEqual([
      `The data diffs of Datafold CI run 1000 could not be read: Datafold did not let the API key list data diffs (HTTP 403) at ${host}. The key can run CI config 42, but its user may lack access to data diffs or to the data sources they compare; ask a Datafold admin, or set show-data-diffs: false. The run's own verdict stands.`
    ])
    expect(result.summary).toContain('#### Data diffs\n\nData diffs could not be read\\: ')
  })

  it('the same 403 with fail-on-data-changes fails the step, saying why', async () => {
    const outcome = await run(
      { ...PRESETS.success, faults: { datadiffs: [{ status: 403 }] } },
      GATE
    )
    expectSound(outcome)
    expect(outcome.result.code).toBe(1)
    expect(outcome.result.outputs.verdict).toBe('failure')
    expect(commands(outcome.result.stdout, 'error')[0]).toMatch(
      /\n- the data diffs could not be read: Datafold did not let the API key list data diffs \(HTTP 403\)/
    )
  })

  it('a 500 that echoes the key is retried, and the key appears nowhere', async () => {
    const outcome = await run(
      { ...PRESETS.changed, faults: { datadiffs: [{ kind: 'echo' }, { kind: 'echo', pad: 280 }] } },
      GATE
    )
    expectSound(outcome)
    expect(diffLists(outcome.requests)).toHaveLength(3)
    expect(outcome.result.outputs['data-diffs-changed']).toBe('2')
  })

  it('an HTML page for the list is not retried; the run passes without the gate', async () => {
    const outcome = await run({
      ...PRESETS.success,
      faults: { datadiffs: [{ kind: 'not-json' }] }
    })
    expectSound(outcome)
    expect(outcome.result.code).toBe(0)
    expect(diffLists(outcome.requests)).toHaveLength(1)
    expect(commands(outcome.result.stdout, 'notice')[0]).toMatch(
      /not what its API documents \(expected JSON with results and total_pages\): Service temporarily in maintenance mode/
    )
  })

  it('show-data-diffs: false sends no request for them', async () => {
    const outcome = await run(PRESETS.changed, { 'show-data-diffs': 'false' })
    expectSound(outcome)
    expect(calls(outcome.requests)).toEqual([RUNS, TRIGGER, RUNS, RUNS, RUNS])
    expect(outcome.result.outputs['data-diffs']).toBeUndefined()
    expect(outcome.result.summary).not.toContain('Data diffs')
  })

  it('a cancelled run: no request for its data diffs', async () => {
    const outcome = await run({ ...PRESETS.cancelled, dataDiffs: PRESETS.changed.dataDiffs })
    expect(calls(outcome.requests)).toEqual([RUNS, TRIGGER, RUNS, RUNS])
    expect(outcome.result.code).toBe(1)
  })
})
