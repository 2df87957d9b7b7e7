/**
 * Data diffs as `GET /api/v1/datadiffs` answers them, for the unit tests: whole `ApiDataDiffFull`
 * objects (every field the schema requires, and those a CI diff carries) in `ApiDataDiffPage`s. They
 * are the stand-in's own (scripts/stand-in-datafold.js), so the unit and end-to-end tests read the
 * same shapes; openapi-fixture.test.ts checks them against the spec.
 */
import type { DataDiff } from '../src/data-diffs.js'
import {
  apiDataDiff as standInDiff,
  dataDiffPage,
  type DiffSpec as StandInSpec
} from '../scripts/stand-in-datafold.js'

export { dataDiffPage }

export interface DiffSpec extends StandInSpec {
  id: number
  ciRunId: number | null
  /** No result and no statistics yet: the diff is still processing. */
  running?: boolean
}

/** One `ApiDataDiffFull`, as Datafold lists it for a CI run. */
export function apiDataDiff(spec: DiffSpec): Record<string, unknown> {
  return standInDiff(spec)
}

/** A diff as the action reads it, settled and unchanged (`done`, `identical`, no rows changed). */
export function settledDiff(fields: Partial<DataDiff> & { id: number }): DataDiff {
  return {
    table: `db.t${fields.id}`,
    status: 'done',
    result: 'identical',
    rowsAdded: 0,
    rowsRemoved: 0,
    rowsChanged: 0,
    matchRatio: 1,
    ...fields
  }
}
