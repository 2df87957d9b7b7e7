/**
 * The job summary as markdown: what a person reading the pull request's checks needs to know.
 * Pure: it renders a Report, it does not gather one.
 */
import type { PrDetails } from './datafold-client.js'
import {
  countResults,
  diffOutputs,
  diffUrl,
  inDisplayOrder,
  isFailedOrCancelled,
  standingOf,
  type DataDiff,
  type DiffsReading
} from './data-diffs.js'
import type { ModelFile } from './dbt-models.js'
import { formatCount, formatDuration, formatRatio, oneLine, shortSha } from './format.js'
import { cutText, fitLines, fitsOutput, OUTPUT_MAX_BYTES, SUMMARY_MAX_BYTES } from './limits.js'
import { CONCLUSION_ICONS, type Conclusion } from './verdict.js'
import { STARTED_BY_WORDS, type StartedBy } from './which-run.js'

export interface Report {
  /** One-line verdict shown as the heading. */
  title: string
  /** What happened and what to do, in a sentence or a few lines. */
  message: string
  host: URL
  ciConfigId: number
  pr?: PrDetails
  prUrl?: string
  /** Undefined: no answer from the trigger; null: Datafold named no run. */
  ciRunId?: number | null
  /** Whether the trigger request was sent (it may have started a run even without an answer). */
  triggerSent?: boolean
  /** Who started the run the step followed, when the step knows which run that is. */
  startedBy?: StartedBy
  runId?: number | null
  status?: string
  conclusion?: Conclusion
  waitedMs: number
  polls: number
  /** The run's data diffs, when they were looked up (show-data-diffs, after done or failed). */
  dataDiffs?: DiffsReading
  /** The table pairs sent with the diffs input; `lost` when the upload's answer never came. */
  tablePairs?: { count: number; lost?: string }
  /** With dbt-manifest: the model of each diff's table, and the annotations GitHub had no room for. */
  models?: ModelsReport
}

export interface ModelsReport {
  /** The model that built each diff's table, by diff id. */
  files: ReadonlyMap<number, ModelFile>
  /** `<server>/<owner>/<repo>/blob/<head sha>`, when the repository and head commit are known. */
  blobBase?: string
  /** Models that got no annotation: GitHub shows at most 10 of a kind per step. */
  notAnnotated: number
}

/** Data diffs shown in the summary's table; the rest are counted below it. */
export const SUMMARY_DIFFS = 50
/** Changed columns named in a row; the rest are counted. */
const SUMMARY_COLUMNS = 10
/**
 * Outside text in a cell (a table name, a status) and in a line of the message is cut at these
 * lengths, so 50 rows of absurd names cannot push the summary past what GitHub keeps.
 */
export const SUMMARY_TEXT_CHARS = 1_000
const SUMMARY_LINE_CHARS = 2_000

/** Icons for the results Datafold documents. */
const RESULT_ICONS: Record<string, string> = {
  different: '🔶',
  identical: '✅',
  empty: '⚪',
  error: '❌',
  'bad-pks': '❌',
  'missing-pks': '❌'
}

/**
 * `redact` removes secrets from every piece of outside text before it is escaped: escaping first
 * would turn a key with a backslash or `<` into text that no longer matches the key.
 */
