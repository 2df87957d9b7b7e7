import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { specViolations } from '../__fixtures__/openapi.js'
import { loadYaml, readTablePairs } from '../src/table-pairs.js'

await loadYaml()

const workspace = mkdtempSync(join(tmpdir(), 'table-pairs-'))
const problemsOf = (value: string): string[] => {
  const read = readTablePairs(value, workspace)
  return 'problems' in read ? read.problems : []
}

describe('readTablePairs', () => {
  it('reads an inline JSON list, keeping only the fields given', () => {
    expect(
      readTablePairs(
        '[{"prod": "db.prod.orders", "pr": "db.pr_7.orders", "pk": ["id"]}, {"prod": "db.prod.a", "pr": "db.pr_7.a", "pk": null, "exclude_columns": ["updated_at"]}]',
        workspace
      )
    ).toEqual({
      pairs: [
        { prod: 'db.prod.orders', pr: 'db.pr_7.orders', pk: ['id'] },
        { prod: 'db.prod.a', pr: 'db.pr_7.a', pk: null, exclude_columns: ['updated_at'] }
      ]
    })
  })

  it('reads an inline YAML list, as a workflow writes it in a block scalar', () => {
    expect(
      readTablePairs(
        '- prod: db.prod.orders\n  pr: db.pr_7.orders\n  include_columns: [id, total]\n',
        workspace
      )
    ).toEqual({
      pairs: [{ prod: 'db.prod.orders', pr: 'db.pr_7.orders', include_columns: ['id', 'total'] }]
    })
  })

  it('reads a JSON or YAML file, a relative path starting at the workspace', () => {
    writeFileSync(join(workspace, 'pairs.json'), '[{"prod": "p.a", "pr": "q.a"}]')
    writeFileSync(join(workspace, 'pairs.yml'), '- prod: p.b\n  pr: q.b\n')
    expect(readTablePairs('pairs.json', workspace)).toEqual({ pairs: [{ prod: 'p.a', pr: 'q.a' }] })
    expect(readTablePairs(join(workspace, 'pairs.yml'), '/nowhere')).toEqual({
      pairs: [{ prod: 'p.b', pr: 'q.b' }]
    })
  })

  it('the pairs it returns are a body the spec accepts', () => {
    const read = readTablePairs(
      '[{"prod": "a.b", "pr": "c.d", "pk": ["id", "day"], "include_columns": [], "exclude_columns": ["x"]}]',
      workspace
    )
    expect(
      specViolations({
        method: 'POST',
        path: '/api/v1/ci/42/7',
        query: {},
        headers: { authorization: 'Key k', 'content-type': 'application/json' },
        body: 'pairs' in read ? read.pairs : undefined
      })
    ).toEqual([])
  })

  it('names the input, the entry (position and pr path) and the field of each bad entry', () => {
    expect(
      problemsOf(
        JSON.stringify([
          { prod: 'p.a', pr: 'q.a' },
          { prod: 'p.b', pr: 'q.b', pk: 'id' },
          { pr: 'q.c', primary_key: ['id'] },
          { prod: 'p.d', pr: 7, exclude_columns: ['x', 3] },
          'p.e'
        ])
      )
    ).toEqual([
      'Input diffs, entry 2 (pr q.b): field pk is "id": expected a list of column names, such as [id], each once, or null to let Datafold find the key.',
      'Input diffs, entry 3 (pr q.c): field prod is missing: expected a table path such as analytics.prod.orders.',
      'Input diffs, entry 3 (pr q.c): field primary_key is not a field of a table pair: expected only prod, pr, pk, include_columns, exclude_columns.',
      'Input diffs, entry 4: field pr is 7: expected a table path such as analytics.prod.orders.',
      'Input diffs, entry 4: field exclude_columns is ["x",3]: expected a list of column names, such as [id].',
      'Input diffs, entry 5 is "p.e": expected an object with prod and pr, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].'
    ])
  })

  it('rejects a primary key that names a column twice', () => {
    expect(problemsOf('[{"prod": "a", "pr": "b", "pk": ["id", "id"]}]')).toEqual([
      'Input diffs, entry 1 (pr b): field pk is ["id","id"]: expected a list of column names, such as [id], each once, or null to let Datafold find the key.'
    ])
  })

  it('rejects an empty list, an object that is not a list, and text that does not parse', () => {
    expect(problemsOf('[]')[0]).toMatch(
      /^Input diffs is an empty list: expected a list of at least one table pair/
    )
    expect(problemsOf('{"prod": "a", "pr": "b"}')[0]).toMatch(
      /^Input diffs is \{"prod":"a","pr":"b"\}: expected a list/
    )
    expect(problemsOf('[{"prod": "a", "pr": "b"')[0]).toMatch(
      /^Input diffs is not valid JSON or YAML: /
    )
  })

  it('names a file that is missing, and says where it looked', () => {
    expect(problemsOf('missing/pairs.yml')).toEqual([
      `Input diffs is "missing/pairs.yml": there is no such file at ${join(workspace, 'missing/pairs.yml')} (a relative path starts at GITHUB_WORKSPACE). Expected the path of a JSON or YAML file, or the list itself, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].`
    ])
  })

  it('names the file in the problems of its entries', () => {
    writeFileSync(join(workspace, 'bad.yml'), '- prod: p.a\n')
    expect(problemsOf('bad.yml')).toEqual([
      'Input diffs (file bad.yml), entry 1: field pr is missing: expected a table path such as analytics.pr_42.orders.'
    ])
  })
})
