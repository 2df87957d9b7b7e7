/**
 * data-diffs.ts on real-shaped answers (built from the spec's schema in __fixtures__/data-diffs.ts):
 * reading a page, paging against servers that filter, ignore the filter, ignore the sort or repeat
 * pages, and what the diffs mean for the outputs, the links and fail-on-data-changes.
 */
import {
  countResults,
  dataChangeProblems,
  DiffListing,
  diffOutputs,
  diffUrl,
  inDisplayOrder,
  readDataDiffPage,
  standingOf,
  type DataDiff
} from '../src/data-diffs.js'
import { formatCount, formatRatio } from '../src/format.js'
import {
  apiDataDiff,
  dataDiffPage,
  settledDiff,
  type DiffSpec
} from '../__fixtures__/data-diffs.js'

const RUN = 1000
const HOST = new URL('https://app.datafold.com')

const page = (specs: DiffSpec[], options: Parameters<typeof dataDiffPage>[1] = {}): string =>
  JSON.stringify(dataDiffPage(specs.map(apiDataDiff), options))

const diff = (overrides: Partial<DataDiff> = {}): DataDiff =>
  settledDiff({ id: 7, table: 'analytics.pr_2.orders', ...overrides })

describe('readDataDiffPage', () => {
  it("reads this run's diffs with every field the report uses, and only this run's", () => {
    const read = readDataDiffPage(
      page([
        {
          id: 7,
          ciRunId: RUN,
          table: 'analytics.pr_2.orders',
          result: 'different',
          rowsAdded: 12,
          rowsRemoved: 3,
          rowsChanged: 340,
          matchRatio: 0.982,
          affectedColumns: ['amount', 'status']
        },
        { id: 8, ciRunId: 999, result: 'identical' },
        { id: 9, ciRunId: null, table: null, result: 'different' },
        { id: 10, ciRunId: RUN, running: true }
      ]),
      RUN
    )
    expect(read.totalPages).toBe(1)
    expect(read.count).toBe(4)
    expect(read.runIds).toEqual([RUN, 999, null, RUN])
    expect(read.ids).toEqual([7, 8, 9, 10])
    expect(read.diffs).toEqual([
      {
        id: 7,
        table: 'analytics.pr_2.orders',
        status: 'done',
        result: 'different',
        rowsAdded: 12,
        rowsRemoved: 3,
        rowsChanged: 340,
        matchRatio: 0.982,
        tableParts: ['analytics', 'pr_2', 'orders'],
        affectedColumns: ['amount', 'status']
      },
      {
        id: 10,
        table: 'analytics.pr.table_10',
        tableParts: ['analytics', 'pr', 'table_10'],
        status: 'processing',
        result: null,
        rowsAdded: null,
        rowsRemoved: null,
        rowsChanged: null,
        matchRatio: null
      }
    ])
  })

  it('names the table by table2 (the pull request side), else table1, else none', () => {
    const entries = [
      apiDataDiff({ id: 1, ciRunId: RUN, table: 'db.pr.orders' }),
      { ...apiDataDiff({ id: 2, ciRunId: RUN }), table1: ['db', 'prod', 'users'], table2: null },
      { ...apiDataDiff({ id: 3, ciRunId: RUN }), table1: null, table2: [] },
      { ...apiDataDiff({ id: 4, ciRunId: RUN }), table1: undefined, table2: undefined }
    ]
    const read = readDataDiffPage(JSON.stringify(dataDiffPage(entries)), RUN)
    expect(read.diffs.map((d) => d.table)).toEqual(['db.pr.orders', 'db.prod.users', null, null])
    expect(read.diffs.map((d) => d.tableParts)).toEqual([
      ['db', 'pr', 'orders'],
      ['db', 'prod', 'users'],
      undefined,
      undefined
    ])
  })

  it('keeps the names of a table as listed, a name with a dot in it too', () => {
    const entry = { ...apiDataDiff({ id: 1, ciRunId: RUN }), table2: ['db', 'pr', 'v1.orders'] }
    const [read] = readDataDiffPage(JSON.stringify(dataDiffPage([entry])), RUN).diffs
    expect(read.table).toBe('db.pr.v1.orders')
    expect(read.tableParts).toEqual(['db', 'pr', 'v1.orders'])
  })

  it('leaves out affected_columns that are not a list of names, and still reads the diff', () => {
    const entries = [
      { ...apiDataDiff({ id: 1, ciRunId: RUN, result: 'different' }), affected_columns: 'amount' },
      { ...apiDataDiff({ id: 2, ciRunId: RUN }), affected_columns: ['id', 3] },
      { ...apiDataDiff({ id: 3, ciRunId: RUN }), affected_columns: null },
      { ...apiDataDiff({ id: 4, ciRunId: RUN }), affected_columns: [] }
    ]
    const read = readDataDiffPage(JSON.stringify(dataDiffPage(entries)), RUN).diffs
    expect(read.map((d) => d.affectedColumns)).toEqual([undefined, undefined, undefined, []])
    expect(read[0].result).toBe('different')
  })

  it('keeps an unknown result as it came (the gate never counts it as unchanged)', () => {
    const entry = { ...apiDataDiff({ id: 1, ciRunId: RUN }), result: 'partially-similar' }
    const [read] = readDataDiffPage(JSON.stringify(dataDiffPage([entry])), RUN).diffs
    expect(read.result).toBe('partially-similar')
    expect(standingOf(read)).toBe('not_compared')
  })

  it.each<[string, string, RegExp]>([
    [
      'an HTML page',
      '<html><title>Datafold</title></html>',
      /^Datafold's list of data diffs is not what its API documents \(expected JSON with results and total_pages\): <html><title>Datafold<\/title><\/html>$/
    ],
    ['a list', '[]', /expected JSON with results and total_pages\): \[\]$/],
    ['a page without total_pages', '{"results": []}', /expected JSON with results/],
    ['JSON cut short', '{"page": 1, "results": [{"id"', /expected JSON with results/],
    ['an empty body', '', /\(empty body\)$/]
  ])('rejects %s, quoting it', (_name, text, message) => {
    expect(() => readDataDiffPage(text, RUN)).toThrow(message)
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a string ci_run_id', { ci_run_id: '1000' }, /a data diff whose ci_run_id is not an integer/],
    ['an id of 0', { id: 0 }, /a data diff whose id is not a positive integer/],
    ['no id', { id: null }, /a data diff of this run without an id/],
    ['diff_stats as text', { diff_stats: 'n/a' }, /diff_stats is not an object/],
    [
      'rows_added as text',
      { diff_stats: { version: '2', rows_added: '12' } },
      /diff_stats\.rows_added is not a number/
    ],
    ['a table that is text', { table2: 'db.orders' }, /table2 is not a list of names/],
    ['a numeric result', { result: 1 }, /result is not text/],
    ['a status object', { status: { name: 'done' } }, /status is not text/]
  ])('rejects a diff of this run with %s, quoting the entry', (_name, change, message) => {
    const entry = { ...apiDataDiff({ id: 5, ciRunId: RUN, result: 'identical' }), ...change }
    expect(() => readDataDiffPage(JSON.stringify(dataDiffPage([entry])), RUN)).toThrow(message)
    expect(() => readDataDiffPage(JSON.stringify(dataDiffPage([entry])), RUN)).toThrow(
      /^Datafold listed .*: \{"id":/
    )
  })

  it("does not read the fields of other runs' diffs, only their ids", () => {
    const entry = { ...apiDataDiff({ id: 5, ciRunId: 999 }), diff_stats: 'n/a', table2: 'x' }
    expect(readDataDiffPage(JSON.stringify(dataDiffPage([entry])), RUN).diffs).toEqual([])
    expect(() =>
      readDataDiffPage(JSON.stringify({ ...dataDiffPage([]), results: ['x'] }), RUN)
    ).toThrow(/^Datafold listed an entry that is not an object: "x"$/)
  })
})

