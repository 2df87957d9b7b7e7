/**
 * Which models get an annotation, in which order and at which level, and what it says
 * (src/annotations.ts).
 */
import { planAnnotations, type AnnotationRequest } from '../src/annotations.js'
import type { DataDiff } from '../src/data-diffs.js'
import type { ModelFile } from '../src/dbt-models.js'
import { settledDiff } from '../__fixtures__/data-diffs.js'

const HOST = new URL('https://app.datafold.com')
const model = (name: string): ModelFile => ({
  uniqueId: `model.p.${name}`,
  resourceType: 'model',
  path: `models/${name}.sql`
})
const changed = (id: number, rowsChanged: number, fields: Partial<DataDiff> = {}): DataDiff =>
  settledDiff({
    id,
    table: `DB.PR.T${id}`,
    result: 'different',
    rowsChanged,
    matchRatio: 0.9,
    ...fields
  })

function plan(diffs: DataDiff[], overrides: Partial<AnnotationRequest> = {}) {
  return planAnnotations({
    diffs,
    models: new Map(diffs.map((diff) => [diff.id, model(`t${diff.id}`)])),
    gateFailed: false,
    room: 10,
    host: HOST,
    ...overrides
  })
}

describe('planAnnotations', () => {
  it('a changed model: a warning on its file, naming the table, rows, ratio, columns and link', () => {
    expect(
      plan([
        changed(7, 340, {
          rowsAdded: 12,
          rowsRemoved: 3,
          matchRatio: 0.9821,
          affectedColumns: ['AMOUNT', 'STATUS']
        })
      ])
    ).toEqual({
      annotations: [
        {
          level: 'warning',
          file: 'models/t7.sql',
          title: 'Data changed: DB.PR.T7',
          message: [
            '12 rows added, 3 removed, 340 changed; 98.21 % match.',
            'Changed columns: AMOUNT, STATUS.',
            'Data diff: https://app.datafold.com/datadiffs/7/overview'
          ].join('\n')
        }
      ],
      left: 0
    })
  })

  it('errors when fail-on-data-changes failed the step on them', () => {
    expect(plan([changed(1, 5)], { gateFailed: true }).annotations[0].level).toBe('error')
  })

  it('largest change first (added, removed and changed rows together), ties in the summary order', () => {
    const diffs = [
      changed(1, 5),
      changed(2, 0, { rowsAdded: 50 }),
      changed(3, 10, { rowsRemoved: 30 }),
      changed(4, 5, { table: 'DB.PR.A' }),
      settledDiff({ id: 5, table: 'DB.PR.E', status: 'failed', result: null })
    ]
    expect(plan(diffs).annotations.map((a) => a.file)).toEqual([
      'models/t2.sql',
      'models/t3.sql',
      'models/t4.sql',
      'models/t1.sql',
      'models/t5.sql'
    ])
  })

  it('leaves out unchanged diffs and tables no model builds', () => {
    const diffs = [changed(1, 5), settledDiff({ id: 2 }), changed(3, 9)]
    const result = plan(diffs, {
      models: new Map([
        [1, model('t1')],
        [2, model('t2')]
      ])
    })
    expect(result).toEqual({
      annotations: [expect.objectContaining({ file: 'models/t1.sql' })],
      left: 0
    })
  })

  it('fits the room GitHub leaves and counts the rest', () => {
    const diffs = Array.from({ length: 13 }, (_, i) => changed(i + 1, i + 1))
    const ten = plan(diffs)
    expect(ten.annotations).toHaveLength(10)
    expect(ten.annotations[0].file).toBe('models/t13.sql')
    expect(ten.annotations[9].file).toBe('models/t4.sql')
    expect(ten.left).toBe(3)
    expect(plan(diffs, { room: 9 })).toMatchObject({ left: 4 })
    expect(plan(diffs, { room: -2 })).toEqual({ annotations: [], left: 13 })
    expect(plan(diffs.slice(0, 3), { room: 3 })).toMatchObject({ left: 0 })
  })

  it('what each kind of unproven diff says', () => {
    const diffs = [
      settledDiff({
        id: 1,
        table: 'DB.PR.SAME',
        result: 'identical',
        rowsChanged: 2,
        matchRatio: 0.99
      }),
      settledDiff({
        id: 2,
        table: 'DB.PR.KEYS',
        result: 'missing-pks',
        rowsAdded: null,
        rowsRemoved: null,
        rowsChanged: null,
        matchRatio: null
      }),
      settledDiff({ id: 3, table: 'DB.PR.FAILED', status: 'failed', result: 'different' }),
      settledDiff({
        id: 4,
        table: 'DB.PR.RUNNING',
        status: 'processing',
        result: null,
        rowsAdded: null,
        rowsRemoved: null,
        rowsChanged: null,
        matchRatio: null
      }),
      settledDiff({ id: 5, table: null, result: 'different', rowsAdded: 1, matchRatio: null })
    ]
    const byTitle = Object.fromEntries(
      plan(diffs).annotations.map((a) => [a.title, a.message.split('\n')])
    )
    const link = (id: number): string =>
      `Data diff: https://app.datafold.com/datadiffs/${id}/overview`
    expect(byTitle).toEqual({
      'Data diff contradicts itself: DB.PR.SAME': [
        "Datafold's result is identical, but its row counts disagree.",
        '0 rows added, 0 removed, 2 changed; 99 % match.',
        link(1)
      ],
      'Data not compared: DB.PR.KEYS': [
        'Datafold could not compare this table (result missing-pks).',
        link(2)
      ],
      'Data not compared: DB.PR.FAILED': [
        'Datafold could not compare this table (status failed).',
        '0 rows added, 0 removed, 0 changed; 100 % match.',
        link(3)
      ],
      'Data diff unfinished: DB.PR.RUNNING': [
        'The data diff had no result when the step ended (status processing).',
        link(4)
      ],
      'Data changed: data diff 5 (a query)': [
        '1 row added, 0 removed, 0 changed; match ratio unknown.',
        link(5)
      ]
    })
  })

  it('names at most 20 changed columns, counts the rest, and keeps each on one line', () => {
    const columns = Array.from({ length: 23 }, (_, i) => `C${i + 1}`)
    columns[0] = 'BAD\nNAME'
    const [annotation] = plan([changed(1, 1, { affectedColumns: columns })]).annotations
    expect(annotation.message.split('\n')[1]).toBe(
      `Changed columns: BAD NAME, ${columns.slice(1, 20).join(', ')} and 3 more.`
    )
    const [none] = plan([changed(1, 1, { affectedColumns: [] })]).annotations
    expect(none.message).not.toContain('Changed columns')
  })
})
