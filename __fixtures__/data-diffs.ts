/**
 * Data diffs as `GET /api/v1/datadiffs` answers them: whole `ApiDataDiffFull` objects (every field
 * the schema marks required, and the ones a CI diff carries) in `ApiDataDiffPage`s. The tests check
 * these against the spec (openapi-fixture.test.ts), so the unit tests read real-shaped answers.
 */

export type DiffResultValue =
  'identical' | 'different' | 'empty' | 'error' | 'bad-pks' | 'missing-pks'

export interface DiffSpec {
  id: number
  ciRunId: number | null
  /** `table2` as dotted text (`db.schema.orders`); `table1` is the same table in the base schema. */
  table?: string | null
  status?: string | null
  result?: DiffResultValue | null
  rowsAdded?: number | null
  rowsRemoved?: number | null
  rowsChanged?: number | null
  matchRatio?: number | null
  /** No `diff_stats` at all (a diff that has not finished). */
  noStats?: boolean
}

/** One `ApiDataDiffFull`, as Datafold lists it for a CI run. */
export function apiDataDiff(spec: DiffSpec): Record<string, unknown> {
  const finished = spec.result !== undefined && spec.result !== null
  const table2 = spec.table === undefined ? `analytics.pr_2.table_${spec.id}` : spec.table
  const path = table2 === null ? null : table2.split('.')
  const status = spec.status !== undefined ? spec.status : finished ? 'done' : 'processing'
  return {
    id: spec.id,
    kind: 'in_db',
    algorithm: 'join',
    data_source1_id: 7,
    data_source2_id: 7,
    table1: path === null ? null : [path[0], 'prod', ...path.slice(2)],
    table2: path,
    query1: null,
    query2: null,
    pk_columns: ['id'],
    include_columns: null,
    exclude_columns: null,
    filter1: null,
    filter2: null,
    source: spec.ciRunId === null ? 'interactive' : 'ci',
    ci_run_id: spec.ciRunId,
    ci_pr_num: spec.ciRunId === null ? null : 2,
    ci_pr_branch: spec.ciRunId === null ? null : 'changes',
    ci_base_branch: spec.ciRunId === null ? null : 'master',
    ci_pr_sha: spec.ciRunId === null ? null : 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    status,
    done: finished,
    result: spec.result ?? null,
    result_revisions: {},
    archived: false,
    purged: false,
    tags: null,
    created_at: '2024-01-15T12:00:00Z',
    updated_at: '2024-01-15T12:03:00Z',
    finished_at: finished ? '2024-01-15T12:03:00Z' : null,
    affected_columns: spec.rowsChanged ? ['amount', 'status'] : [],
    diff_stats: spec.noStats
      ? null
      : {
          version: '2',
          rows_added: spec.rowsAdded ?? null,
          rows_removed: spec.rowsRemoved ?? null,
          diff_rows_count: spec.rowsChanged ?? null,
          match_ratio: spec.matchRatio ?? null,
          diff_pks: 0,
          diff_rows: 0,
          diff_values: 0,
          table_a_row_count: 1000,
          table_b_row_count: 1000,
          sampled: false
        }
  }
}

/** An `ApiDataDiffPage` holding `results`, page `page` of `totalPages` (`count` diffs in all). */
export function dataDiffPage(
  results: Record<string, unknown>[],
  options: { page?: number; pageSize?: number; totalPages?: number; count?: number } = {}
): Record<string, unknown> {
  const pageSize = options.pageSize ?? 100
  const count = options.count ?? results.length
  return {
    page: options.page ?? 1,
    page_size: pageSize,
    count,
    total_pages: options.totalPages ?? Math.ceil(count / pageSize),
    results
  }
}