export function renderSummary(report: Report, redact: (text: string) => string = (t) => t): string {
  // Cut after the secrets are removed, so a cut never leaves part of one.
  const code = (raw: string): string => codeSpan(cutText(redact(raw), SUMMARY_TEXT_CHARS))
  const escapeText = (text: string): string => escapeHtml(redact(text))
  const escapeLine = (line: string): string => plainLine(cutText(redact(line), SUMMARY_LINE_CHARS))
  const icon = report.conclusion ? CONCLUSION_ICONS[report.conclusion] : '⚠️'
  const rows: [string, string][] = []
  if (report.pr) {
    const pr = report.pr
    const number = report.prUrl ? `[#${pr.pr_number}](${report.prUrl})` : `#${pr.pr_number}`
    rows.push(['Pull request', `${number}: ${code(pr.pr_branch)} into ${code(pr.base_branch)}`])
    rows.push(['Commits', `head ${code(shortSha(pr.pr_sha))}, base ${code(shortSha(pr.base_sha))}`])
  }
  rows.push(['Datafold CI run', escapeText(runCell(report))])
  if (report.startedBy) rows.push(['Started by', STARTED_BY_WORDS[report.startedBy]])
  if (report.tablePairs) {
    const { count, lost } = report.tablePairs
    const pairs = `${count} ${count === 1 ? 'pair' : 'pairs'}`
    rows.push(['Table pairs', lost ? `${pairs} sent, answer lost` : `${pairs} submitted`])
  }
  rows.push(['Final status', report.status ? code(report.status) : 'unknown'])
  rows.push(['Conclusion', report.conclusion ? `${icon} ${report.conclusion}` : `${icon} none`])
  rows.push([
    'Waited',
    `${formatDuration(report.waitedMs)}, ${report.polls} status ${report.polls === 1 ? 'check' : 'checks'}`
  ])
  rows.push([
    'Datafold',
    `${escapeText(report.host.href.replace(/\/$/, ''))}, CI config ${report.ciConfigId}`
  ])

  const lines = [
    `### ${icon} ${escapeText(report.title)}`,
    '',
    report.message
      .split('\n')
      .map((line) => escapeLine(line.trimEnd()))
      .join('  \n'),
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(tableRow),
    '',
    ...(report.dataDiffs
      ? dataDiffSection(report.dataDiffs, report.host, code, escapeLine, report.models)
      : [])
  ]
  // The heading and the message come first, so a cut keeps the verdict.
  return fitLines(
    lines.join('\n'),
    SUMMARY_MAX_BYTES,
    (left) =>
      `_The rest of this summary (${formatCount(left.lines)} lines, ${formatCount(left.bytes)} bytes) was left out: GitHub drops a job summary larger than 1 MiB whole._`
  )
}

/**
 * The "Data diffs" section: a sentence with the counts, then a table of the diffs (changed tables
 * first), each linked to its page in Datafold. Table names, results and statuses come from
 * Datafold, so they are code spans (or escaped lines) like every other outside text.
 */
function dataDiffSection(
  reading: DiffsReading,
  host: URL,
  code: (raw: string) => string,
  escapeLine: (line: string) => string,
  models?: ModelsReport
): string[] {
  const lines = ['#### Data diffs', '']
  if (reading.problem)
    lines.push(escapeLine(`Data diffs could not be read: ${reading.problem}`), '')
  const diffs = reading.diffs ? inDisplayOrder(reading.diffs) : undefined
  if (diffs === undefined) return lines
  if (diffs.length === 0) {
    lines.push(
      reading.incomplete
        ? 'Datafold listed no data diffs of this run in the pages read.'
        : 'Datafold lists no data diffs for this run.',
      ''
    )
  } else {
    const changed = diffs.filter((diff) => standingOf(diff) === 'changed').length
    lines.push(
      escapeLine(
        `${formatCount(changed)} of ${formatCount(diffs.length)} ${diffs.length === 1 ? 'table' : 'tables'} changed (${countResults(diffs)}).`
      ),
      '',
      // The model and its changed columns only with dbt-manifest: without it, the table as before.
      models
        ? '| Table | Model | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Changed columns | Details |'
        : '| Table | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Details |',
      models
        ? '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |'
        : '| --- | --- | ---: | ---: | ---: | ---: | --- |',
      ...diffs.slice(0, SUMMARY_DIFFS).map((diff) => {
        const cells = [
          diff.table === null ? '(query)' : code(diff.table),
          resultCell(diff, code),
          count(diff.rowsAdded),
          count(diff.rowsRemoved),
          count(diff.rowsChanged),
          diff.matchRatio === null ? '–' : formatRatio(diff.matchRatio),
          `[#${diff.id}](${diffUrl(host, diff.id)})`
        ]
        if (models) {
          cells.splice(1, 0, modelCell(models, diff.id, code))
          cells.splice(7, 0, columnsCell(diff, code))
        }
        return tableRow(cells)
      }),
      ''
    )
    if (models && models.notAnnotated > 0) {
      lines.push(
        `${formatCount(models.notAnnotated)} more ${models.notAnnotated === 1 ? 'model is' : 'models are'} not annotated in the pull request's files: GitHub shows at most 10 annotations of a kind per step, and the largest changes got them.`,
        ''
      )
    }
    if (diffs.length > SUMMARY_DIFFS) {
      lines.push(
        `Showing the first ${SUMMARY_DIFFS} of ${formatCount(diffs.length)} data diffs, changed tables first${reading.incomplete || reading.problem ? '' : outputNote(diffs, host)}.`,
        ''
      )
    }
  }
  if (reading.incomplete) lines.push(escapeLine(reading.incomplete), '')
  return lines
}

