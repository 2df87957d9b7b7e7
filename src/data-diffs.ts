/**
 * What a CI run found in the data: its data diffs from `GET /api/v1/datadiffs`. Reads one page of
 * Datafold's answer into typed data diffs, decides whether the next page can hold more of this
 * run's diffs, and turns the diffs into the `data-diffs` output, links and the judgement of
 * fail-on-data-changes. Pure functions; the requests are in datafold-client.ts, the re-checks of
 * diffs still running in read-data-diffs.ts.
 */
import { excerpt, formatCount, oneLine } from './format.js'
import { isObject, parseJson } from './json.js'

/** One data diff of the run, as the action reads it: types checked, text as Datafold sent it. */
export interface DataDiff {
  /** A positive integer: it goes into the diff's web address. */
  id: number
  /** `table2` (the pull request's side) as a dotted path, else `table1`; null for a query diff. */
  table: string | null
  /** Datafold's job status (waiting, processing, done, failed...), when it gave one. */
  status: string | null
  /** identical, different, empty, error, bad-pks, missing-pks; null until the diff has one. */
  result: string | null
  rowsAdded: number | null
  rowsRemoved: number | null
  /** Rows whose values differ (`diff_rows_count`). */
  rowsChanged: number | null
  matchRatio: number | null
}

/** One page of the list, reduced to what paging and the report need. */
export interface DataDiffPage {
  totalPages: number
  /** `count`: how many data diffs match the request in all, when Datafold says. */
  count?: number
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

/** Asked for on each page: the endpoint's default; the spec documents no larger maximum. */
export const DIFF_PAGE_SIZE = 100
/**
 * The most pages read for one run (1,000 entries). A Datafold that honours the ci_run_id filter
 * needs one page for almost every run; one that ignores it lists every diff of the organisation.
 */
export const MAX_DIFF_PAGES = 10

/** How the result (or, without one, the status) of a diff counts for the pull request. */
export type Standing = 'changed' | 'not_compared' | 'running' | 'unchanged'

export function standingOf(diff: DataDiff): Standing {
  switch (diff.result) {
    case 'identical':
    case 'empty':
      return 'unchanged'
    case 'different':
      return 'changed'
    case null: {
      // No result yet. A diff that failed or was cancelled will never have one; any other status
      // (done included: the result may be a moment behind it) is waited for.
      // Stryker disable next-line StringLiteral: any text other than failed or cancelled is the same
      const status = (diff.status ?? '').trim().toLowerCase()
      return status === 'failed' || status === 'cancelled' ? 'not_compared' : 'running'
    }
    default:
      // error, bad-pks, missing-pks, or a result this action does not know: nothing proves the
      // data unchanged.
      return 'not_compared'
  }
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
    page.ids.push(id as number | null)
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
    // Stryker disable next-line LogicalOperator,ConditionalExpression: isFinite is false for all but numbers; JSON has no Infinity
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
  return {
    id: entry.id,
    table: tablePath(entry, 'table2') ?? tablePath(entry, 'table1'),
    status: text('status'),
    result: text('result'),
    rowsAdded: number('rows_added'),
    rowsRemoved: number('rows_removed'),
    rowsChanged: number('diff_rows_count'),
    matchRatio: number('match_ratio')
  }
}

/** `["db", "schema", "orders"]` → `db.schema.orders`; null when there is no table. */
function tablePath(entry: Record<string, unknown>, name: 'table1' | 'table2'): string | null {
  const value = entry[name] ?? null
  if (value === null) return null
  if (!Array.isArray(value) || !value.every((part) => typeof part === 'string'))
    throw badEntry(`a data diff whose ${name} is not a list of names`, entry)
  return value.length > 0 ? value.join('.') : null
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
 * The run's diffs gathered page by page. The request asks Datafold for this run's diffs only
 * (`ci_run_id`), ordered by `ci_run_id` descending, but the filter is not in the endpoint's spec:
 * a Datafold that ignores it lists every data diff, so only entries of this run are kept, and the
 * walk stops early once the list, still in descending order, has passed this run.
 */
export class DiffListing {
  readonly diffs: DataDiff[] = []
  /** Entries of other runs (or outside CI) that were left out. */
  others = 0
  pages = 0
  /** Set when the walk ended without proof that it saw every diff of the run. */
  incomplete?: string
  private readonly seen = new Set<number>()
  private lastRunId?: number
  private descending = true
  private onlyThisRun = true
  private count?: number

  constructor(readonly ciRunId: number) {}

  /** Adds the next page; true when the page after it may hold more of the run's diffs. */
  add(page: DataDiffPage): boolean {
    this.pages++
    let fresh = 0
    page.runIds.forEach((runId, i) => {
      const id = page.ids[i]
      if (id !== null) {
        if (this.seen.has(id)) return
        this.seen.add(id)
      }
      // Stryker disable next-line UpdateOperator: fresh is only compared with 0
      fresh++
      if (runId !== this.ciRunId) {
        this.others++
        this.onlyThisRun = false
      }
      if (runId !== null) {
        // Stryker disable next-line ConditionalExpression: a comparison with undefined is false
        if (this.lastRunId !== undefined && runId > this.lastRunId) this.descending = false
        this.lastRunId = runId
      }
    })
    const known = new Set(this.diffs.map((diff) => diff.id))
    this.diffs.push(...page.diffs.filter((diff) => !known.has(diff.id)))
    this.count = page.count

    if (page.runIds.length === 0 || this.pages >= page.totalPages) return this.done()
    if (fresh === 0) {
      this.incomplete = `Datafold answered page ${this.pages} of its list of data diffs with entries it had already listed, and says there are ${page.totalPages} pages.`
      return false
    }
    // Sorted by ci_run_id descending, a run id below this one means the rest are older runs.
    // Stryker disable next-line ConditionalExpression: a comparison with undefined is false
    if (this.descending && this.lastRunId !== undefined && this.lastRunId < this.ciRunId)
      return false
    if (this.pages >= MAX_DIFF_PAGES) {
      this.incomplete = `Datafold's list of data diffs has ${page.totalPages} pages; the action reads at most ${MAX_DIFF_PAGES} (${formatCount(MAX_DIFF_PAGES * DIFF_PAGE_SIZE)} entries), so this run may have more data diffs than shown.`
      return false
    }
    return true
  }

  /** The last page: when every entry was this run's (the filter worked), `count` must add up. */
  private done(): false {
    // Stryker disable next-line ConditionalExpression: a comparison with undefined is false
    if (this.onlyThisRun && this.count !== undefined && this.diffs.length < this.count) {
      this.incomplete = `Datafold counts ${formatCount(this.count)} data diffs for this run but its pages held ${formatCount(this.diffs.length)} different ones (the pages may have shifted while they were read).`
    }
    return false
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
  not_compared: 1,
  running: 2,
  unchanged: 3
}

/** Changed tables first, then those that could not be compared, still running, unchanged. */
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
    const label = diff.result ?? (standingOf(diff) === 'running' ? 'no result yet' : 'no result')
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
  // Stryker disable next-line StringLiteral: a diff not compared without a result has status failed or cancelled
  const failed = names('not_compared', (diff) => ` (${diff.result ?? diff.status ?? 'no result'})`)
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

function countOf(diffs: readonly DataDiff[], standing: Standing): number {
  return diffs.filter((diff) => standingOf(diff) === standing).length
}

function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}
