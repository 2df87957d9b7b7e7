/**
 * What a CI run found in the data: its data diffs from `GET /api/v1/datadiffs`. Reads one page of
 * Datafold's answer into typed data diffs, decides whether the next page can hold more of this
 * run's diffs, and turns the diffs into the `data-diffs` output, links and the judgement of
 * fail-on-data-changes. Pure functions; the requests are in datafold-client.ts, the re-checks of
 * diffs still running in read-data-diffs.ts.
 */
import { excerpt, formatCount, formatRatio, oneLine } from './format.js'
import { isObject, parseJson } from './json.js'

/** One data diff of the run, as the action reads it: types checked, text as Datafold sent it. */
export interface DataDiff {
  /** A positive integer: it goes into the diff's web address. */
  id: number
  /** `table2` (the pull request's side) as a dotted path, else `table1`; null for a query diff. */
  table: string | null
  /** Datafold's job status (waiting, processing, done, failed...), when it gave one. */
  status: string | null
  /**
   * identical, different, empty, error, bad-pks, missing-pks, in lower case whatever case Datafold
   * sent; null until the diff has one.
   */
  result: string | null
  rowsAdded: number | null
  rowsRemoved: number | null
  /** Rows whose values differ (`diff_rows_count`). */
  rowsChanged: number | null
  matchRatio: number | null
  /**
   * The names in `table` as Datafold listed them (`table2`, else `table1`), for matching the table
   * to a dbt model: a name may itself hold a dot. Absent for a query diff.
   */
  tableParts?: readonly string[]
  /** `affected_columns`: the columns whose values differ, when Datafold lists them. */
  affectedColumns?: readonly string[]
}

/** One page of the list, reduced to what paging and the report need. */
export interface DataDiffPage {
  totalPages: number
  /** `count`: how many data diffs match the request in all, when Datafold says. */
  count?: number
  /** `page_size`: how many entries Datafold puts on a full page, when it says. */
  pageSize?: number
  /** The `ci_run_id` of every entry on the page, in order (null for a diff outside CI). */
  runIds: (number | null)[]
  /** Ids of every entry on the page (null where Datafold gave none). */
  ids: (number | null)[]
  /** The entries that belong to the run asked for. */
  diffs: DataDiff[]
}

/** What reading the list found, whatever ended the reading. */
export interface DiffsReading {
  /** The run's diffs from the last list that could be read; undefined when none could. */
  diffs?: DataDiff[]
  /** Why that list may lack some of the run's diffs (too many pages, pages that overlapped). */
  incomplete?: string
  /** Why the last attempt to read the list failed, when it did. */
  problem?: string
}

/**
 * Asked for on each page: the endpoint's default; the spec documents no larger maximum. Pages are
 * read until the reading is proven or the step's deadline comes, with no cap of their own: large
 * dbt projects change hundreds of models, and a Datafold that ignores the ci_run_id filter lists
 * every diff of the organisation.
 */
export const DIFF_PAGE_SIZE = 100

/**
 * How a diff counts for the pull request. `inconsistent`: its result says unchanged but its
 * statistics count changed rows (or a match ratio below 1), so it proves nothing either way.
 */
export type Standing = 'changed' | 'inconsistent' | 'not_compared' | 'running' | 'unchanged'

export function standingOf(diff: DataDiff): Standing {
  if (isFailedOrCancelled(diff)) return 'not_compared'
  // Only a settled diff's result is final: one still running may carry an earlier revision's, and
  // a done diff's result may be a moment behind its status. Both are waited for.
  if (diff.result === null || !isDone(diff)) return 'running'
  switch (diff.result) {
    case 'identical':
    case 'empty':
      return statsAgree(diff) ? 'unchanged' : 'inconsistent'
    case 'different':
      return 'changed'
    default:
      // error, bad-pks, missing-pks, or a result this action does not know: nothing proves the
      // data unchanged.
      return 'not_compared'
  }
}

/** Failed or cancelled: whatever result it carries, the diff will never compare the tables. */
export function isFailedOrCancelled(diff: DataDiff): boolean {
  const status = statusOf(diff)
  return status === 'failed' || status === 'cancelled'
}