/** Where the rest of a whole list is: the `data-diffs` output, unless it is too big to be one. */
function outputNote(diffs: readonly DataDiff[], host: URL): string {
  return fitsOutput(JSON.stringify(diffOutputs(diffs, host)))
    ? '; the `data-diffs` output lists them all'
    : `; the list is too big for the \`data-diffs\` output (GitHub takes at most ${formatCount(OUTPUT_MAX_BYTES)} bytes), so it is not set`
}

function resultCell(diff: DataDiff, code: (raw: string) => string): string {
  const standing = standingOf(diff)
  // A result its row counts contradict proves nothing: no ✅ beside rows that changed.
  if (standing === 'inconsistent') return `⚠️ ${code(diff.result ?? '')}, rows disagree`
  // A result counts once the diff is done; one that failed or was cancelled shows its status.
  if (diff.result !== null && standing !== 'running' && !isFailedOrCancelled(diff)) {
    const icon = Object.hasOwn(RESULT_ICONS, diff.result) ? RESULT_ICONS[diff.result] : undefined
    return icon ? `${icon} ${diff.result}` : `❔ ${code(diff.result)}`
  }
  const status = diff.status === null ? 'no status' : code(diff.status)
  return standing === 'running' ? `⏳ ${status}` : `❌ ${status}`
}

/** The model's file, linked to it at the head commit; – for a table no model builds. */
function modelCell(models: ModelsReport, id: number, code: (raw: string) => string): string {
  const model = models.files.get(id)
  if (!model) return '–'
  if (!models.blobBase) return code(model.path)
  // Each segment encoded, parentheses too, so a space or a `)` in a path cannot end the link.
  const segment = (part: string): string =>
    encodeURIComponent(part).replace(
      /[()]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
    )
  const href = `${models.blobBase}/${model.path.split('/').map(segment).join('/')}`
  return `[${code(model.path)}](${href})`
}

/** `affected_columns`: the first few as code, the rest counted; – when Datafold lists none. */
function columnsCell(diff: DataDiff, code: (raw: string) => string): string {
  const columns = diff.affectedColumns ?? []
  if (columns.length === 0) return '–'
  const named = columns.slice(0, SUMMARY_COLUMNS).map(code).join(', ')
  return columns.length > SUMMARY_COLUMNS
    ? `${named} and ${formatCount(columns.length - SUMMARY_COLUMNS)} more`
    : named
}

function count(value: number | null): string {
  return value === null ? '–' : formatCount(value)
}

/** A row of a table; a pipe inside a cell (in a code span too) must be escaped to stay in it. */
function tableRow(cells: string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`
}

function runCell(report: Report): string {
  if (report.ciRunId === undefined) {
    return report.triggerSent ? 'trigger sent, no answer from Datafold' : 'not triggered'
  }
  if (report.ciRunId === null) return 'none reported by Datafold'
  return report.runId ? `${report.ciRunId} (run_id ${report.runId})` : String(report.ciRunId)
}

/**
 * Inline code that survives any branch name or status: one line (a line break would end the table
 * row), with a fence longer than any backtick run inside.
 */
function codeSpan(raw: string): string {
  const text = oneLine(raw)
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  if (longest === 0) return `\`${text}\``
  const fence = '`'.repeat(longest + 1)
  return `${fence} ${text} ${fence}`
}

/** Text from outside (Datafold's messages, names) shown as text, never as HTML. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/**
 * One line of a message, which carries text from Datafold or GitHub: no HTML, no links (GFM turns
 * bare URLs, www. addresses and e-mail addresses into links, so their `:`, `.` and `@` are escaped),
 * no code spans, emphasis or table cells, and nothing that starts a block (a heading, a quote, a
 * setext underline) except the message's own `- ` bullets.
 */
function plainLine(line: string): string {
  const text = escapeHtml(oneLine(line))
    .replace(/[\\`[\]*_~|:@]/g, '\\$&')
    .replace(/\b(www)\./gi, '$1\\.')
  return text.replace(/^(\s*)([#=+]|-(?!\s))/, '$1\\$2')
}