describe('standingOf', () => {
  it.each<[string | null, string | null, string]>([
    ['identical', 'done', 'unchanged'],
    ['empty', 'done', 'unchanged'],
    ['different', 'done', 'changed'],
    ['error', 'done', 'not_compared'],
    ['bad-pks', 'done', 'not_compared'],
    ['missing-pks', 'done', 'not_compared'],
    [null, 'failed', 'not_compared'],
    [null, ' Cancelled ', 'not_compared'],
    [null, 'processing', 'running'],
    [null, 'waiting', 'running'],
    [null, 'done', 'running'],
    [null, null, 'running']
  ])('result %p with status %p: %s', (result, status, standing) => {
    expect(standingOf(diff({ result, status }))).toBe(standing)
  })
})

describe('DiffListing: paging', () => {
  /** Pages of `size` entries from `all`, as a server that pages what it lists. */
  function walk(listing: DiffListing, all: DiffSpec[], size = 100, totalPages?: number) {
    const pages = Math.max(1, Math.ceil(all.length / size))
    for (let n = 1; ; n++) {
      const slice = all.slice((n - 1) * size, n * size)
      const more = listing.add(
        readDataDiffPage(
          page(slice, {
            page: n,
            pageSize: size,
            count: all.length,
            totalPages: totalPages ?? pages
          }),
          RUN
        )
      )
      if (!more) return n
      if (n > 50) throw new Error('the walk did not stop')
    }
  }
  const ours = (n: number, from = 1): DiffSpec[] =>
    Array.from({ length: n }, (_, i) => ({ id: from + i, ciRunId: RUN, result: 'identical' }))

  it('a server that filters: one page, every diff, complete', () => {
    const listing = new DiffListing(RUN)
    expect(walk(listing, ours(3))).toBe(1)
    expect(listing.diffs.map((d) => d.id)).toEqual([1, 2, 3])
    expect(listing.others).toBe(0)
    expect(listing.incomplete).toBeUndefined()
  })

  it('a server that filters, 250 diffs: three pages, all of them', () => {
    const listing = new DiffListing(RUN)
    expect(walk(listing, ours(250))).toBe(3)
    expect(listing.diffs).toHaveLength(250)
    expect(listing.incomplete).toBeUndefined()
  })

  it('an empty page ends the list, but a total_pages that says there are more is no proof', () => {
    const listing = new DiffListing(RUN)
    expect(listing.add(readDataDiffPage(page([], { totalPages: 3, count: 0 }), RUN))).toBe(false)
    expect(listing.incomplete).toBe(
      'Datafold says its list of data diffs has 3 pages, but 0 held entries.'
    )
  })

  it('no diffs at all: one page, complete', () => {
    const listing = new DiffListing(RUN)
    expect(walk(listing, [])).toBe(1)
    expect(listing.diffs).toEqual([])
    expect(listing.incomplete).toBeUndefined()
  })

  it('a server that ignores the filter: reads every page (nothing shows none of this run follow)', () => {
    // Newer runs first, then this run's diffs, then older runs, interleaved ids.
    const all: DiffSpec[] = [
      ...Array.from({ length: 150 }, (_, i): DiffSpec => ({
        id: 5000 + i,
        ciRunId: 1001 + (i % 3)
      })),
      ...ours(4, 4000),
      ...Array.from({ length: 500 }, (_, i): DiffSpec => ({
        id: 3000 - i,
        ciRunId: 999 - (i % 7)
      }))
    ].sort((a, b) => (b.ciRunId ?? -1) - (a.ciRunId ?? -1))
    const listing = new DiffListing(RUN)
    expect(walk(listing, all)).toBe(7)
    expect(listing.diffs.map((d) => d.id).sort()).toEqual([4000, 4001, 4002, 4003])
    expect(listing.others).toBe(650)
    expect(listing.incomplete).toBeUndefined()
  })

  it('a server that ignores the filter and lists diffs outside CI (no ci_run_id): not proven', () => {
    const all: DiffSpec[] = [...ours(4), { id: 10, ciRunId: null }]
    const listing = new DiffListing(RUN)
    walk(listing, all)
    expect(listing.diffs).toHaveLength(4)
    expect(listing.incomplete).toBe(
      'Datafold listed 1 data diff without a ci_run_id; any of them may belong to this run.'
    )
  })

  it('a server that ignores the filter and the sort: reads on to the last page, keeps only this run', () => {
    const all: DiffSpec[] = Array.from({ length: 420 }, (_, i) => ({
      id: i + 1,
      ciRunId: i % 40 === 0 ? RUN : 900 + (i % 200)
    }))
    const listing = new DiffListing(RUN)
    expect(walk(listing, all)).toBe(5)
    expect(listing.diffs.map((d) => d.id)).toEqual(
      all.filter((d) => d.ciRunId === RUN).map((d) => d.id)
    )
    expect(listing.incomplete).toBeUndefined()
  })

  it('reads every page, however many: 15 pages of a list that mixes runs', () => {
    const all: DiffSpec[] = Array.from({ length: 1500 }, (_, i) => ({
      id: i + 1,
      ciRunId: i % 2 === 0 ? RUN : 2000 + i
    }))
    const listing = new DiffListing(RUN)
    // 15 full pages: the walk asks for a 16th, which the test's list answers empty.
    expect(walk(listing, all)).toBe(16)
    expect(listing.diffs).toHaveLength(750)
    expect(listing.incomplete).toBeUndefined()
  })

  describe('a page after the last one read that could not be read', () => {
    /** `n` full pages of this run's diffs, each saying the list holds `count` in `totalPages`. */
    const fullPages = (
      n: number,
      count: number,
      totalPages: number,
      runId: number | null = RUN
    ) => {
      const listing = new DiffListing(RUN)
      for (let p = 1; p <= n; p++) {
        const entries = Array.from({ length: 100 }, (_, i): DiffSpec => ({
          id: (p - 1) * 100 + i + 1,
          ciRunId: runId,
          result: 'identical'
        }))
        expect(
          listing.add(readDataDiffPage(page(entries, { page: p, count, totalPages }), RUN))
        ).toBe(true)
      }
      return listing
    }

    it('a 404 for a page the totals put past the end confirms the end', () => {
      const listing = fullPages(10, 1000, 10)
      listing.pageFailed('Datafold answered HTTP 404.', true)
      expect(listing.diffs).toHaveLength(1000)
      expect(listing.incomplete).toBeUndefined()
    })

    it('a 404 past the end still needs the totals to agree, and every entry labelled', () => {
      const short = fullPages(2, 250, 2)
      short.pageFailed('Datafold answered HTTP 404.', true)
      expect(short.incomplete).toBe(
        'Datafold counts 250 entries in its list of data diffs but its pages held 200 different ones (the pages may have shifted while they were read).'
      )
      const unlabelled = fullPages(1, 100, 1, null)
      unlabelled.pageFailed('Datafold answered HTTP 404.', true)
      expect(unlabelled.incomplete).toBe(
        'Datafold listed 100 data diffs without a ci_run_id; any of them may belong to this run.'
      )
    })

    it('a 404 for a page the totals call real leaves the reading unproven', () => {
      const listing = fullPages(3, 1000, 10)
      listing.pageFailed('Datafold answered HTTP 404.', true)
      expect(listing.diffs).toHaveLength(300)
      expect(listing.incomplete).toBe(
        "Page 4 of Datafold's list of data diffs could not be read, though its totals give the list 10 pages, so this run may have more data diffs than shown. Datafold answered HTTP 404."
      )
    })

    it('any other error leaves it unproven, real page or past the end', () => {
      const real = fullPages(1, 300, 3)
      real.pageFailed(
        'wait-timeout-minutes ran out before GET /api/v1/datadiffs could be sent.',
        false
      )
      expect(real.incomplete).toBe(
        "Page 2 of Datafold's list of data diffs could not be read, though its totals give the list 3 pages, so this run may have more data diffs than shown. wait-timeout-minutes ran out before GET /api/v1/datadiffs could be sent."
      )
      const past = fullPages(2, 200, 2)
      past.pageFailed('Datafold answered HTTP 500.', false)
      expect(past.incomplete).toBe(
        "Page 3 of Datafold's list of data diffs, past the 2 pages its totals give, could not be read, so the action cannot show that the list ends there. Datafold answered HTTP 500."
      )
    })
  })

  it('a server that ignores `page` and repeats the first: stops, incomplete', () => {
    const listing = new DiffListing(RUN)
    const first = readDataDiffPage(page(ours(100), { count: 300, totalPages: 3 }), RUN)
    expect(listing.add(first)).toBe(true)
    expect(listing.add(first)).toBe(false)
    expect(listing.diffs).toHaveLength(100)
    expect(listing.incomplete).toBe(
      'Datafold listed data diff 1 twice (on pages 1 and 2 of its list): its pages overlapped, so another entry may never have been listed.'
    )
  })

  it('a filtered list whose pages overlap: an id listed twice, incomplete', () => {
    const listing = new DiffListing(RUN)
    expect(
      listing.add(readDataDiffPage(page(ours(100, 1), { count: 150, totalPages: 2 }), RUN))
    ).toBe(true)
    // Page 2 repeats ten diffs of page 1 and so misses ten others.
    expect(
      listing.add(readDataDiffPage(page(ours(50, 91), { page: 2, count: 150, totalPages: 2 }), RUN))
    ).toBe(false)
    expect(listing.diffs).toHaveLength(140)
    expect(listing.incomplete).toBe(
      'Datafold listed data diff 91 twice (on pages 1 and 2 of its list): its pages overlapped, so another entry may never have been listed.'
    )
  })
})

