/**
 * dbt-manifest end to end: the bundled action (dist/index.js) against the stand-in Datafold, with
 * the manifest of __fixtures__/dbt/shop (a Snowflake project). Checks the annotations' exact
 * workflow-command lines (file, line, title, message), the job summary as GitHub renders it, and
 * that a bad manifest fails the step before anything is sent.
 */
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { linksIn, renderGfm, textOf } from '../__fixtures__/gfm.js'
import {
  keyLeaks,
  REPOSITORY,
  runAgainstStandIn as run,
  type StandInRunResult
} from '../__fixtures__/run-action.js'
import { PRESETS } from '../scripts/stand-in-datafold.js'

const MANIFEST = '__fixtures__/dbt/shop/target/manifest.json'
const PROJECT = '__fixtures__/dbt/shop'
const HEAD_SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
const WITH_MANIFEST = { 'dbt-manifest': MANIFEST }
const GATE = { ...WITH_MANIFEST, 'fail-on-data-changes': 'true' }

/** The log's annotation commands as the runner reads them: `::warning …` and `::error …` lines. */
const annotationLines = (stdout: string): string[] =>
  stdout.split('\n').filter((line) => /^::(warning|error)[ :]/.test(line))

/** One annotation command as @actions/core writes it (properties and data escaped). */
function line(level: 'warning' | 'error', file: string, title: string, message: string[]): string {
  const property = (value: string): string =>
    value.replace(/%/g, '%25').replace(/:/g, '%3A').replace(/,/g, '%2C')
  const data = message.map((text) => text.replace(/%/g, '%25')).join('%0A')
  return `::${level} title=${property(title)},file=${PROJECT}/${file},line=1::${data}`
}

function expectSound({ result }: StandInRunResult): void {
  expect(result.killed).toBe(false)
  expect(keyLeaks(result)).toEqual([])
}

