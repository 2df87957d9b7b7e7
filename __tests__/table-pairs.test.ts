import { execFileSync } from 'node:child_process'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
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
    expect(readTablePairs(join(workspace, 'pairs.yml'), workspace)).toEqual({
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
      `Input diffs is "missing/pairs.yml": there is no such file at ${join(workspace, 'missing/pairs.yml')} (a relative path starts at GITHUB_WORKSPACE). Expected the path of a JSON or YAML file inside GITHUB_WORKSPACE, or the list itself, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].`
    ])
  })

  it('names the file in the problems of its entries', () => {
    writeFileSync(join(workspace, 'bad.yml'), '- prod: p.a\n')
    expect(problemsOf('bad.yml')).toEqual([
      'Input diffs (file bad.yml), entry 1: field pr is missing: expected a table path such as analytics.pr_42.orders.'
    ])
  })
})

describe('readTablePairs: a file a pull request controls', () => {
  const SECRET = 'runner-secret: do not show'
  const outside = mkdtempSync(join(tmpdir(), 'table-pairs-outside-'))
  writeFileSync(join(outside, 'secret.yml'), SECRET)

  it('refuses a path outside the workspace, however it gets there, and never quotes the file', () => {
    const secret = join(outside, 'secret.yml')
    symlinkSync(secret, join(workspace, 'committed-link.yml'))
    for (const value of [`../${basename(outside)}/secret.yml`, secret, 'committed-link.yml']) {
      const problems = problemsOf(value)
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(
        new RegExp(
          `^Input diffs is "${value}": .*is outside the workspace .*: only files inside GITHUB_WORKSPACE are read\\. Expected the path of a JSON or YAML file inside GITHUB_WORKSPACE, or the list itself, for example \\[`
        )
      )
      expect(problems[0]).not.toMatch(/runner-secret|do not show/)
    }
  })

  it('refuses a FIFO, a device and /dev/stdin at once, naming the input', () => {
    execFileSync('mkfifo', [join(workspace, 'pipe.yml')])
    symlinkSync('/dev/stdin', join(workspace, 'stdin.yml'))
    symlinkSync('/dev/zero', join(workspace, 'zero.yml'))
    expect(problemsOf('pipe.yml')).toEqual([
      `Input diffs is "pipe.yml": ${join(workspace, 'pipe.yml')} is a FIFO (named pipe), not a regular file. Expected the path of a JSON or YAML file inside GITHUB_WORKSPACE, or the list itself, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].`
    ])
    expect(readTablePairs('zero', '/dev')).toEqual({
      problems: [
        expect.stringMatching(
          /^Input diffs is "zero": \/dev\/zero is a device, not a regular file\. Expected /
        )
      ]
    })
    for (const value of ['stdin.yml', 'zero.yml', '/dev/stdin', '/dev/zero']) {
      expect(problemsOf(value)).toEqual([
        expect.stringMatching(new RegExp(`^Input diffs is "${value}": `))
      ])
    }
  })

  it('refuses a file larger than 1,000,000 bytes before reading it', () => {
    writeFileSync(join(workspace, 'huge.yml'), `# ${'x'.repeat(1_000_000)}\n[]`)
    expect(problemsOf('huge.yml')).toEqual([
      expect.stringMatching(
        /^Input diffs is "huge.yml": the file holds 1000005 bytes, more than the 1000000 allowed\. Expected /
      )
    ])
  })

  it('refuses a file that is not UTF-8, naming the input, rather than send U+FFFD in its names', () => {
    // "orders" in Latin-1 with an é: valid in every single-byte encoding, never in UTF-8.
    const latin1 = Buffer.concat([
      Buffer.from('- prod: db.prod.ordr'),
      Buffer.from([0xe9]),
      Buffer.from('s\n  pr: db.pr_7.orders\n')
    ])
    writeFileSync(join(workspace, 'latin1.yml'), latin1)
    expect(problemsOf('latin1.yml')).toEqual([
      'Input diffs (file latin1.yml) is not UTF-8 text: expected a JSON or YAML file saved as UTF-8 (the table names would reach Datafold garbled).'
    ])
    // A byte order mark is UTF-8 still, and is not part of the text.
    writeFileSync(join(workspace, 'bom.yml'), `\uFEFF- prod: p.é\n  pr: q.é\n`)
    expect(readTablePairs('bom.yml', workspace)).toEqual({ pairs: [{ prod: 'p.é', pr: 'q.é' }] })
  })

  it('refuses YAML aliases, one used a hundred times or nested, as an input error', () => {
    const once = '- &pair {prod: p.a, pr: q.a}\n- *pair\n'
    const hundred = `- &pair {prod: p.a, pr: q.a}\n${'- *pair\n'.repeat(100)}`
    const nested = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'list: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]'
    ].join('\n')
    for (const value of [once, hundred, nested]) {
      expect(problemsOf(value)).toEqual([
        'Input diffs uses a YAML alias (*name): expected every value written out, without anchors reused as aliases, so that what is checked is what is sent.'
      ])
    }
    writeFileSync(join(workspace, 'alias.yml'), hundred)
    expect(problemsOf('alias.yml')).toEqual([
      expect.stringMatching(/^Input diffs \(file alias.yml\) uses a YAML alias/)
    ])
    // An anchor no alias uses changes nothing.
    expect(readTablePairs('- &pair {prod: p.a, pr: q.a}\n', workspace)).toEqual({
      pairs: [{ prod: 'p.a', pr: 'q.a' }]
    })
  })
})