function isDone(diff: DataDiff): boolean {
  return statusOf(diff) === 'done'
}

function statusOf(diff: DataDiff): string {
  // Stryker disable next-line StringLiteral: no status is none of done, failed or cancelled, whatever text stands for it
  return (diff.status ?? '').trim().toLowerCase()
}

/** No row added, removed or changed, and a full match, wherever the statistics give a number. */
function statsAgree(diff: DataDiff): boolean {
  return (
    [diff.rowsAdded, diff.rowsRemoved, diff.rowsChanged].every((n) => n === null || n === 0) &&
    (diff.matchRatio === null || diff.matchRatio === 1)
  )
}

// ---------------------------------------------------------------------------------------------
// Reading a page

/** One page of Datafold's answer; an Error that quotes the answer when it is not one. */
export function readDataDiffPage(text: string, ciRunId: number): DataDiffPage {
  const body = parseJson(text)
  if (!isObject(body) || !Array.isArray(body.results) || !isCount(body.total_pages)) {
    throw new Error(
      `Datafold's list of data diffs is not what its API documents (expected JSON with results and total_pages): ${excerpt(text)}`
    )
  }
  const page: DataDiffPage = {
    totalPages: body.total_pages,
    count: isCount(body.count) ? body.count : undefined,
    pageSize: isId(body.page_size) ? body.page_size : undefined,
    runIds: [],
    ids: [],
    diffs: []
  }
  for (const entry of body.results as unknown[]) {
    if (!isObject(entry)) throw badEntry('an entry that is not an object', entry)
    const runId = entry.ci_run_id ?? null
    if (runId !== null && !Number.isSafeInteger(runId))
      throw badEntry('a data diff whose ci_run_id is not an integer', entry)
    const id = entry.id ?? null
    if (id !== null && !isId(id))
      throw badEntry('a data diff whose id is not a positive integer', entry)
    page.runIds.push(runId as number | null)
    page.ids.push(id)
    if (runId === ciRunId) page.diffs.push(readDiff(entry))
  }
  return page
}

/** A diff of the run; every field it shows is checked, since it goes into links and the gate. */
function readDiff(entry: Record<string, unknown>): DataDiff {
  if (!isId(entry.id)) throw badEntry('a data diff of this run without an id', entry)
  const stats = entry.diff_stats ?? null
  if (stats !== null && !isObject(stats))
    throw badEntry('a data diff whose diff_stats is not an object', entry)
  const number = (name: string): number | null => {
    const value = stats?.[name] ?? null
    if (value === null) return null
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw badEntry(`a data diff whose diff_stats.${name} is not a number`, entry)
    return value
  }
  const text = (name: string): string | null => {
    const value = entry[name] ?? null
    if (value !== null && typeof value !== 'string')
      throw badEntry(`a data diff whose ${name} is not text`, entry)
    return value
  }
  const parts = tableParts(entry, 'table2') ?? tableParts(entry, 'table1')
  // Shown beside the table, never judged: a list that is not one is left out rather than let a
  // cosmetic field fail the reading the gate depends on.
  const columns = entry.affected_columns
  const affected =
    Array.isArray(columns) && columns.every((column) => typeof column === 'string') ? columns : null
  return {
    id: entry.id,
    table: parts === null ? null : parts.join('.'),
    ...(parts === null ? {} : { tableParts: parts }),
    ...(affected === null ? {} : { affectedColumns: affected }),
    status: text('status'),
    // Compared in lower case everywhere, and shown so: "DIFFERENT" is a changed table.
    result: text('result')?.toLowerCase() ?? null,
    rowsAdded: number('rows_added'),
    rowsRemoved: number('rows_removed'),
    rowsChanged: number('diff_rows_count'),
    matchRatio: number('match_ratio')
  }
}

/** `["db", "schema", "orders"]`; null when there is no table. */
function tableParts(entry: Record<string, unknown>, name: 'table1' | 'table2'): string[] | null {
  const value = entry[name] ?? null
  if (value === null) return null
  if (!Array.isArray(value) || !value.every((part) => typeof part === 'string'))
    throw badEntry(`a data diff whose ${name} is not a list of names`, entry)
  return value.length > 0 ? value : null
}

