/**
 * The annotations a reviewer sees in "Files changed": one on line 1 of each dbt model whose data
 * diff did not prove its data unchanged, naming the table, the rows added, removed and changed,
 * the match ratio, the changed columns and the diff's page in Datafold. Pure: main.ts writes them.
 *
 * GitHub shows at most 10 warning and 10 error annotations of a step and drops the rest, so the
 * largest changes come first and the plan says how many were left out.
 */
import { diffName, diffUrl, inDisplayOrder, standingOf, type DataDiff } from './data-diffs.js'
import type { ModelFile } from './dbt-models.js'
import { formatCount, formatRatio, oneLine } from './format.js'

/** GitHub's limit per step, for warnings and for errors each. */
export const ANNOTATIONS_PER_LEVEL = 10
/** Changed columns named in one annotation; the rest are counted. */
const COLUMNS_NAMED = 20

export type AnnotationLevel = 'warning' | 'error'

interface Annotation {
  level: AnnotationLevel
  /** The model's file from the repository's root. */
  file: string
  title: string
  message: string
}

export interface AnnotationPlan {
  annotations: Annotation[]
  /** Models that would have had one but did not fit under GitHub's limit. */
  left: number
}

export interface AnnotationRequest {
  diffs: readonly DataDiff[]
  /** The model that built each diff's table, by diff id. */
  models: ReadonlyMap<number, ModelFile>
  /** fail-on-data-changes failed the step on these diffs: errors, else warnings. */
  gateFailed: boolean
  /** Annotations of that level the step may still write (its own others count too). */
  room: number
  host: URL
}

/** Largest first: rows added, removed and changed together; ties in the summary's order. */
export function planAnnotations(request: AnnotationRequest): AnnotationPlan {
  const level: AnnotationLevel = request.gateFailed ? 'error' : 'warning'
  const ordered = inDisplayOrder(request.diffs)
  const shown = ordered
    .filter((diff) => request.models.has(diff.id) && standingOf(diff) !== 'unchanged')
    .map((diff, index) => ({ diff, index, size: changedRows(diff) }))
    .sort((a, b) => b.size - a.size || a.index - b.index)
  const room = Math.max(0, request.room)
  return {
    annotations: shown.slice(0, room).map(({ diff }) => ({
      level,
      file: request.models.get(diff.id)!.path,
      title: titleOf(diff),
      message: messageOf(diff, request.host)
    })),
    left: Math.max(0, shown.length - room)
  }
}

function changedRows(diff: DataDiff): number {
  return (diff.rowsAdded ?? 0) + (diff.rowsRemoved ?? 0) + (diff.rowsChanged ?? 0)
}

function titleOf(diff: DataDiff): string {
  const table = diffName(diff)
  switch (standingOf(diff)) {
    case 'changed':
      return `Data changed: ${table}`
    case 'inconsistent':
      return `Data diff contradicts itself: ${table}`
    case 'running':
      return `Data diff unfinished: ${table}`
    default:
      return `Data not compared: ${table}`
  }
}

function messageOf(diff: DataDiff, host: URL): string {
  const standing = standingOf(diff)
  const lines: string[] = []
  if (standing === 'running') {
    lines.push(
      `The data diff had no result when the step ended (status ${oneLine(diff.status ?? 'none')}).`
    )
  } else if (standing === 'not_compared') {
    const why =
      diff.result !== null && !['failed', 'cancelled'].includes((diff.status ?? '').toLowerCase())
        ? `result ${oneLine(diff.result)}`
        : `status ${oneLine(diff.status ?? 'none')}`
    lines.push(`Datafold could not compare this table (${why}).`)
  } else if (standing === 'inconsistent') {
    lines.push(`Datafold's result is ${oneLine(diff.result ?? '')}, but its row counts disagree.`)
  }
  const counts = [diff.rowsAdded, diff.rowsRemoved, diff.rowsChanged]
  // A diff that compared nothing has no statistics: no line of question marks.
  if (counts.some((n) => n !== null) || diff.matchRatio !== null) {
    const rows = `${count(diff.rowsAdded)} ${diff.rowsAdded === 1 ? 'row' : 'rows'} added, ${count(diff.rowsRemoved)} removed, ${count(diff.rowsChanged)} changed`
    const ratio =
      diff.matchRatio === null ? 'match ratio unknown' : `${formatRatio(diff.matchRatio)} match`
    lines.push(`${rows}; ${ratio}.`)
  }
  const columns = diff.affectedColumns ?? []
  if (columns.length > 0) {
    const named = columns.slice(0, COLUMNS_NAMED).map(oneLine).join(', ')
    const more =
      columns.length > COLUMNS_NAMED
        ? ` and ${formatCount(columns.length - COLUMNS_NAMED)} more`
        : ''
    lines.push(`Changed columns: ${named}${more}.`)
  }
  lines.push(`Data diff: ${diffUrl(host, diff.id)}`)
  return lines.join('\n')
}

function count(value: number | null): string {
  return value === null ? '?' : formatCount(value)
}
