/**
 * Matching a data diff's table to the dbt model that builds it (src/dbt-models.ts), in each
 * warehouse's letter-case rules: the shop fixture (Snowflake) and dbt's own Postgres manifest, then
 * one node at a time for the other adapters.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseManifest, type Manifest, type ManifestNode } from '../src/dbt-manifest.js'
import { ModelIndex, splitRelation } from '../src/dbt-models.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): Promise<Manifest> =>
  parseManifest([readFileSync(join(root, '__fixtures__', 'dbt', path))])

describe('the shop project on Snowflake', () => {
  let index: ModelIndex
  beforeAll(async () => {
    index = new ModelIndex(await read('shop/target/manifest.json'), '__fixtures__/dbt/shop')
  })
  const path = (parts: string[]): string | undefined => index.match(parts)?.path

  it('holds the root project’s models, seeds and snapshots, not the package’s or the ephemeral one', () => {
    expect(index.size).toBe(17)
    expect(path(['ANALYTICS', 'DBT_PR_2', 'INT_ORDER_ITEMS'])).toBeUndefined()
    expect(path(['ANALYTICS', 'DBT_PR_2', 'CALENDAR'])).toBeUndefined()
  })

  it('an unquoted alias matches in any letter case, by alias, not by file name', () => {
    const orders = '__fixtures__/dbt/shop/models/marts/core/fct_orders.sql'
    expect(path(['ANALYTICS', 'DBT_PR_2', 'ORDERS'])).toBe(orders)
    expect(path(['analytics', 'dbt_pr_2', 'orders'])).toBe(orders)
    expect(path(['Analytics', 'Dbt_Pr_2', 'Orders'])).toBe(orders)
    expect(path(['ANALYTICS', 'DBT_PR_2', 'FCT_ORDERS'])).toBeUndefined()
    expect(index.match(['ANALYTICS', 'DBT_PR_2', 'ORDERS'])).toEqual({
      uniqueId: 'model.shop.fct_orders',
      resourceType: 'model',
      path: orders
    })
  })

  it('an upper-case unquoted alias matches in any case too', () => {
    const payments = '__fixtures__/dbt/shop/models/marts/finance/payments.sql'
    expect(path(['ANALYTICS', 'DBT_PR_2', 'PAYMENTS'])).toBe(payments)
    expect(path(['analytics', 'dbt_pr_2', 'payments'])).toBe(payments)
  })

  it('a quoted alias matches only exactly', () => {
    expect(path(['ANALYTICS', 'DBT_PR_2', 'Customers'])).toBe(
      '__fixtures__/dbt/shop/models/marts/core/dim_customers.sql'
    )
    // Its database and schema are not quoted.
    expect(path(['analytics', 'dbt_pr_2', 'Customers'])).toBe(
      '__fixtures__/dbt/shop/models/marts/core/dim_customers.sql'
    )
    expect(path(['ANALYTICS', 'DBT_PR_2', 'CUSTOMERS'])).toBeUndefined()
    expect(path(['ANALYTICS', 'DBT_PR_2', 'customers'])).toBeUndefined()
  })

  it('a seed, a snapshot in its own schema, and a model in nested folders', () => {
    expect(index.match(['ANALYTICS', 'DBT_PR_2', 'COUNTRY_CODES'])).toEqual({
      uniqueId: 'seed.shop.country_codes',
      resourceType: 'seed',
      path: '__fixtures__/dbt/shop/seeds/reference/country_codes.csv'
    })
    expect(index.match(['ANALYTICS', 'SNAPSHOTS', 'ORDERS_SNAPSHOT'])?.resourceType).toBe(
      'snapshot'
    )
    expect(path(['ANALYTICS', 'DBT_PR_2', 'ORDERS_SNAPSHOT'])).toBeUndefined()
    expect(path(['ANALYTICS', 'DBT_PR_2', 'NET_REVENUE'])).toBe(
      '__fixtures__/dbt/shop/models/marts/finance/revenue/net_revenue.sql'
    )
  })

  it('a name of schema and table alone; nothing for one name, four names, or another database', () => {
    expect(path(['DBT_PR_2', 'ORDERS'])).toBe(
      '__fixtures__/dbt/shop/models/marts/core/fct_orders.sql'
    )
    expect(path(['ORDERS'])).toBeUndefined()
    expect(path(['X', 'ANALYTICS', 'DBT_PR_2', 'ORDERS'])).toBeUndefined()
    expect(path(['RAW', 'DBT_PR_2', 'ORDERS'])).toBeUndefined()
    expect(path(['ANALYTICS', 'DBT_PR_3', 'ORDERS'])).toBeUndefined()
  })

  it('the project at the repository root', async () => {
    const atRoot = new ModelIndex(await read('shop/target/manifest.json'), '')
    expect(atRoot.match(['ANALYTICS', 'DBT_PR_2', 'ORDERS'])?.path).toBe(
      'models/marts/core/fct_orders.sql'
    )
  })
})

describe("dbt's own Postgres manifest: every name quoted", () => {
  it.each([10, 12])('v%i: matches only the exact letter case', async (version) => {
    const manifest = await read(`dbt-core-state/manifest-v${version}.json`)
    const index = new ModelIndex(manifest, 'dbt')
    const schema = manifest.nodes.find((node) => node.identifier === 'my_model')!.schema
    expect(index.match(['dbt', schema, 'my_model'])?.path).toBe('dbt/models/my_model.sql')
    expect(index.match(['dbt', schema, 'MY_MODEL'])).toBeUndefined()
    expect(index.match(['DBT', schema, 'my_model'])).toBeUndefined()
    expect(index.match(['dbt', schema, 'my_seed'])?.path).toBe('dbt/seeds/my_seed.csv')
  })
})

/** A manifest of one model named `db.sch.Tbl`, with what the test changes. */
function one(
  adapterType: string | null,
  node: Partial<ManifestNode> = {},
  quoting: Manifest['quoting'] = {}
): ModelIndex {
  return new ModelIndex(
    {
      schemaVersion: 12,
      adapterType,
      projectName: 'p',
      quoting,
      nodes: [
        {
          uniqueId: 'model.p.tbl',
          resourceType: 'model',
          packageName: 'p',
          database: 'Db',
          schema: 'Sch',
          identifier: 'Tbl',
          relationName: null,
          quoting: {},
          file: 'models/tbl.sql',
          ...node
        }
      ]
    },
    ''
  )
}
const matches = (index: ModelIndex, ...parts: string[]): boolean => index.match(parts) !== undefined