function badEntry(what: string, entry: unknown): Error {
  return new Error(`Datafold listed ${what}: ${excerpt(JSON.stringify(entry) ?? String(entry))}`)
}

function isId(value: unknown): value is number {
  // Stryker disable next-line ConditionalExpression: isSafeInteger is false for all but numbers; typeof is for the type
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

// ---------------------------------------------------------------------------------------------
// Paging

/**
 * The run's diffs gathered page by page, and whether the pages prove that they are all of them.
 * The request asks for this run's diffs (`ci_run_id`, a filter the endpoint's spec does not list)
 * in order of id, a unique key, so no two requests can order ties differently. A Datafold that
 * ignores the filter lists every diff of the organisation: only entries of this run are kept, and
 * every page is read, since nothing in an entry of another run shows that none of this run follow.
 *
 * The proof does not trust the order: the walk ends only on a page that is not full, no id may be
 * listed twice, and `count` and `total_pages` must agree with what was read. Pages of a fixed list
 * that neither overlap nor end early hold every entry; an overlap (pages shifted, ties reordered,
 * duplicates) is seen as an id listed twice, and a lying total as a disagreement.
 */
export class DiffListing {
  readonly diffs: DataDiff[] = []
  /** Entries of other runs that were left out. */
  others = 0
  /** Entries without a ci_run_id: nothing shows they are not this run's. */
  unlabelled = 0
  pages = 0
  /** Set when the walk ended without proof that it saw every diff of the run, saying why. */
  incomplete?: string
  /** The page on which each id was listed. */
  private readonly seen = new Map<number, number>()
  /** Pages that held at least one entry. */
  private filled = 0
  /** The last page read. */
  private last: DataDiffPage | undefined

  constructor(readonly ciRunId: number) {}

  /** Adds the next page; true when the walk must read the page after it. */
  add(page: DataDiffPage): boolean {
    const number = ++this.pages
    this.last = page
    const ours = new Map(page.diffs.map((diff) => [diff.id, diff]))
    page.ids.forEach((id, i) => {
      const runId = page.runIds[i]
      if (id === null) {
        this.gap(
          `Datafold listed an entry without an id on page ${number} of its list of data diffs, so the action cannot show that the pages did not overlap.`
        )
      } else if (this.seen.has(id)) {
        this.gap(
          `Datafold listed data diff ${id} twice (on pages ${this.seen.get(id)} and ${number} of its list): its pages overlapped, so another entry may never have been listed.`
        )
        return
      } else {
        this.seen.set(id, number)
        const diff = ours.get(id)
        if (diff) this.diffs.push(diff)
      }
      if (runId === null) this.unlabelled++
      else if (runId !== this.ciRunId) this.others++
    })
    if (page.ids.length > 0) this.filled++
    if (this.incomplete) return false
    // A full page may be followed by more, whatever total_pages says; a page that is not full ends
    // the list. The size asked for, or the smaller one Datafold says it uses.
    const full = Math.min(DIFF_PAGE_SIZE, page.pageSize ?? DIFF_PAGE_SIZE)
    if (page.ids.length < full) return this.end(page)
    return true
  }

  /**
   * The page after the last one read could not be read; `reason` says why. A 404 (`notFound`) for
   * a page the totals put past the end (Datafold answers "Invalid page" there) confirms the end:
   * the list's totals must agree with what was read, as on a last page that is not full. Any other
   * error, or a 404 for a page the totals call real, leaves the reading unproven.
   */
  pageFailed(reason: string, notFound: boolean): void {
    const number = this.pages + 1
    const totalPages = this.last?.totalPages ?? 0
    if (notFound && number > totalPages && this.last) {
      this.end(this.last)
    } else if (number <= totalPages) {
      this.gap(
        `Page ${number} of Datafold's list of data diffs could not be read, though its totals give the list ${formatCount(totalPages)} pages, so this run may have more data diffs than shown. ${reason}`
      )
    } else {
      this.gap(
        `Page ${number} of Datafold's list of data diffs, past the ${plural(totalPages, 'page', 'pages')} its totals give, could not be read, so the action cannot show that the list ends there. ${reason}`
      )
    }
  }

  /** The last page: the list's own totals must agree with what was read. */
  private end(page: DataDiffPage): false {
    const read = this.seen.size
    if (page.count === undefined) {
      this.gap(
        "Datafold's list of data diffs does not say how many entries it holds (count), so the action cannot show that it read them all."
      )
    } else if (page.count !== read) {
      this.gap(
        `Datafold counts ${formatCount(page.count)} entries in its list of data diffs but its pages held ${formatCount(read)} different ones (the pages may have shifted while they were read).`
      )
    } else if (page.totalPages !== this.filled && !(read === 0 && page.totalPages <= 1)) {
      this.gap(
        `Datafold says its list of data diffs has ${formatCount(page.totalPages)} pages, but ${formatCount(this.filled)} held entries.`
      )
    } else if (this.unlabelled > 0) {
      this.gap(
        `Datafold listed ${plural(this.unlabelled, 'data diff', 'data diffs')} without a ci_run_id; any of them may belong to this run.`
      )
    } else if (this.others > 0 && this.diffs.length === 0) {
      // A Datafold that ignores the filter, for a run without diffs, looks the same as one that
      // filtered but named another run in the entries: nothing shows this run has none.
      this.gap(
        `Datafold listed only data diffs of other runs (${formatCount(this.others)}) and none of this run, so it does not show that this run has none.`
      )
    }
    return false
  }

  /** The first reason the walk is not a proof is the one given. */
  private gap(reason: string): void {
    this.incomplete ??= reason
  }
}

// ---------------------------------------------------------------------------------------------
// What the diffs mean

/** The diff's page in Datafold: `{host}/datadiffs/{id}/overview`, under the host's own path. */
export function diffUrl(host: URL, id: number): string {
  if (!isId(id)) throw new Error(`Not a data diff id: ${String(id)}`)
  const url = new URL(host.href)
  url.pathname = `${host.pathname.replace(/\/+$/, '')}/datadiffs/${id}/overview`
  url.search = ''
  url.hash = ''
  return url.href
}

/** One entry of the `data-diffs` output. */
export interface DiffOutput {
  id: number
  table: string | null
  result: string | null
  rows_added: number | null
  rows_removed: number | null
  rows_changed: number | null
  match_ratio: number | null
  url: string
}

/** The `data-diffs` output: one object per diff, in the order of their ids. */
export function diffOutputs(diffs: readonly DataDiff[], host: URL): DiffOutput[] {
  return [...diffs]
    .sort((a, b) => a.id - b.id)
    .map((diff) => ({
      id: diff.id,
      table: diff.table,
      result: diff.result,
      rows_added: diff.rowsAdded,
      rows_removed: diff.rowsRemoved,
      rows_changed: diff.rowsChanged,
      match_ratio: diff.matchRatio,
      url: diffUrl(host, diff.id)
    }))
}

const STANDING_ORDER: Record<Standing, number> = {
  changed: 0,
  inconsistent: 1,
  not_compared: 2,
  running: 3,
  unchanged: 4
}

/**
 * Changed tables first, then those whose statistics contradict their result, those that could not
 * be compared, still running, unchanged.
 */
export function inDisplayOrder(diffs: readonly DataDiff[]): DataDiff[] {
  return [...diffs].sort(
    (a, b) =>
      STANDING_ORDER[standingOf(a)] - STANDING_ORDER[standingOf(b)] ||
      compareNames(a.table, b.table) ||
      a.id - b.id
  )
}

function compareNames(a: string | null, b: string | null): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  return a < b ? -1 : 1
}