describe('dbt-manifest: annotations on the changed models, end to end', () => {
  it('annotates changed models largest first (warnings), skips unchanged and unmatched tables, and names each model in the summary', async () => {
    const outcome = await run(PRESETS.annotations, WITH_MANIFEST)
    const { result, host } = outcome
    expectSound(outcome)
    expect(result.code).toBe(0)
    expect(annotationLines(result.stdout)).toEqual([
      line(
        'warning',
        'models/marts/core/fct_orders.sql',
        'Data changed: ANALYTICS.DBT_PR_2.ORDERS',
        [
          '12 rows added, 3 removed, 340 changed; 98.21 % match.',
          'Changed columns: AMOUNT, STATUS.',
          `Data diff: ${host}/datadiffs/1/overview`
        ]
      ),
      line(
        'warning',
        'models/marts/core/dim_customers.sql',
        'Data changed: ANALYTICS.DBT_PR_2.Customers',
        [
          '0 rows added, 0 removed, 5 changed; 99.95 % match.',
          'Changed columns: FIRST_ORDER.',
          `Data diff: ${host}/datadiffs/2/overview`
        ]
      ),
      line(
        'warning',
        'snapshots/orders_snapshot.sql',
        'Data changed: ANALYTICS.SNAPSHOTS.ORDERS_SNAPSHOT',
        [
          '1 row added, 0 removed, 0 changed; 99.9 % match.',
          `Data diff: ${host}/datadiffs/4/overview`
        ]
      ),
      line(
        'warning',
        'seeds/reference/country_codes.csv',
        'Data not compared: ANALYTICS.DBT_PR_2.COUNTRY_CODES',
        [
          'Datafold could not compare this table (result missing-pks).',
          `Data diff: ${host}/datadiffs/5/overview`
        ]
      )
    ])
    expect(result.stdout).toContain(
      `dbt manifest ${MANIFEST}: 17 models, seeds and snapshots of shop (adapter snowflake) in ${PROJECT}/.`
    )

    const blob = `https://github.com/${REPOSITORY}/blob/${HEAD_SHA}/${PROJECT}`
    const section = result.summary.slice(result.summary.indexOf('#### Data diffs'))
    expect(section).toBe(
      [
        '#### Data diffs',
        '',
        '5 of 7 tables changed (5 different, 1 missing-pks, 1 identical).',
        '',
        '| Table | Model | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Changed columns | Details |',
        '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
        `| \`ANALYTICS.DBT_PR_2.CUSTOMERS\` | – | 🔶 different | 0 | 0 | 7 | 99.93 % | – | [#6](${host}/datadiffs/6/overview) |`,
        `| \`ANALYTICS.DBT_PR_2.Customers\` | [\`${PROJECT}/models/marts/core/dim_customers.sql\`](${blob}/models/marts/core/dim_customers.sql) | 🔶 different | 0 | 0 | 5 | 99.95 % | \`FIRST_ORDER\` | [#2](${host}/datadiffs/2/overview) |`,
        `| \`ANALYTICS.DBT_PR_2.LEGACY_ORDERS\` | – | 🔶 different | 0 | 40 | 0 | 96 % | – | [#7](${host}/datadiffs/7/overview) |`,
        `| \`ANALYTICS.DBT_PR_2.ORDERS\` | [\`${PROJECT}/models/marts/core/fct_orders.sql\`](${blob}/models/marts/core/fct_orders.sql) | 🔶 different | 12 | 3 | 340 | 98.21 % | \`AMOUNT\`, \`STATUS\` | [#1](${host}/datadiffs/1/overview) |`,
        `| \`ANALYTICS.SNAPSHOTS.ORDERS_SNAPSHOT\` | [\`${PROJECT}/snapshots/orders_snapshot.sql\`](${blob}/snapshots/orders_snapshot.sql) | 🔶 different | 1 | 0 | 0 | 99.9 % | – | [#4](${host}/datadiffs/4/overview) |`,
        `| \`ANALYTICS.DBT_PR_2.COUNTRY_CODES\` | [\`${PROJECT}/seeds/reference/country_codes.csv\`](${blob}/seeds/reference/country_codes.csv) | ❌ missing-pks | – | – | – | – | – | [#5](${host}/datadiffs/5/overview) |`,
        `| \`ANALYTICS.DBT_PR_2.PAYMENTS\` | [\`${PROJECT}/models/marts/finance/payments.sql\`](${blob}/models/marts/finance/payments.sql) | ✅ identical | 0 | 0 | 0 | 100 % | – | [#3](${host}/datadiffs/3/overview) |`,
        '',
        ''
      ].join('\n')
    )
    const html = renderGfm(result.summary)
    expect(linksIn(html).filter((link) => link.includes('/blob/'))).toEqual([
      `${blob}/models/marts/core/dim_customers.sql`,
      `${blob}/models/marts/core/fct_orders.sql`,
      `${blob}/snapshots/orders_snapshot.sql`,
      `${blob}/seeds/reference/country_codes.csv`,
      `${blob}/models/marts/finance/payments.sql`
    ])
    // Nine cells in every row, as rendered: no name broke out of its cell.
    const diffTable = html.slice(html.lastIndexOf('<table>'))
    const rows = diffTable.match(/<tr>[\s\S]*?<\/tr>/g) ?? []
    const dataRows = rows.filter((row) => row.includes('<td'))
    expect(dataRows).toHaveLength(7)
    for (const row of dataRows) expect(row.match(/<td/g)).toHaveLength(9)
    expect(textOf(html)).not.toContain('not annotated')
  })

  it('with fail-on-data-changes failing on them, the same annotations are errors, before the verdict', async () => {
    const outcome = await run(PRESETS.annotations, GATE)
    const { result, host } = outcome
    expectSound(outcome)
    expect(result.code).toBe(1)
    const lines = annotationLines(result.stdout)
    expect(lines.slice(0, 4).map((l) => l.slice(0, l.indexOf('::', 2)))).toEqual([
      `::error title=Data changed%3A ANALYTICS.DBT_PR_2.ORDERS,file=${PROJECT}/models/marts/core/fct_orders.sql,line=1`,
      `::error title=Data changed%3A ANALYTICS.DBT_PR_2.Customers,file=${PROJECT}/models/marts/core/dim_customers.sql,line=1`,
      `::error title=Data changed%3A ANALYTICS.SNAPSHOTS.ORDERS_SNAPSHOT,file=${PROJECT}/snapshots/orders_snapshot.sql,line=1`,
      `::error title=Data not compared%3A ANALYTICS.DBT_PR_2.COUNTRY_CODES,file=${PROJECT}/seeds/reference/country_codes.csv,line=1`
    ])
    expect(lines[0]).toBe(
      line('error', 'models/marts/core/fct_orders.sql', 'Data changed: ANALYTICS.DBT_PR_2.ORDERS', [
        '12 rows added, 3 removed, 340 changed; 98.21 % match.',
        'Changed columns: AMOUNT, STATUS.',
        `Data diff: ${host}/datadiffs/1/overview`
      ])
    )
    // Then the verdict, the step's own error, with no file.
    expect(lines).toHaveLength(5)
    expect(lines[4]).toMatch(
      /^::error title=Datafold CI found data changes::Datafold CI run 1000 for pull request #2 \(changes at ec26c3e\) finished with status done, but fail-on-data-changes is true and%0A- 5 tables differ: /
    )
    expect(result.outputs.verdict).toBe('failure')
  })

  it('more changed models than GitHub shows: the ten largest get warnings, the summary counts the rest', async () => {
    const outcome = await run(PRESETS['annotations-many'], WITH_MANIFEST)
    const { result } = outcome
    expectSound(outcome)
    expect(result.code).toBe(0)
    const lines = annotationLines(result.stdout)
    expect(lines.map((l) => l.slice(0, l.indexOf('::', 2)))).toEqual(
      [
        ['PAYMENTS', 'models/marts/finance/payments.sql'],
        ['Customers', 'models/marts/core/dim_customers.sql'],
        ['ORDERS', 'models/marts/core/fct_orders.sql'],
        ...[
          'revenue_per_customer',
          'net_revenue',
          'gross_margin',
          'refund_rate',
          'refunds',
          'revenue_by_channel',
          'revenue_by_region'
        ].map((name) => [name.toUpperCase(), `models/marts/finance/revenue/${name}.sql`])
      ].map(
        ([table, file]) =>
          `::warning title=Data changed%3A ANALYTICS.DBT_PR_2.${table},file=${PROJECT}/${file},line=1`
      )
    )
    expect(result.summary).toContain(
      "\n3 more models are not annotated in the pull request's files: GitHub shows at most 10 annotations of a kind per step, and the largest changes got them.\n"
    )
  })

  it('more than ten with the gate: nine errors, the verdict the tenth, and the summary counts four more', async () => {
    const outcome = await run(PRESETS['annotations-many'], GATE)
    const { result } = outcome
    expectSound(outcome)
    expect(result.code).toBe(1)
    const lines = annotationLines(result.stdout)
    expect(lines).toHaveLength(10)
    expect(lines.slice(0, 9).every((l) => l.startsWith('::error title=Data changed%3A '))).toBe(
      true
    )
    expect(lines[8]).toContain(
      `file=${PROJECT}/models/marts/finance/revenue/revenue_by_channel.sql,line=1::`
    )
    expect(lines[9]).toMatch(/^::error title=Datafold CI found data changes::Datafold CI run 1000 /)
    expect(result.summary).toContain('\n4 more models are not annotated')
  })

  it('without dbt-manifest nothing changes: no annotations on files, no model column', async () => {
    const outcome = await run(PRESETS.annotations, {})
    const { result } = outcome
    expectSound(outcome)
    expect(result.code).toBe(0)
    expect(annotationLines(result.stdout)).toEqual([])
    expect(result.summary).toContain(
      '\n| Table | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Details |\n'
    )
    expect(result.summary).not.toContain('| Model |')
  })
})