describe('diffUrl', () => {
  it.each([
    ['https://app.datafold.com', 'https://app.datafold.com/datadiffs/7/overview'],
    ['https://app.datafold.com/', 'https://app.datafold.com/datadiffs/7/overview'],
    ['https://example.com/datafold', 'https://example.com/datafold/datadiffs/7/overview'],
    ['https://example.com/datafold/', 'https://example.com/datafold/datadiffs/7/overview'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/datadiffs/7/overview']
  ])('under %s', (host, url) => {
    expect(diffUrl(new URL(host), 7)).toBe(url)
  })

  it.each([0, -1, 1.5, Number.NaN, 2 ** 60])('refuses %p as an id', (id) => {
    expect(() => diffUrl(HOST, id)).toThrow(/Not a data diff id/)
  })
})

describe('diffOutputs', () => {
  it('one object per diff, by id, numbers as numbers and null where Datafold gave none', () => {
    const outputs = diffOutputs(
      [
        diff({
          id: 9,
          table: null,
          status: 'processing',
          result: null,
          rowsAdded: null,
          rowsRemoved: null,
          rowsChanged: null,
          matchRatio: null
        }),
        diff({
          id: 7,
          result: 'different',
          rowsAdded: 12,
          rowsRemoved: 3,
          rowsChanged: 340,
          matchRatio: 0.982
        })
      ],
      new URL('https://example.com/datafold')
    )
    expect(JSON.parse(JSON.stringify(outputs))).toEqual([
      {
        id: 7,
        table: 'analytics.pr_2.orders',
        result: 'different',
        rows_added: 12,
        rows_removed: 3,
        rows_changed: 340,
        match_ratio: 0.982,
        url: 'https://example.com/datafold/datadiffs/7/overview'
      },
      {
        id: 9,
        table: null,
        result: null,
        rows_added: null,
        rows_removed: null,
        rows_changed: null,
        match_ratio: null,
        url: 'https://example.com/datafold/datadiffs/9/overview'
      }
    ])
  })
})

describe('order and counts', () => {
  const diffs = [
    diff({ id: 1, table: 'b.identical', result: 'identical' }),
    diff({ id: 2, table: 'z.changed', result: 'different' }),
    diff({ id: 3, table: 'a.running', result: null, status: 'processing' }),
    diff({ id: 4, table: 'c.error', result: 'error' }),
    diff({ id: 5, table: 'a.changed', result: 'different' }),
    diff({ id: 6, table: null, result: 'empty' }),
    diff({ id: 7, table: 'a.empty', result: 'empty' })
  ]

  it('changed first, then not compared, still running, unchanged; by table name within each', () => {
    expect(inDisplayOrder(diffs).map((d) => d.id)).toEqual([5, 2, 4, 3, 7, 1, 6])
  })

  it('counts each result, unknown ones among those that could not compare', () => {
    expect(
      countResults([
        diff({ id: 1, result: 'empty' }),
        diff({ id: 2, result: 'partial' }),
        diff({ id: 3, result: null, status: 'failed' }),
        diff({ id: 4, result: 'bad-pks' })
      ])
    ).toBe('1 bad-pks, 1 partial, 1 no result, 1 empty')
  })

  it('counts each result', () => {
    expect(countResults(diffs)).toBe('2 different, 1 error, 1 no result yet, 1 identical, 2 empty')
  })
})

describe('order and counts: ties and every label', () => {
  it('within one standing and one table, by id; tables without a name after named ones', () => {
    const tied = [
      diff({ id: 9, table: 'a.orders', result: 'different' }),
      diff({ id: 3, table: null, result: 'different' }),
      diff({ id: 4, table: 'a.orders', result: 'different' }),
      diff({ id: 2, table: null, result: 'different' }),
      diff({ id: 8, table: 'a.customers', result: 'different' })
    ]
    expect(inDisplayOrder(tied).map((d) => d.id)).toEqual([8, 4, 9, 2, 3])
    expect(inDisplayOrder([...tied].reverse()).map((d) => d.id)).toEqual([8, 4, 9, 2, 3])
  })

  it('every known label in its place, unknown ones alphabetically before "no result"', () => {
    const labels = [
      diff({ id: 1, result: 'empty' }),
      diff({ id: 2, result: 'identical' }),
      diff({ id: 3, result: null, status: 'processing' }),
      diff({ id: 4, result: null, status: 'cancelled' }),
      diff({ id: 5, result: 'zeta-unknown' }),
      diff({ id: 6, result: 'alpha-unknown' }),
      diff({ id: 7, result: 'missing-pks' }),
      diff({ id: 8, result: 'bad-pks' }),
      diff({ id: 9, result: 'error' }),
      diff({ id: 10, result: 'different' })
    ]
    const expected =
      '1 different, 1 error, 1 bad-pks, 1 missing-pks, 1 alpha-unknown, 1 zeta-unknown, 1 no result, 1 no result yet, 1 identical, 1 empty'
    expect(countResults(labels)).toBe(expected)
    expect(countResults([...labels].reverse())).toBe(expected)
  })
})

describe('readDataDiffPage: values of the wrong type', () => {
  const body = (overrides: Record<string, unknown>, entry: Record<string, unknown> = {}) =>
    JSON.stringify({
      page: 1,
      page_size: 100,
      count: 1,
      total_pages: 1,
      ...overrides,
      results: [{ id: 5, ci_run_id: RUN, status: 'done', result: 'identical', ...entry }]
    })

  it.each([
    ['total_pages as text', { total_pages: '1' }],
    ['a negative total_pages', { total_pages: -1 }],
    ['a fractional total_pages', { total_pages: 1.5 }]
  ])('rejects %s', (_, overrides) => {
    expect(() => readDataDiffPage(body(overrides), RUN)).toThrow(
      /^Datafold's list of data diffs is not what its API documents \(expected JSON with results and total_pages\)/
    )
  })

  it('reads count only when it is a whole number of at least 0', () => {
    expect(readDataDiffPage(body({ count: 0 }), RUN).count).toBe(0)
    expect(readDataDiffPage(body({ count: '1' }), RUN).count).toBeUndefined()
    expect(readDataDiffPage(body({ count: -1 }), RUN).count).toBeUndefined()
  })

  it('rejects a table path with a part that is not a name', () => {
    expect(() => readDataDiffPage(body({}, { table2: ['db', 7, 'orders'] }), RUN)).toThrow(
      /^Datafold listed a data diff whose table2 is not a list of names: /
    )
  })

  it('rejects an id of 0 or as text', () => {
    expect(() => readDataDiffPage(body({}, { id: 0 }), RUN)).toThrow(
      /^Datafold listed a data diff whose id is not a positive integer: /
    )
    expect(() => readDataDiffPage(body({}, { id: '5' }), RUN)).toThrow(
      /^Datafold listed a data diff whose id is not a positive integer: /
    )
  })
})

describe('dataChangeProblems: a diff still running without a status', () => {
  it('says "no status"', () => {
    expect(dataChangeProblems({ diffs: [diff({ result: null, status: null })] })).toEqual([
      '1 data diff had no result when the step ended: analytics.pr_2.orders (no status).'
    ])
  })
})

describe('diffUrl: a host path with trailing slashes', () => {
  it('keeps one slash between the host path and datadiffs', () => {
    expect(diffUrl(new URL('https://example.com/datafold//'), 3)).toBe(
      'https://example.com/datafold/datadiffs/3/overview'
    )
  })
})

describe('dataChangeProblems: the gate of fail-on-data-changes', () => {
  it('passes when every diff of the run was read and is identical or empty', () => {
    expect(
      dataChangeProblems({
        diffs: [diff({ result: 'identical' }), diff({ id: 8, result: 'empty' })]
      })
    ).toEqual([])
  })

  it('passes a run without data diffs, read completely', () => {
    expect(dataChangeProblems({ diffs: [] })).toEqual([])
  })

  it('names the changed tables, those that could not be compared, and those still running', () => {
    expect(
      dataChangeProblems({
        diffs: [
          diff({ id: 1, table: 'db.orders', result: 'different' }),
          diff({ id: 2, table: 'db.users', result: 'identical' }),
          diff({ id: 3, table: 'db.events', result: 'error' }),
          diff({ id: 4, table: 'db.items', result: 'bad-pks' }),
          diff({ id: 5, table: 'db.refunds', result: 'missing-pks' }),
          diff({ id: 6, table: null, result: null, status: 'failed' }),
          diff({ id: 7, table: 'db.payments', result: null, status: 'processing' })
        ]
      })
    ).toEqual([
      '1 table differs: db.orders.',
      '4 tables could not be compared: db.events (error), db.items (bad-pks), db.refunds (missing-pks), data diff 6 (a query) (failed).',
      '1 data diff had no result when the step ended: db.payments (processing).'
    ])
  })

  it('fails when the diffs could not be read, or not all of them, or were not read at all', () => {
    expect(dataChangeProblems({ problem: 'HTTP 403.' })).toEqual([
      'the data diffs could not be read: HTTP 403.'
    ])
    expect(
      dataChangeProblems({ diffs: [diff()], incomplete: 'Too many pages.', problem: 'HTTP 503.' })
    ).toEqual(['the data diffs could not be read: HTTP 503.', 'Too many pages.'])
    expect(dataChangeProblems(undefined)).toEqual(['the data diffs were not read.'])
  })

  it('names at most ten tables of a kind', () => {
    const many = Array.from({ length: 13 }, (_, i) =>
      diff({ id: i + 1, table: `db.t${String(i).padStart(2, '0')}`, result: 'different' })
    )
    expect(dataChangeProblems({ diffs: many })).toEqual([
      '13 tables differ: db.t00, db.t01, db.t02, db.t03, db.t04, db.t05, db.t06, db.t07, db.t08, db.t09, and 3 more.'
    ])
  })
})

describe('number formats', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [1234567, '1,234,567'],
    [-4500, '-4,500'],
    [1.5, '1.5']
  ])('formatCount(%p) is %p', (n, text) => {
    expect(formatCount(n)).toBe(text)
  })

  it.each([
    [1, '100 %'],
    [0, '0 %'],
    [0.982, '98.2 %'],
    [0.29, '29 %'],
    [0.99999, '99.99 %'],
    [0.5, '50 %'],
    [1.5, '1.5'],
    [-0.1, '-0.1']
  ])('formatRatio(%p) is %p', (ratio, text) => {
    expect(formatRatio(ratio)).toBe(text)
  })
})