describe('letter case by adapter', () => {
  it('Snowflake: relation_name shows which names are quoted', () => {
    const index = one('snowflake', { relationName: 'Db."Sch".Tbl' })
    expect(matches(index, 'DB', 'Sch', 'TBL')).toBe(true)
    expect(matches(index, 'DB', 'SCH', 'TBL')).toBe(false)
  })

  it('Postgres: quoted as dbt quotes by default, unless relation_name or config says otherwise', () => {
    expect(matches(one('postgres'), 'Db', 'Sch', 'Tbl')).toBe(true)
    expect(matches(one('postgres'), 'db', 'sch', 'tbl')).toBe(false)
    // The model's quoting config, then the project's.
    expect(matches(one('postgres', { quoting: { identifier: false } }), 'Db', 'Sch', 'tbl')).toBe(
      true
    )
    const unquoted = { database: false, schema: false, identifier: false }
    expect(matches(one('postgres', {}, unquoted), 'db', 'sch', 'tbl')).toBe(true)
    // The model's config wins over the project's.
    expect(
      matches(one('postgres', { quoting: { schema: true } }, unquoted), 'db', 'sch', 'tbl')
    ).toBe(false)
    // relation_name wins over both: it is what dbt rendered.
    expect(
      matches(
        one('postgres', { relationName: 'Db.Sch.Tbl' }, { identifier: true }),
        'db',
        'sch',
        'tbl'
      )
    ).toBe(true)
  })

  it('an adapter dbt does not name: quoted by default, as dbt does', () => {
    expect(matches(one(null), 'Db', 'Sch', 'Tbl')).toBe(true)
    expect(matches(one(null), 'DB', 'Sch', 'Tbl')).toBe(false)
    expect(matches(one('oracle', { relationName: 'db.sch.tbl' }), 'DB', 'SCH', 'TBL')).toBe(true)
  })

  it('Snowflake quotes nothing by default', () => {
    expect(matches(one('snowflake'), 'DB', 'SCH', 'TBL')).toBe(true)
    expect(matches(one('snowflake', { quoting: { identifier: true } }), 'DB', 'SCH', 'TBL')).toBe(
      false
    )
  })

  it.each(['databricks', 'spark', 'redshift', 'duckdb', 'Databricks'])(
    '%s ignores letter case even in quotes',
    (adapter) => {
      const index = one(adapter, { relationName: '`Db`.`Sch`.`Tbl`' })
      expect(matches(index, 'db', 'sch', 'tbl')).toBe(true)
      expect(matches(index, 'DB', 'SCH', 'TBL')).toBe(true)
    }
  )

  it('BigQuery: the project in any case, the dataset and table exactly, quoted or not', () => {
    const index = one('bigquery', { relationName: 'Db.Sch.Tbl' })
    expect(matches(index, 'db', 'Sch', 'Tbl')).toBe(true)
    expect(matches(index, 'Db', 'sch', 'Tbl')).toBe(false)
    expect(matches(index, 'Db', 'Sch', 'tbl')).toBe(false)
  })

  it('a relation_name without the database: the database falls back to the config', () => {
    const index = one('postgres', { relationName: 'sch.tbl', quoting: { database: false } })
    expect(matches(index, 'DB', 'SCH', 'TBL')).toBe(true)
    expect(matches(one('postgres', { relationName: 'sch.tbl' }), 'DB', 'sch', 'tbl')).toBe(false)
  })

  it('a model without a database matches only a name without one', () => {
    const index = one('snowflake', { database: null })
    expect(matches(index, 'SCH', 'TBL')).toBe(true)
    expect(matches(index, 'DB', 'SCH', 'TBL')).toBe(false)
  })
})

