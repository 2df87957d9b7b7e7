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
  ciRunId?: number | null
  runId?: number | null
  status?: string
  conclusion?: Conclusion
  waitedMs: number
  polls: number
}

export function renderSummary(report: Report): string {
  const icon = report.conclusion ? CONCLUSION_ICONS[report.conclusion] : '⚠️'
  const rows: [string, string][] = []
  if (report.pr) {
    const pr = report.pr
    const number = report.prUrl ? `[#${pr.pr_number}](${report.prUrl})` : `#${pr.pr_number}`
    rows.push(['Pull request', `${number}: ${code(pr.pr_branch)} into ${code(pr.base_branch)}`])
    rows.push(['Commits', `head ${code(shortSha(pr.pr_sha))}, base ${code(shortSha(pr.base_sha))}`])
  }
  rows.push(['Datafold CI run', runCell(report)])
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
    escapeText(report.message)
      .split('\n')
      .map((line) => line.trimEnd())
      .join('  \n'),
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${value.replace(/\|/g, '\\|')} |`),
    ''
  ].join('\n')
}

function runCell(report: Report): string {
  if (report.ciRunId === undefined) return 'not triggered'
  if (report.ciRunId === null) return 'none reported by Datafold'
  return report.runId ? `${report.ciRunId} (data diff ${report.runId})` : String(report.ciRunId)
}

/** Inline code that survives any branch name: the fence is longer than any backtick run inside. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  if (longest === 0) return `\`${text}\``
  const fence = '`'.repeat(longest + 1)
  return `${fence} ${text} ${fence}`
}

/** Text from outside (Datafold's messages, names) shown as text, never as HTML. */
function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