describe('the gate reads a proof (issue 15)', () => {
  /** Adds pages to a listing until it says the walk is over; the pages it asked for. */
  function walkPages(listing: DiffListing, pages: string[]): number {
    for (let n = 1; n <= pages.length; n++)
      if (!listing.add(readDataDiffPage(pages[n - 1], RUN))) return n
    throw new Error('the walk asked for a page beyond those given')
  }
  const ids = (
    from: number,
    n: number,
    ciRunId: number | null = RUN,
    result: DiffSpec['result'] = 'identical'
  ) => Array.from({ length: n }, (_, i): DiffSpec => ({ id: from + i, ciRunId, result }))

  it('defect 1: a filter ignored and page 2 repeats half of page 1: not proven', () => {
    // 150 entries (this run's and another's); ties reordered, so page 2 repeats 25 of page 1.
    const first = [...ids(1, 90), ...ids(91, 10, 999)]
    const second = [...ids(76, 25), ...ids(126, 25, RUN, 'different')]
    const listing = new DiffListing(RUN)
    walkPages(listing, [
      page(first, { count: 150, totalPages: 2 }),
      page(second, { page: 2, count: 150, totalPages: 2 })
    ])
    expect(listing.incomplete).toMatch(/twice/)
  })

  it('defect 1: order ignored, two runs interleaved, page 1 ends on the other run: reads on', () => {
    // Sorted by id (order_by ignored): page 1 ends on the other run's diff, page 2 is this run's.
    const all = Array.from({ length: 149 }, (_, i): DiffSpec => ({
      id: i + 1,
      ciRunId: i === 99 ? RUN - 1 : RUN
    }))
    const listing = new DiffListing(RUN)
    const pages = [
      page(all.slice(0, 100), { count: 149, totalPages: 2 }),
      page(all.slice(100), { page: 2, count: 149, totalPages: 2 })
    ]
    expect(walkPages(listing, pages)).toBe(2)
    expect(listing.diffs).toHaveLength(all.filter((d) => d.ciRunId === RUN).length)
    expect(listing.incomplete).toBeUndefined()
  })

  it.each<[string, Record<string, unknown>]>([
    ['null', { ci_run_id: null }],
    ['absent', { ci_run_id: undefined }]
  ])('defect 2: an entry whose ci_run_id is %s may be this run’s: not proven', (_, fields) => {
    const entry = { ...apiDataDiff({ id: 5, ciRunId: RUN, result: 'different' }), ...fields }
    const listing = new DiffListing(RUN)
    listing.add(readDataDiffPage(JSON.stringify(dataDiffPage([entry], { count: 1 })), RUN))
    expect(listing.incomplete).toMatch(/without a ci_run_id/)
  })

  it("defect 2: only another run's entries, none of this run: not proven", () => {
    const listing = new DiffListing(RUN)
    listing.add(readDataDiffPage(page(ids(5, 1, 999, 'different'), { count: 1 }), RUN))
    expect(listing.incomplete).toMatch(/only data diffs of other runs/)
  })

  it.each<[string, string | null, string]>([
    ['failed', 'identical', 'not_compared'],
    ['cancelled', 'empty', 'not_compared'],
    ['processing', 'identical', 'running'],
    ['waiting', 'different', 'running'],
    [' DONE ', 'identical', 'unchanged']
  ])('defect 3: status %p with result %p: %s', (status, result, standing) => {
    expect(standingOf(diff({ status, result }))).toBe(standing)
  })

  it('defect 4: total_pages 1 that contradicts count 150 (filter ignored): not proven', () => {
    const listing = new DiffListing(RUN)
    walkPages(listing, [
      page([...ids(1, 50), ...ids(51, 50, 999)], { count: 150, totalPages: 1 }),
      page(ids(101, 50, 999), { page: 2, count: 150, totalPages: 1 })
    ])
    expect(listing.incomplete).toMatch(/150|pages/)
  })

  it('defect 4: an empty page 2 of 2 (filter ignored): not proven', () => {
    const listing = new DiffListing(RUN)
    walkPages(listing, [
      page([...ids(1, 50), ...ids(51, 50, 999)], { count: 150, totalPages: 2 }),
      page([], { page: 2, count: 150, totalPages: 2 })
    ])
    expect(listing.incomplete).toBeDefined()
  })

  it('defect 5: duplicate ids on one page satisfy no count: not proven, and listed once', () => {
    const listing = new DiffListing(RUN)
    walkPages(listing, [page([...ids(1, 1), ...ids(1, 1), ...ids(2, 1)], { count: 3 })])
    expect(listing.incomplete).toMatch(/twice/)
    expect(listing.diffs.map((d) => d.id)).toEqual([1, 2])
  })

  it.each<[string, Partial<DataDiff>]>([
    [
      'identical with rows added, removed and changed',
      { rowsAdded: 5, rowsRemoved: 3, rowsChanged: 40 }
    ],
    ['empty with rows added', { result: 'empty', rowsAdded: 7 }],
    ['identical with a match ratio below 1', { matchRatio: 0.99 }]
  ])('defect 8: %s does not count as unchanged, and the gate says why', (_, fields) => {
    const contradicting = diff(fields)
    expect(standingOf(contradicting)).not.toBe('unchanged')
    expect(dataChangeProblems({ diffs: [contradicting] }).join('\n')).toMatch(/disagree/)
  })

  it('defect 9: results are read in lower case, whatever case Datafold sends', () => {
    const entry = { ...apiDataDiff({ id: 5, ciRunId: RUN }), result: 'DIFFERENT' }
    const [read] = readDataDiffPage(JSON.stringify(dataDiffPage([entry])), RUN).diffs
    expect(read.result).toBe('different')
    expect(standingOf(read)).toBe('changed')
  })

  it.each(['rows_added', 'diff_rows_count', 'match_ratio'])(
    'a %s that overflows to Infinity in JSON (1e999) is not a number',
    (name) => {
      const text = JSON.stringify(
        dataDiffPage([{ ...apiDataDiff({ id: 5, ciRunId: RUN }), diff_stats: { [name]: 0 } }])
      ).replace(`"${name}":0`, `"${name}":1e999`)
      expect(() => readDataDiffPage(text, RUN)).toThrow(
        new RegExp(`^Datafold listed a data diff whose diff_stats\\.${name} is not a number: `)
      )
    }
  )
})