describe('dbt-manifest: a bad manifest is an input error, and nothing is sent', () => {
  let workspace: string
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'dbt-workspace-'))
    mkdirSync(join(workspace, 'target'))
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  async function refused(path: string): Promise<string[]> {
    const outcome = await run(
      PRESETS.annotations,
      { 'dbt-manifest': path },
      { env: { GITHUB_WORKSPACE: workspace } }
    )
    expect(outcome.result.killed).toBe(false)
    expect(outcome.result.code).toBe(1)
    expect(outcome.requests).toEqual([])
    return annotationLines(outcome.result.stdout)
  }

  it('not JSON', async () => {
    writeFileSync(join(workspace, 'target', 'broken.json'), '{"metadata": {"dbt_schema_version": ')
    expect(await refused('target/broken.json')).toEqual([
      '::error title=Invalid input::Input dbt-manifest is "target/broken.json": it is not valid JSON (Parser ended in mid-parsing (state: VALUE)). Expected the manifest.json that dbt writes to target/ in this job (after dbt build, run or compile), as a path inside GITHUB_WORKSPACE.'
    ])
  })

  it("not a manifest: dbt's run results", async () => {
    writeFileSync(
      join(workspace, 'target', 'run_results.json'),
      JSON.stringify({
        metadata: {
          dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
          dbt_version: '1.10.4'
        },
        results: []
      })
    )
    expect(await refused('target/run_results.json')).toEqual([
      '::error title=Invalid input::Input dbt-manifest is "target/run_results.json": it is dbt\'s run-results artifact (https://schemas.getdbt.com/dbt/run-results/v6.json), not the manifest. Expected the manifest.json that dbt writes to target/ in this job (after dbt build, run or compile), as a path inside GITHUB_WORKSPACE.'
    ])
  })

  it('outside the workspace', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'dbt-outside-'))
    try {
      writeFileSync(join(outside, 'manifest.json'), '{}')
      const [error] = await refused(join(outside, 'manifest.json'))
      expect(error).toContain(
        `is outside the workspace ${workspace}: only files inside GITHUB_WORKSPACE are read.`
      )
      expect(error).toMatch(/^::error title=Invalid input::Input dbt-manifest is "/)
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })

  it('a FIFO, refused without blocking', async () => {
    execFileSync('mkfifo', [join(workspace, 'target', 'pipe.json')])
    expect(await refused('target/pipe.json')).toEqual([
      `::error title=Invalid input::Input dbt-manifest is "target/pipe.json": ${workspace}/target/pipe.json is a FIFO (named pipe), not a regular file. Expected the manifest.json that dbt writes to target/ in this job (after dbt build, run or compile), as a path inside GITHUB_WORKSPACE.`
    ])
  })

  it('larger than 512 MiB (a sparse file: its size is checked before anything is read)', async () => {
    const path = join(workspace, 'target', 'huge.json')
    closeSync(openSync(path, 'w'))
    truncateSync(path, 512 * 1024 * 1024 + 1)
    expect(await refused('target/huge.json')).toEqual([
      '::error title=Invalid input::Input dbt-manifest is "target/huge.json": the file holds 536870913 bytes, more than the 536870912 allowed. Expected the manifest.json that dbt writes to target/ in this job (after dbt build, run or compile), as a path inside GITHUB_WORKSPACE.'
    ])
  })
})