/** The table a diff compares, or what stands for it, on one line for a sentence or a log line. */
export function diffName(diff: DataDiff): string {
  return diff.table === null ? `data diff ${diff.id} (a query)` : oneLine(diff.table)
}

/** Results in the order a reader wants their counts; others (unknown ones) before `no result`. */
const COUNT_ORDER = [
  'different',
  'error',
  'bad-pks',
  'missing-pks',
  'no result',
  'no result yet',
  'identical',
  'empty'
]

/** "2 different, 1 error, 3 identical": the count of each result, most important first. */
export function countResults(diffs: readonly DataDiff[]): string {
  const counts = new Map<string, number>()
  for (const diff of diffs) {
    // A result counts only once the diff is done; a failed or cancelled one has none.
    const standing = standingOf(diff)
    const label =
      standing === 'running'
        ? 'no result yet'
        : isFailedOrCancelled(diff)
          ? 'no result'
          : diff.result!
    counts.set(label, (counts.get(label) ?? 0) + 1)
  }
  const rank = (label: string): number => {
    const known = COUNT_ORDER.indexOf(label)
    return known >= 0 ? known : COUNT_ORDER.indexOf('no result') - 0.5
  }
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([label, n]) => `${formatCount(n)} ${oneLine(label)}`)
    .join(', ')
}