describe('readTablePairs: what is inline and what is a file', () => {
  it('takes a path with spaces or a line break around it, and dashes or brackets inside it, as a file', () => {
    writeFileSync(join(workspace, 'datafold-diffs[1].yml'), '- {prod: p.a, pr: q.a}\n')
    for (const value of ['  datafold-diffs[1].yml\n', 'datafold-diffs[1].yml']) {
      expect(readTablePairs(value, workspace)).toStrictEqual({
        pairs: [{ prod: 'p.a', pr: 'q.a' }]
      })
    }
  })

  it('takes a one-line YAML list and a list that starts with a comment line as inline', () => {
    expect(readTablePairs('- {prod: p.a, pr: q.a}', workspace)).toStrictEqual({
      pairs: [{ prod: 'p.a', pr: 'q.a' }]
    })
    expect(readTablePairs('# the pairs\n- {prod: p.b, pr: q.b}', workspace)).toStrictEqual({
      pairs: [{ prod: 'p.b', pr: 'q.b' }]
    })
  })

  it('keeps exactly the fields given, no key set to undefined', () => {
    expect(
      readTablePairs(
        '[{"prod": "p.a", "pr": "q.a"}, {"prod": "p.b", "pr": "q.b", "include_columns": ["id"], "exclude_columns": ["x", "x"]}]',
        workspace
      )
    ).toStrictEqual({
      pairs: [
        { prod: 'p.a', pr: 'q.a' },
        { prod: 'p.b', pr: 'q.b', include_columns: ['id'], exclude_columns: ['x', 'x'] }
      ]
    })
  })
})

describe('readTablePairs: the words of each problem', () => {
  it('quotes where the text fails to parse, and refuses a key given twice', () => {
    expect(problemsOf('[{"prod": "a", "pr": "b"')).toEqual([
      'Input diffs is not valid JSON or YAML: Flow map in block collection must be sufficiently indented and end with a }. Expected a list of table pairs, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].'
    ])
    expect(problemsOf('[{"prod": "a", "prod": "b", "pr": "c"}]')).toEqual([
      'Input diffs is not valid JSON or YAML: Map keys must be unique. Expected a list of table pairs, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].'
    ])
  })

  it('calls a file with nothing in it empty, and an entry that is null or a list what it is', () => {
    writeFileSync(join(workspace, 'comment-only.yml'), '# nothing yet\n')
    expect(problemsOf('comment-only.yml')).toEqual([
      'Input diffs (file comment-only.yml) is empty: expected a list of at least one table pair, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].'
    ])
    expect(problemsOf('[null, ["p.a", "q.a"]]')).toEqual([
      'Input diffs, entry 1 is empty: expected an object with prod and pr, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].',
      'Input diffs, entry 2 is ["p.a","q.a"]: expected an object with prod and pr, for example [{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}].'
    ])
  })

  it('refuses blank table paths and blank column names, and leaves a blank pr out of the entry label', () => {
    expect(
      problemsOf(
        JSON.stringify([
          { prod: '  ', pr: ' ' },
          { prod: 'p.b', pr: 'q.b', pk: ['id', ' '], include_columns: [''] }
        ])
      )
    ).toEqual([
      'Input diffs, entry 1: field prod is "  ": expected a table path such as analytics.prod.orders.',
      'Input diffs, entry 1: field pr is " ": expected a table path such as analytics.prod.orders.',
      'Input diffs, entry 2 (pr q.b): field pk is ["id"," "]: expected a list of column names, such as [id], each once, or null to let Datafold find the key.',
      'Input diffs, entry 2 (pr q.b): field include_columns is [""]: expected a list of column names, such as [id].'
    ])
  })

  it('shows a value of up to 60 characters whole, and cuts a longer one to 57 and an ellipsis', () => {
    // JSON.stringify adds the two quotes: 58 letters are 60 characters, 59 are 61.
    const at = (letters: number): string =>
      problemsOf(JSON.stringify([{ prod: 'p.a', pr: 'q.a', pk: 'k'.repeat(letters) }]))[0]
    expect(at(58)).toBe(
      `Input diffs, entry 1 (pr q.a): field pk is "${'k'.repeat(58)}": expected a list of column names, such as [id], each once, or null to let Datafold find the key.`
    )
    expect(at(59)).toBe(
      `Input diffs, entry 1 (pr q.a): field pk is "${'k'.repeat(56)}...: expected a list of column names, such as [id], each once, or null to let Datafold find the key.`
    )
  })
})
