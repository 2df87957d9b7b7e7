/**
 * Reading dbt's manifest (src/dbt-manifest.ts): the shop fixture checked against dbt's published
 * v12 schema, manifests dbt itself wrote (v10 to v12), and everything that is not a manifest.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { ManifestError, parseManifest, type Manifest } from '../src/dbt-manifest.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixture = (path: string): Buffer => readFileSync(join(root, '__fixtures__', 'dbt', path))
const SHOP = 'shop/target/manifest.json'

/** The bytes in chunks of `size`, as a file stream delivers them (a chunk may split a character). */
function* chunked(bytes: Buffer, size = 4096): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

const parse = (text: string | Buffer, size?: number): Promise<Manifest> =>
  parseManifest(chunked(Buffer.from(text), size))

const manifest = (metadata: object, nodes: unknown = {}): string =>
  JSON.stringify({ metadata, nodes })
const V12 = { dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json' }

describe('the shop fixture', () => {
  // Compiled once: the schema is 1.2 MB. Unoptimised code compiles in less than half the time.
  let check: ValidateFunction
  beforeAll(() => {
    const ajv = new Ajv2020({ strict: false, code: { optimize: false } })
    addFormats.default(ajv)
    check = ajv.compile(JSON.parse(fixture('schemas/manifest-v12.json').toString()))
  })

  it("is a manifest by dbt's published v12 schema", () => {
    expect(check(JSON.parse(fixture(SHOP).toString()))).toBe(true)
    expect(check.errors ?? null).toBeNull()
  })

  it('the schema check can fail: a model without its alias is no v12 manifest', () => {
    const broken = JSON.parse(fixture(SHOP).toString()) as {
      nodes: Record<string, { alias?: string }>
    }
    delete broken.nodes['model.shop.fct_orders'].alias
    expect(check(broken)).toBe(false)
    expect(check.errors?.[0]).toMatchObject({ params: { missingProperty: 'alias' } })
  })

  it('is read to its models, seeds and snapshots, with only the fields the match needs', async () => {
    // Small chunks: values and characters split across chunks must read the same.
    const read = await parse(fixture(SHOP), 97)
    expect(read).toMatchObject({
      schemaVersion: 12,
      adapterType: 'snowflake',
      projectName: 'shop',
      quoting: { database: false, schema: false, identifier: false }
    })
    expect(read.nodes.map((node) => node.uniqueId).sort()).toEqual(
      [
        'model.shop.stg_orders',
        'model.shop.stg_payments',
        'model.shop.fct_orders',
        'model.shop.dim_customers',
        'model.shop.payments',
        ...[
          'daily_revenue',
          'weekly_revenue',
          'monthly_revenue',
          'revenue_by_region',
          'revenue_by_channel',
          'refunds',
          'refund_rate',
          'gross_margin',
          'net_revenue',
          'revenue_per_customer'
        ].map((name) => `model.shop.${name}`),
        'model.shop_utils.calendar',
        'seed.shop.country_codes',
        'snapshot.shop.orders_snapshot'
      ].sort()
    )
    expect(read.nodes.find((node) => node.uniqueId === 'model.shop.dim_customers')).toEqual({
      uniqueId: 'model.shop.dim_customers',
      resourceType: 'model',
      packageName: 'shop',
      database: 'ANALYTICS',
      schema: 'DBT_PR_2',
      identifier: 'Customers',
      relationName: 'ANALYTICS.DBT_PR_2."Customers"',
      quoting: { identifier: true },
      file: 'models/marts/core/dim_customers.sql'
    })
    expect(read.nodes.find((node) => node.resourceType === 'snapshot')).toMatchObject({
      schema: 'SNAPSHOTS',
      identifier: 'orders_snapshot',
      file: 'snapshots/orders_snapshot.sql'
    })
  })
})

describe('manifests dbt wrote for its own tests', () => {
  it.each([10, 11, 12])('reads schema v%i', async (version) => {
    const read = await parse(fixture(`dbt-core-state/manifest-v${version}.json`))
    expect(read.schemaVersion).toBe(version)
    expect(read.adapterType).toBe('postgres')
    expect(read.projectName).toBe('test')
    const model = read.nodes.find((node) => node.uniqueId === 'model.test.my_model')
    expect(model).toMatchObject({
      resourceType: 'model',
      database: 'dbt',
      identifier: 'my_model',
      file: 'models/my_model.sql'
    })
    expect(model?.relationName).toMatch(
      /^"dbt"\."test\d+_test_previous_version_state"\."my_model"$/
    )
    expect(read.nodes.map((node) => node.resourceType).sort()).toEqual([
      'model',
      'model',
      'seed',
      'snapshot'
    ])
  })
})

describe('what is not a manifest', () => {
  const refused = async (text: string): Promise<string> => {
    const error = await parse(text).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ManifestError)
    return (error as Error).message
  }

  it.each([
    ['an empty file', '', 'it is empty'],
    [
      'only spaces',
      '  \n',
      'it is not a dbt manifest: it has no metadata.dbt_schema_version, which every manifest dbt writes carries'
    ],
    [
      'a cut file',
      '{"metadata": {"dbt_schema_version": ',
      'it is not valid JSON (Parser ended in mid-parsing (state: VALUE))'
    ],
    [
      'text after the JSON',
      `${manifest(V12)} and more`,
      'it is not valid JSON (Unexpected "a" at byte 98)'
    ],
    [
      'YAML',
      'metadata:\n  dbt_schema_version: v12\n',
      'it is not valid JSON (Unexpected "m" at byte 0)'
    ],
    [
      'JSON without metadata',
      '{"nodes": {}}',
      'it is not a dbt manifest: it has no metadata.dbt_schema_version, which every manifest dbt writes carries'
    ],
    [
      'a list',
      `[${manifest(V12)}]`,
      'it is not a dbt manifest: it has no metadata.dbt_schema_version, which every manifest dbt writes carries'
    ],
    [
      'another schema',
      manifest({ dbt_schema_version: 'https://example.com/manifest/v12.json' }),
      'it is not a dbt manifest: its dbt_schema_version is https://example.com/manifest/v12.json'
    ],
    [
      "dbt's catalog",
      manifest({ dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json' }),
      "it is dbt's catalog artifact (https://schemas.getdbt.com/dbt/catalog/v1.json), not the manifest"
    ],
    [
      'a manifest older than v10',
      manifest({ dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v9.json' }),
      'it is a manifest of schema v9, written by a dbt older than 1.6: the action reads v10 and later'
    ],
    [
      'nodes as a list',
      manifest(V12, [{ resource_type: 'model' }]),
      'its nodes are a list: expected an object keyed by unique_id'
    ],
    [
      'a node without resource_type',
      manifest(V12, { 'model.x.a': { name: 'a' } }),
      'its node model.x.a is not a dbt node (no resource_type)'
    ],
    [
      'a model without schema',
      manifest(V12, {
        'model.x.a': { resource_type: 'model', name: 'a', original_file_path: 'models/a.sql' }
      }),
      'its model model.x.a has no schema'
    ],
    [
      'a seed without its file',
      manifest(V12, { 'seed.x.a': { resource_type: 'seed', name: 'a', schema: 's' } }),
      'its seed seed.x.a has no original_file_path'
    ],
    [
      'a database that is not text',
      manifest(V12, {
        'model.x.a': {
          resource_type: 'model',
          name: 'a',
          schema: 's',
          database: 7,
          original_file_path: 'models/a.sql'
        }
      }),
      'its model model.x.a has a database that is not text'
    ]
  ])('%s', async (_what, text, message) => {
    expect(await refused(text)).toContain(message)
  })

  it('an error from the file itself (it grew past its limit) is passed on as it came', async () => {
    const failing = async function* (): AsyncGenerator<Uint8Array> {
      yield Buffer.from('{"metadata": ')
      throw new RangeError('the file grew')
    }
    await expect(parseManifest(failing())).rejects.toThrow(new RangeError('the file grew'))
  })
})

describe('what is kept of a node', () => {
  it('alias, else name; relation_name and quoting when given; tests, analyses and ephemeral models left out', async () => {
    const read = await parse(
      manifest(
        { ...V12, adapter_type: 'postgres', quoting: { database: true, schema: 'yes' } },
        {
          'model.x.named': {
            resource_type: 'model',
            name: 'named',
            alias: '',
            schema: 's',
            database: null,
            original_file_path: 'models/named.sql',
            package_name: 'x',
            config: { quoting: { identifier: false, schema: 1 } }
          },
          'model.x.cte': {
            resource_type: 'model',
            name: 'cte',
            schema: 's',
            original_file_path: 'models/cte.sql',
            config: { materialized: 'ephemeral' }
          },
          'test.x.t': { resource_type: 'test', name: 't' },
          'analysis.x.a': { resource_type: 'analysis', name: 'a' }
        }
      )
    )
    expect(read.quoting).toEqual({ database: true })
    expect(read.projectName).toBeNull()
    expect(read.nodes).toEqual([
      {
        uniqueId: 'model.x.named',
        resourceType: 'model',
        packageName: 'x',
        database: null,
        schema: 's',
        identifier: 'named',
        relationName: null,
        quoting: { identifier: false },
        file: 'models/named.sql'
      }
    ])
  })
})