describe('which models the index holds', () => {
  const manifest = (
    nodes: Partial<ManifestNode>[],
    projectName: string | null = 'p'
  ): Manifest => ({
    schemaVersion: 12,
    adapterType: 'snowflake',
    projectName,
    quoting: {},
    nodes: nodes.map((node, i) => ({
      uniqueId: `model.p.m${i}`,
      resourceType: 'model',
      packageName: 'p',
      database: 'DB',
      schema: 'S',
      identifier: 'T',
      relationName: null,
      quoting: {},
      file: `models/m${i}.sql`,
      ...node
    }))
  })

  it('a two-part name that two databases hold is no match; a three-part one is', () => {
    const index = new ModelIndex(manifest([{ database: 'A' }, { database: 'B' }]), '')
    expect(index.match(['S', 'T'])).toBeUndefined()
    expect(index.match(['B', 'S', 'T'])?.path).toBe('models/m1.sql')
  })

  it('a file outside the repository is left out; backslashes read as folders', () => {
    const index = new ModelIndex(
      manifest([
        { file: '../../etc/m.sql', identifier: 'OUT' },
        { file: 'models\\win\\m.sql', identifier: 'WIN' }
      ]),
      'proj'
    )
    expect(index.size).toBe(1)
    expect(index.match(['DB', 'S', 'OUT'])).toBeUndefined()
    expect(index.match(['DB', 'S', 'WIN'])?.path).toBe('proj/models/win/m.sql')
  })

  it("without a project name, every package's models are kept", () => {
    const index = new ModelIndex(manifest([{ packageName: 'other' }], null), '')
    expect(index.size).toBe(1)
    expect(new ModelIndex(manifest([{ packageName: 'other' }]), '').size).toBe(0)
  })
})

describe('splitRelation', () => {
  it.each([
    [
      'db.sch.tbl',
      [
        ['db', false],
        ['sch', false],
        ['tbl', false]
      ]
    ],
    [
      '"db"."sch"."tbl"',
      [
        ['db', true],
        ['sch', true],
        ['tbl', true]
      ]
    ],
    [
      '`proj`.`ds`.tbl',
      [
        ['proj', true],
        ['ds', true],
        ['tbl', false]
      ]
    ],
    [
      '"a.b"."say ""hi"""',
      [
        ['a.b', true],
        ['say "hi"', true]
      ]
    ],
    [
      'sch.tbl',
      [
        ['sch', false],
        ['tbl', false]
      ]
    ]
  ])('%s', (text, parts) => {
    expect(splitRelation(text)).toEqual(parts.map(([name, quoted]) => ({ name, quoted })))
  })

  it.each(['', 'db..tbl', '"db".', '"unclosed', 'db."x"y', 'a b.c', '.tbl'])(
    'not a relation: %j',
    (text) => {
      expect(splitRelation(text)).toBeUndefined()
    }
  )
})
