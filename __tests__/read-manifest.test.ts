/**
 * The dbt-manifest input read (src/read-manifest.ts): the file through workspace-file.ts, the
 * manifest parsed, and the project's folder found; every problem an InputError naming the input.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InputError } from '../src/inputs.js'
import { readManifest, MANIFEST_MAX_BYTES, type ManifestRequest } from '../src/read-manifest.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const SHOP = '__fixtures__/dbt/shop/target/manifest.json'
const EXPECTED =
  'Expected the manifest.json that dbt writes to target/ in this job (after dbt build, run or compile), as a path inside GITHUB_WORKSPACE.'

async function problems(request: ManifestRequest): Promise<string[]> {
  const error = await readManifest(request).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(InputError)
  return (error as InputError).problems
}

describe('readManifest', () => {
  let workspace: string
  beforeAll(() => {
    workspace = mkdtempSync(join(tmpdir(), 'read-manifest-'))
    mkdirSync(join(workspace, 'transform', 'target'), { recursive: true })
    copyFileSync(join(root, SHOP), join(workspace, 'transform', 'target', 'manifest.json'))
    copyFileSync(join(root, SHOP), join(workspace, 'manifest.json'))
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  it('the project is the folder above the manifest’s, from the repository root', async () => {
    const read = await readManifest({ path: SHOP, projectDir: '', workspace: root })
    expect(read).toMatchObject({
      projectDir: '__fixtures__/dbt/shop',
      adapterType: 'snowflake',
      projectName: 'shop'
    })
    expect(read.index.size).toBe(17)
    expect(read.index.match(['ANALYTICS', 'DBT_PR_2', 'ORDERS'])?.path).toBe(
      '__fixtures__/dbt/shop/models/marts/core/fct_orders.sql'
    )
  })

  it('an absolute path inside the workspace reads the same', async () => {
    const read = await readManifest({
      path: join(workspace, 'transform', 'target', 'manifest.json'),
      projectDir: '',
      workspace
    })
    expect(read.projectDir).toBe('transform')
  })

  it('dbt-project-dir names the folder where the layout differs', async () => {
    const read = await readManifest({ path: 'manifest.json', projectDir: 'dbt/', workspace })
    expect(read.projectDir).toBe('dbt')
    expect(read.index.match(['ANALYTICS', 'DBT_PR_2', 'ORDERS'])?.path).toBe(
      'dbt/models/marts/core/fct_orders.sql'
    )
    expect(
      (await readManifest({ path: 'manifest.json', projectDir: '.', workspace })).projectDir
    ).toBe('')
  })

  it('a manifest at the workspace root without dbt-project-dir: its project would lie outside', async () => {
    expect(await problems({ path: 'manifest.json', projectDir: '', workspace })).toEqual([
      `Input dbt-manifest is "manifest.json": the folder above the manifest's folder, taken as the dbt project's, is outside the workspace: set dbt-project-dir to the project's folder. ${EXPECTED}`
    ])
  })

  it('a dbt-project-dir outside the workspace', async () => {
    expect(await problems({ path: 'manifest.json', projectDir: '../x', workspace })).toEqual([
      'Input dbt-project-dir is "../x": it is outside the workspace. Expected the dbt project\'s folder (where dbt_project.yml is), relative to GITHUB_WORKSPACE, for example transform/.'
    ])
  })

  it('a file that is not a manifest', async () => {
    writeFileSync(join(workspace, 'transform', 'target', 'catalog.json'), '{"metadata": {}}')
    expect(
      await problems({ path: 'transform/target/catalog.json', projectDir: '', workspace })
    ).toEqual([
      `Input dbt-manifest is "transform/target/catalog.json": it is not a dbt manifest: it has no metadata.dbt_schema_version, which every manifest dbt writes carries. ${EXPECTED}`
    ])
  })

  it('a file over the limit (512 MiB by default)', async () => {
    expect(MANIFEST_MAX_BYTES).toBe(512 * 1024 * 1024)
    expect(
      await problems({
        path: 'transform/target/manifest.json',
        projectDir: '',
        workspace,
        maxBytes: 1000
      })
    ).toEqual([
      expect.stringMatching(
        /^Input dbt-manifest is "transform\/target\/manifest.json": the file holds \d+ bytes, more than the 1000 allowed\. Expected the manifest\.json/
      )
    ])
  })

  it('no such file', async () => {
    expect(await problems({ path: 'target/manifest.json', projectDir: '', workspace })).toEqual([
      `Input dbt-manifest is "target/manifest.json": there is no such file at ${workspace}/target/manifest.json (a relative path starts at GITHUB_WORKSPACE). ${EXPECTED}`
    ])
  })
})
