/**
 * The job summary as markdown: what a person reading the pull request's checks needs to know.
 * Pure: it renders a Report, it does not gather one.
 */
import type { PrDetails } from './datafold-client.js'
import { formatDuration, shortSha } from './format.js'
import { CONCLUSION_ICONS, type Conclusion } from './verdict.js'

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
  runId?: number | null
  status?: string
  conclusion?: Conclusion
  waitedMs: number
  polls: number
}

/**
 * `redact` removes secrets from every piece of outside text before it is escaped: escaping first
 * would turn a key with a backslash or `<` into text that no longer matches the key.
 */
export function renderSummary(report: Report, redact: (text: string) => string = (t) => t): string {
  const code = (raw: string): string => codeSpan(redact(raw))
  const escapeText = (text: string): string => escapeHtml(redact(text))
  const escapeLine = (line: string): string => plainLine(redact(line))
  const icon = report.conclusion ? CONCLUSION_ICONS[report.conclusion] : '⚠️'
  const rows: [string, string][] = []
  if (report.pr) {
    const pr = report.pr
    const number = report.prUrl ? `[#${pr.pr_number}](${report.prUrl})` : `#${pr.pr_number}`
    rows.push(['Pull request', `${number}: ${code(pr.pr_branch)} into ${code(pr.base_branch)}`])
    rows.push(['Commits', `head ${code(shortSha(pr.pr_sha))}, base ${code(shortSha(pr.base_sha))}`])
  }
  rows.push(['Datafold CI run', escapeText(runCell(report))])
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

  return [
    `### ${icon} ${escapeText(report.title)}`,
    '',
    report.message
      .split('\n')
      .map((line) => escapeLine(line.trimEnd()))
      .join('  \n'),
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${value.replace(/\|/g, '\\|')} |`),
    ''
  ].join('\n')
}

function runCell(report: Report): string {
  if (report.ciRunId === undefined) {
    return report.triggerSent ? 'trigger sent, no answer from Datafold' : 'not triggered'
  }
  if (report.ciRunId === null) return 'none reported by Datafold'
  return report.runId ? `${report.ciRunId} (data diff ${report.runId})` : String(report.ciRunId)
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

/** Control characters and line breaks (including U+0085, U+2028, U+2029) become spaces. */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return text.replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]/g, ' ')
}