const NAMES_SHOWN = 10

/**
 * Why fail-on-data-changes fails the step, one reason a line; [] when every diff of the run was
 * read and is identical or empty. Anything short of that fails: nothing proves the data unchanged.
 */
export function dataChangeProblems(reading: DiffsReading | undefined): string[] {
  if (!reading) return ['the data diffs were not read.']
  const reasons: string[] = []
  if (reading.problem) reasons.push(`the data diffs could not be read: ${reading.problem}`)
  if (reading.incomplete) reasons.push(reading.incomplete)
  const diffs = inDisplayOrder(reading.diffs ?? [])
  const names = (standing: Standing, detail: (diff: DataDiff) => string = () => ''): string[] => {
    const matching = diffs.filter((diff) => standingOf(diff) === standing)
    const shown = matching.slice(0, NAMES_SHOWN).map((diff) => `${diffName(diff)}${detail(diff)}`)
    if (matching.length > shown.length) shown.push(`and ${matching.length - shown.length} more`)
    return shown
  }
  const changed = names('changed')
  if (changed.length > 0)
    reasons.push(
      `${plural(countOf(diffs, 'changed'), 'table differs', 'tables differ')}: ${changed.join(', ')}.`
    )
  const inconsistent = names('inconsistent', (diff) => ` (${diff.result}, but ${statsText(diff)})`)
  if (inconsistent.length > 0)
    reasons.push(
      `${plural(countOf(diffs, 'inconsistent'), 'result disagrees', 'results disagree')} with ${countOf(diffs, 'inconsistent') === 1 ? 'its' : 'their'} row counts: ${inconsistent.join(', ')}.`
    )
  // A failed or cancelled diff is named by its status, whatever result it carries.
  const failed = names(
    'not_compared',
    (diff) => ` (${isFailedOrCancelled(diff) ? diff.status?.trim() : diff.result})`
  )
  if (failed.length > 0)
    reasons.push(
      `${plural(countOf(diffs, 'not_compared'), 'table', 'tables')} could not be compared: ${failed.join(', ')}.`
    )
  const running = names('running', (diff) => ` (${diff.status ?? 'no status'})`)
  if (running.length > 0)
    reasons.push(
      `${plural(countOf(diffs, 'running'), 'data diff', 'data diffs')} had no result when the step ended: ${running.join(', ')}.`
    )
  return reasons
}

/** "5 added, 3 removed, 40 changed, 99.5 % match": the statistics that are not zero (or a match). */
function statsText(diff: DataDiff): string {
  return [
    diff.rowsAdded ? `${formatCount(diff.rowsAdded)} added` : '',
    diff.rowsRemoved ? `${formatCount(diff.rowsRemoved)} removed` : '',
    diff.rowsChanged ? `${formatCount(diff.rowsChanged)} changed` : '',
    diff.matchRatio !== null && diff.matchRatio !== 1 ? `${formatRatio(diff.matchRatio)} match` : ''
  ]
    .filter(Boolean)
    .join(', ')
}

function countOf(diffs: readonly DataDiff[], standing: Standing): number {
  return diffs.filter((diff) => standingOf(diff) === standing).length
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}
