import type { PrDetails } from '../src/datafold-client.js'
import type { DataDiff } from '../src/data-diffs.js'
import type { ModelFile } from '../src/dbt-models.js'
import { SUMMARY_MAX_BYTES } from '../src/limits.js'
import { renderSummary, SUMMARY_DIFFS, SUMMARY_TEXT_CHARS, type Report } from '../src/summary.js'
import { CONCLUSION_ICONS, type Conclusion } from '../src/verdict.js'
import { settledDiff } from '../__fixtures__/data-diffs.js'
import { elementsIn, linksIn, renderGfm, textOf } from '../__fixtures__/gfm.js'

const PR: PrDetails = {
  pr_number: 2,
  pr_branch: 'changes',
  base_branch: 'master',
  pr_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  base_sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'
}
const PR_URL = 'https://github.com/Codertocat/Hello-World/pull/2'

function report(overrides: Partial<Report> = {}): Report {
  return {
    title: 'Datafold CI passed',
    message: 'Datafold CI run 1234 for pull request #2 finished with status done.',
    host: new URL('https://app.datafold.com'),
    ciConfigId: 42,
    pr: PR,
    prUrl: PR_URL,
    ciRunId: 1234,
    runId: 99,
    status: 'done',
    conclusion: 'success',
    waitedMs: 75_000,
    polls: 3,
    ...overrides
  }
}

/** The whole summary of `report()`: a passing run, before any data diff section. */
const HEAD = [
  '### ✅ Datafold CI passed',
  '',
  'Datafold CI run 1234 for pull request #2 finished with status done.',
  '',
  '| | |',
  '| --- | --- |',
  `| Pull request | [#2](${PR_URL}): \`changes\` into \`master\` |`,
  '| Commits | head `ec26c3e`, base `f95f852` |',
  '| Datafold CI run | 1234 (run_id 99) |',
  '| Final status | `done` |',
  '| Conclusion | ✅ success |',
  '| Waited | 1m 15s, 3 status checks |',
  '| Datafold | https://app.datafold.com, CI config 42 |',
  ''
]

/** The cells of a GFM table row, split on unescaped pipes, with `\|` read back as `|`. */
function cells(row: string): string[] {
  const parts: string[] = []
  let current = ''
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\' && row[i + 1] === '|') {
      current += '|'
      i++
    } else if (row[i] === '|') {
      parts.push(current.trim())
      current = ''
    } else current += row[i]
  }
  parts.push(current.trim())
  // A row starts and ends with a pipe: drop the empty edges.
  return parts.slice(1, -1)
}

/** The table as name → value cell. */
function table(markdown: string): Record<string, string> {
  const rows = markdown.split('\n').filter((line) => line.startsWith('| '))
  const out: Record<string, string> = {}
  for (const row of rows.slice(2)) {
    const parts = cells(row)
    expect(parts).toHaveLength(2)
    out[parts[0]] = parts[1]
  }
  return out
}

/**
 * The code spans of a piece of inline markdown, as CommonMark reads them: a run of n backticks
 * opens a span that the next run of exactly n backticks closes; one space is stripped from each end
 * when both ends have one.
 */
function codeSpans(text: string): string[] {
  const spans: string[] = []
  let i = 0
  while (i < text.length) {
    if (text[i] !== '`') {
      i++
      continue
    }
    let n = 0
    while (text[i + n] === '`') n++
    const open = i + n
    let j = open
    let closed = -1
    while (j < text.length) {
      if (text[j] !== '`') {
        j++
        continue
      }
      let m = 0
      while (text[j + m] === '`') m++
      if (m === n) {
        closed = j
        break
      }
      j += m
    }
    if (closed < 0) {
      i = open
      continue
    }
    let content = text.slice(open, closed)
    if (content.length > 2 && content.startsWith(' ') && content.endsWith(' ') && content.trim())
      content = content.slice(1, -1)
    spans.push(content)
    i = closed + n
  }
  return spans
}

describe('renderSummary', () => {
  it('renders a success for a person reading the pull request', () => {
    const md = renderSummary(report())
    expect(md.split('\n')[0]).toBe('### ✅ Datafold CI passed')
    expect(md).toContain('Datafold CI run 1234 for pull request #2 finished with status done.')
    const rows = table(md)
    expect(rows['Pull request']).toBe(`[#2](${PR_URL}): \`changes\` into \`master\``)
    expect(rows['Commits']).toBe('head `ec26c3e`, base `f95f852`')
    expect(rows['Datafold CI run']).toBe('1234 (run_id 99)')
    expect(rows['Final status']).toBe('`done`')
    expect(rows['Conclusion']).toBe('✅ success')
    expect(rows['Waited']).toBe('1m 15s, 3 status checks')
    expect(rows['Datafold']).toBe('https://app.datafold.com, CI config 42')
    expect(md).not.toContain(PR.pr_sha)
    expect(md).not.toContain(PR.base_sha)
  })

  it('a success, whole: heading, message, a blank line each side, the table and a final newline', () => {
    expect(renderSummary(report())).toBe(HEAD.join('\n'))
  })

  it('an error before the trigger, whole: no pull request rows, the message lines kept apart', () => {
    const md = renderSummary(
      report({
        title: 'Datafold CI could not run',
        message:
          'Datafold refused the API key (HTTP 401) at https://app.datafold.com.\nSet api-key.',
        pr: undefined,
        prUrl: undefined,
        conclusion: undefined,
        ciRunId: undefined,
        triggerSent: false,
        runId: undefined,
        status: undefined,
        waitedMs: 400,
        polls: 0
      })
    )
    expect(md).toBe(
      [
        '### ⚠️ Datafold CI could not run',
        '',
        'Datafold refused the API key (HTTP 401) at https\\://app.datafold.com.  ',
        'Set api-key.',
        '',
        '| | |',
        '| --- | --- |',
        '| Datafold CI run | not triggered |',
        '| Final status | unknown |',
        '| Conclusion | ⚠️ none |',
        '| Waited | 0s, 0 status checks |',
        '| Datafold | https://app.datafold.com, CI config 42 |',
        ''
      ].join('\n')
    )
  })

  it.each<[Conclusion, string]>([
    ['success', '✅'],
    ['failure', '❌'],
    ['cancelled', '🚫'],
    ['timed_out', '⏱️'],
    ['skipped', '⏭️']
  ])('shows the icon of %s in the heading and the conclusion row', (conclusion, icon) => {
    expect(CONCLUSION_ICONS[conclusion]).toBe(icon)
    const md = renderSummary(report({ conclusion, title: 'T' }))
    expect(md.split('\n')[0]).toBe(`### ${icon} T`)
    expect(table(md)['Conclusion']).toBe(`${icon} ${conclusion}`)
  })

  it('renders a failure with its status', () => {
    const md = renderSummary(
      report({ title: 'Datafold CI failed', status: 'failed', conclusion: 'failure', runId: null })
    )
    expect(md).toMatch(/^### ❌ Datafold CI failed/)
    expect(table(md)['Final status']).toBe('`failed`')
    expect(table(md)['Datafold CI run']).toBe('1234')
  })

  it('renders a timeout with the last status and a multi-line message as separate lines', () => {
    const md = renderSummary(
      report({
        title: 'Datafold CI did not finish in time',
        message: 'Run 1234 did not finish.\nLast problem: HTTP 503',
        status: 'processing',
        conclusion: 'timed_out',
        waitedMs: 3_600_000,
        polls: 1
      })
    )
    expect(md).toMatch(/^### ⏱️ Datafold CI did not finish in time/)
    // A markdown hard line break (two spaces) keeps the lines apart.
    expect(md).toContain('Run 1234 did not finish.  \nLast problem\\: HTTP 503')
    expect(renderGfm(md)).toContain('<p>Run 1234 did not finish.<br />\nLast problem: HTTP 503</p>')
    expect(table(md)['Final status']).toBe('`processing`')
    expect(table(md)['Waited']).toBe('1h 0m 0s, 1 status check')
  })

  it('renders a skipped run: no run reported, no status', () => {
    const md = renderSummary(
      report({
        title: 'Datafold CI started no run',
        conclusion: 'skipped',
        ciRunId: null,
        runId: null,
        status: undefined
      })
    )
    expect(md).toMatch(/^### ⏭️ Datafold CI started no run/)
    expect(table(md)['Datafold CI run']).toBe('none reported by Datafold')
    expect(table(md)['Final status']).toBe('unknown')
    expect(table(md)['Conclusion']).toBe('⏭️ skipped')
  })

  it('renders an error before the trigger: no conclusion, not triggered', () => {
    const md = renderSummary(
      report({
        title: 'Datafold CI could not run',
        message: 'Datafold refused the API key (HTTP 401) at https://app.datafold.com.',
        conclusion: undefined,
        ciRunId: undefined,
        runId: undefined,
        status: undefined,
        waitedMs: 400,
        polls: 0
      })
    )
    expect(md).toMatch(/^### ⚠️ Datafold CI could not run/)
    expect(md).toContain('Datafold refused the API key (HTTP 401)')
    expect(table(md)['Datafold CI run']).toBe('not triggered')
    expect(table(md)['Conclusion']).toBe('⚠️ none')
    expect(table(md)['Waited']).toBe('0s, 0 status checks')
  })

  it('renders a triggered run without waiting', () => {
    const md = renderSummary(
      report({
        title: 'Datafold CI triggered',
        conclusion: undefined,
        status: undefined,
        polls: 0
      })
    )
    expect(md).toMatch(/^### ⚠️ Datafold CI triggered/)
    expect(table(md)['Datafold CI run']).toBe('1234 (run_id 99)')
  })

  it('shows the number without a link when there is no pull request URL', () => {
    const md = renderSummary(report({ prUrl: undefined }))
    expect(table(md)['Pull request']).toBe('#2: `changes` into `master`')
  })

  it('leaves the pull request rows out when the pull request is unknown', () => {
    const md = renderSummary(report({ pr: undefined, prUrl: undefined }))
    expect(table(md)['Pull request']).toBeUndefined()
    expect(table(md)['Commits']).toBeUndefined()
  })

  it('shows a dedicated host with its path', () => {
    const md = renderSummary(report({ host: new URL('https://example.com/datafold') }))
    expect(table(md)['Datafold']).toBe('https://example.com/datafold, CI config 42')
  })

  it.each([
    'feature|pipes',
    'a|b|c',
    'tick`in',
    '`leading',
    'trailing`',
    'double``tick',
    'x``<img src=x onerror=alert(1)>``',
    'x<script>alert(1)</script>',
    'end</td><td>cell',
    'both|`and`|pipes'
  ])('keeps branch %p whole, as code, in its own cell', (branch) => {
    const md = renderSummary(report({ pr: { ...PR, pr_branch: branch, base_branch: branch } }))
    const cell = table(md)['Pull request']
    expect(cell).toBeDefined()
    expect(codeSpans(cell)).toEqual([branch, branch])
  })

  it('escapes HTML in the title and the message', () => {
    const md = renderSummary(
      report({
        title: 'Run for <script>alert(1)</script>',
        message: 'Branch <img src=x onerror=alert(1)> & more'
      })
    )
    expect(md).not.toMatch(/<script|<img/)
    expect(md).toContain('Run for &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(md).toContain('Branch &lt;img src=x onerror=alert(1)&gt; &amp; more')
  })

  it('keeps a status with a pipe or backtick inside its cell', () => {
    const md = renderSummary(report({ status: 'weird|`status`' }))
    expect(codeSpans(table(md)['Final status'])).toEqual(['weird|`status`'])
  })

  it('keeps a status with a line break or HTML in one cell of one row', () => {
    const status =
      'processing\n<a href="https://evil.example">ok</a>\r\n## ✅ Datafold CI passed\u2028x'
    const md = renderSummary(report({ status, conclusion: 'timed_out' }))
    const row = md.split('\n').filter((line) => line.startsWith('| Final status |'))
    expect(row).toHaveLength(1)
    expect(codeSpans(table(md)['Final status'])).toEqual([
      'processing <a href="https://evil.example">ok</a>  ## ✅ Datafold CI passed x'
    ])
    expect(md.split('\n').filter((line) => line.startsWith('#'))).toHaveLength(1)
  })

  it('shows markdown from outside in the message as text: no heading, link, image or code', () => {
    const md = renderSummary(
      report({
        title: 'Datafold CI did not finish in time',
        conclusion: 'timed_out',
        message: [
          'Last status processing',
          '## ✅ Datafold CI passed',
          '---',
          '![x](https://evil.example/i.png) [click](https://evil.example) `code`',
          '- our own bullet stays a bullet'
        ].join('\n')
      })
    )
    const lines = md.split('\n')
    expect(lines.filter((line) => line.startsWith('#'))).toEqual([
      '### ⏱️ Datafold CI did not finish in time'
    ])
    expect(md).toContain('\\## ✅ Datafold CI passed')
    expect(md).toContain('\\---')
    expect(md).toContain('\n- our own bullet stays a bullet')
    const html = renderGfm(md)
    // Rendered as GitHub would: the text is all there, and it made no link, image, code or heading.
    expect(textOf(html)).toContain(
      '![x](https://evil.example/i.png) [click](https://evil.example) `code`'
    )
    expect(linksIn(html)).toEqual([PR_URL, 'https://app.datafold.com'])
    expect(elementsIn(html).filter((name) => ['img', 'code', 'h2', 'hr'].includes(name))).toEqual([
      'code',
      'code',
      'code',
      'code',
      'code'
    ])
    expect(html).toContain('<li>our own bullet stays a bullet</li>')
  })

  it('makes no link of a bare URL, a www. address or an e-mail address from outside', () => {
    const md = renderSummary(
      report({
        message:
          'See https://evil.example/login or www.evil.example or write to help@evil.example | x'
      })
    )
    const html = renderGfm(md)
    expect(linksIn(html)).toEqual([PR_URL, 'https://app.datafold.com'])
    expect(textOf(html)).toContain(
      'See https://evil.example/login or www.evil.example or write to help@evil.example | x'
    )
    // One table only: the summary's own.
    expect(elementsIn(html).filter((name) => name === 'table')).toHaveLength(1)
  })

  it('removes a secret before escaping, so an escaped form cannot slip past', () => {
    const key = 'dfk_a\\b<c>`d[e]'
    const md = renderSummary(
      report({ message: `Datafold said: auth ${key} refused`, status: `x${key}` }),
      (text) => text.split(key).join('***')
    )
    expect(md).not.toContain('dfk_')
    expect(textOf(renderGfm(md))).toContain('Datafold said: auth *** refused')
  })

  it('says the trigger was sent when it was, even without an answer', () => {
    expect(
      table(renderSummary(report({ ciRunId: undefined, triggerSent: true })))['Datafold CI run']
    ).toBe('trigger sent, no answer from Datafold')
    expect(
      table(renderSummary(report({ ciRunId: undefined, triggerSent: false })))['Datafold CI run']
    ).toBe('not triggered')
  })
})

describe('renderSummary: the data diffs', () => {
  const diff = (overrides: Partial<DataDiff> & { id: number }): DataDiff =>
    settledDiff({ table: `analytics.pr_2.t${overrides.id}`, ...overrides })
  const TABLE_HEAD = [
    '| Table | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Details |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |'
  ]

  it('a run that changed tables: the whole summary', () => {
    const md = renderSummary(
      report({
        dataDiffs: {
          diffs: [
            diff({ id: 11, table: 'analytics.pr_2.payments' }),
            diff({
              id: 12,
              table: 'analytics.pr_2.orders',
              result: 'different',
              rowsAdded: 12,
              rowsRemoved: 3,
              rowsChanged: 340,
              matchRatio: 0.9821
            }),
            diff({
              id: 13,
              table: 'analytics.pr_2.refunds',
              result: 'empty',
              rowsAdded: null,
              rowsRemoved: null,
              rowsChanged: null,
              matchRatio: null
            }),
            diff({
              id: 14,
              table: 'analytics.pr_2.customers',
              result: 'different',
              rowsChanged: 1234567,
              matchRatio: 0.99999
            }),
            diff({
              id: 15,
              table: null,
              result: 'bad-pks',
              rowsAdded: null,
              rowsRemoved: null,
              rowsChanged: null,
              matchRatio: null
            }),
            diff({
              id: 16,
              table: 'raw.events',
              result: null,
              status: 'processing',
              rowsAdded: null,
              rowsRemoved: null,
              rowsChanged: null,
              matchRatio: null
            })
          ]
        }
      })
    )
    expect(md).toBe(
      [
        ...HEAD,
        '#### Data diffs',
        '',
        '2 of 6 tables changed (2 different, 1 bad-pks, 1 no result yet, 1 identical, 1 empty).',
        '',
        ...TABLE_HEAD,
        '| `analytics.pr_2.customers` | 🔶 different | 0 | 0 | 1,234,567 | 99.99 % | [#14](https://app.datafold.com/datadiffs/14/overview) |',
        '| `analytics.pr_2.orders` | 🔶 different | 12 | 3 | 340 | 98.21 % | [#12](https://app.datafold.com/datadiffs/12/overview) |',
        '| (query) | ❌ bad-pks | – | – | – | – | [#15](https://app.datafold.com/datadiffs/15/overview) |',
        '| `raw.events` | ⏳ `processing` | – | – | – | – | [#16](https://app.datafold.com/datadiffs/16/overview) |',
        '| `analytics.pr_2.payments` | ✅ identical | 0 | 0 | 0 | 100 % | [#11](https://app.datafold.com/datadiffs/11/overview) |',
        '| `analytics.pr_2.refunds` | ⚪ empty | – | – | – | – | [#13](https://app.datafold.com/datadiffs/13/overview) |',
        ''
      ].join('\n')
    )
  })

  it('a run without data diffs, and one whose list could not be read: the whole section', () => {
    expect(renderSummary(report({ dataDiffs: { diffs: [] } }))).toBe(
      [...HEAD, '#### Data diffs', '', 'Datafold lists no data diffs for this run.', ''].join('\n')
    )
    expect(
      renderSummary(
        report({
          dataDiffs: {
            problem:
              'Datafold did not let the API key list data diffs (HTTP 403) at https://app.datafold.com.'
          }
        })
      )
    ).toBe(
      [
        ...HEAD,
        '#### Data diffs',
        '',
        'Data diffs could not be read\\: Datafold did not let the API key list data diffs (HTTP 403) at https\\://app.datafold.com.',
        ''
      ].join('\n')
    )
  })

  it('a failure of the gate: the message names the tables as plain text, bullets kept', () => {
    const md = renderSummary(
      report({
        title: 'Datafold CI found data changes',
        conclusion: 'failure',
        message:
          'Datafold CI run 1234 for pull request #2 finished with status done, but fail-on-data-changes is true and\n- 1 table differs: db.orders_*new*.',
        dataDiffs: { diffs: [diff({ id: 3, table: 'db.orders_*new*', result: 'different' })] }
      })
    )
    expect(md.split('\n').slice(0, 4)).toEqual([
      '### ❌ Datafold CI found data changes',
      '',
      'Datafold CI run 1234 for pull request #2 finished with status done, but fail-on-data-changes is true and  ',
      '- 1 table differs\\: db.orders\\_\\*new\\*.'
    ])
    const html = renderGfm(md)
    expect(html).toContain('<li>1 table differs: db.orders_*new*.</li>')
    expect(elementsIn(html).filter((name) => name === 'em' || name === 'strong')).toEqual([])
  })

  it(`shows the first ${SUMMARY_DIFFS} diffs, changed ones first, and says how many more`, () => {
    const diffs = Array.from({ length: 130 }, (_, i) =>
      diff({
        id: i + 1,
        table: `db.t${String(i).padStart(3, '0')}`,
        result: i % 10 === 9 ? 'different' : 'identical'
      })
    )
    const md = renderSummary(report({ dataDiffs: { diffs } }))
    const rows = md.split('\n').filter((line) => line.startsWith('| `db.'))
    expect(rows).toHaveLength(SUMMARY_DIFFS)
    expect(rows.slice(0, 13).every((row) => row.includes('🔶 different'))).toBe(true)
    expect(rows[13]).toContain('✅ identical')
    expect(md).toContain(
      '\nShowing the first 50 of 130 data diffs, changed tables first; the `data-diffs` output lists them all.\n'
    )
    expect(md).toContain('13 of 130 tables changed (13 different, 117 identical).')
  })

  it('says when the list is incomplete, and does not point at an output that is not set', () => {
    const diffs = Array.from({ length: 60 }, (_, i) => diff({ id: i + 1 }))
    const md = renderSummary(
      report({
        dataDiffs: {
          diffs,
          incomplete:
            "Page 11 of Datafold's list of data diffs could not be read, though its totals give the list 15 pages, so this run may have more data diffs than shown. Datafold answered HTTP 404."
        }
      })
    )
    expect(md).toContain('\nShowing the first 50 of 60 data diffs, changed tables first.\n')
    expect(textOf(renderGfm(md))).toContain(
      "Page 11 of Datafold's list of data diffs could not be read, though its totals give the list 15 pages, so this run may have more data diffs than shown. Datafold answered HTTP 404."
    )
  })

  describe('rendered as GitHub renders it', () => {
    const HOSTILE_TABLES = [
      'db.orders|x|y',
      'db.`tick`',
      'db.<img src=x onerror=alert(1)>',
      'db.[click](https://evil.example)',
      'https://evil.example/login',
      'www.evil.example',
      'db.x\n| injected | row |\n',
      'db.</td><td>cell',
      '![img](https://evil.example/i.png)',
      'help@evil.example'
    ]
    const html = (host = 'https://app.datafold.com'): string =>
      renderGfm(
        renderSummary(
          report({
            host: new URL(host),
            dataDiffs: {
              diffs: HOSTILE_TABLES.map((table, i) =>
                diff({
                  id: 100 + i,
                  table,
                  result: i === 3 ? '<b>different</b>' : 'different',
                  status: i === 4 ? '[done](https://evil.example)' : 'done'
                })
              ),
              problem: 'Datafold answered <script>alert(1)</script> see https://evil.example'
            }
          })
        )
      )

    it('the run table and the diff table are tables, with one row per diff', () => {
      const rendered = html()
      expect(elementsIn(rendered).filter((name) => name === 'table')).toHaveLength(2)
      const diffTable = rendered.slice(rendered.lastIndexOf('<table>'))
      expect(diffTable.match(/<tr>/g)).toHaveLength(HOSTILE_TABLES.length + 1)
      expect(diffTable.match(/<td/g)).toHaveLength(HOSTILE_TABLES.length * 7)
      // Each row's first cell is one whole table name, and its last the link to that diff.
      const rows = diffTable.split('<tr>').slice(2)
      const firstCells = rows.map((row) => textOf(/<td[^>]*>(.*?)<\/td>/s.exec(row)?.[1] ?? ''))
      expect(firstCells.sort()).toEqual(
        HOSTILE_TABLES.map((table) => table.replace(/\n/g, ' ')).sort()
      )
      for (const row of rows)
        expect(row).toMatch(
          /<a href="[^"]*\/datadiffs\/1\d\d\/overview">#1\d\d<\/a><\/td>\s*<\/tr>/
        )
    })

    it('the only links are the pull request, and each diff to its /datadiffs/{id}/overview', () => {
      const links = linksIn(html())
      expect(links.slice(0, 2)).toEqual([PR_URL, 'https://app.datafold.com'])
      expect(links.slice(2).sort()).toEqual(
        HOSTILE_TABLES.map((_, i) => `https://app.datafold.com/datadiffs/${100 + i}/overview`)
      )
    })

    it('links stay under a dedicated host with a path', () => {
      expect(linksIn(html('https://example.com/datafold'))).toContain(
        'https://example.com/datafold/datadiffs/100/overview'
      )
    })

    it('server text adds no HTML, images, emphasis or headings, and shows as it came', () => {
      const rendered = html()
      expect([...new Set(elementsIn(rendered))].sort()).toEqual([
        'a',
        'code',
        'h3',
        'h4',
        'p',
        'table',
        'tbody',
        'td',
        'th',
        'thead',
        'tr'
      ])
      const text = textOf(rendered)
      for (const table of HOSTILE_TABLES) expect(text).toContain(table.replace(/\n/g, ' ').trim())
      expect(text).toContain('<b>different</b>')
      expect(text).toContain('Datafold answered <script>alert(1)</script> see https://evil.example')
    })
  })
})

describe('renderSummary: the models of a dbt manifest', () => {
  const BLOB =
    'https://github.com/Codertocat/Hello-World/blob/ec26c3e57ca3a959ca5aad62de7213c562f8c821'
  const model = (path: string): ModelFile => ({
    uniqueId: 'model.p.m',
    resourceType: 'model',
    path
  })
  const diffs = [
    settledDiff({
      id: 1,
      table: 'DB.PR.ORDERS',
      result: 'different',
      rowsChanged: 4,
      matchRatio: 0.9,
      affectedColumns: ['AMOUNT', 'A|B']
    }),
    settledDiff({ id: 2, table: 'DB.PR.LEGACY', result: 'different', rowsChanged: 1 }),
    settledDiff({
      id: 3,
      table: 'DB.PR.WIDE',
      result: 'different',
      rowsChanged: 1,
      affectedColumns: Array.from({ length: 12 }, (_, i) => `C${i + 1}`)
    })
  ]
  const files = new Map([
    [1, model('dbt/models/marts/fct orders (v2.sql')],
    [3, model('dbt/models/wide.sql')]
  ])

  it('adds the model, linked at the head commit, and the changed columns', () => {
    const md = renderSummary(
      report({ dataDiffs: { diffs }, models: { files, blobBase: BLOB, notAnnotated: 0 } })
    )
    const section = md.slice(md.indexOf('| Table |'))
    expect(section.split('\n').slice(0, 5)).toEqual([
      '| Table | Model | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Changed columns | Details |',
      '| --- | --- | --- | ---: | ---: | ---: | ---: | --- | --- |',
      `| \`DB.PR.LEGACY\` | – | 🔶 different | 0 | 0 | 1 | 100 % | – | [#2](https://app.datafold.com/datadiffs/2/overview) |`,
      `| \`DB.PR.ORDERS\` | [\`dbt/models/marts/fct orders (v2.sql\`](${BLOB}/dbt/models/marts/fct%20orders%20%28v2.sql) | 🔶 different | 0 | 0 | 4 | 90 % | \`AMOUNT\`, \`A\\|B\` | [#1](https://app.datafold.com/datadiffs/1/overview) |`,
      `| \`DB.PR.WIDE\` | [\`dbt/models/wide.sql\`](${BLOB}/dbt/models/wide.sql) | 🔶 different | 0 | 0 | 1 | 100 % | ${Array.from({ length: 10 }, (_, i) => `\`C${i + 1}\``).join(', ')} and 2 more | [#3](https://app.datafold.com/datadiffs/3/overview) |`
    ])
    expect(md).not.toContain('not annotated')
    const html = renderGfm(md)
    expect(linksIn(html)).toContain(`${BLOB}/dbt/models/marts/fct%20orders%20%28v2.sql`)
    const rows = (html.slice(html.lastIndexOf('<table>')).match(/<tr>[\s\S]*?<\/tr>/g) ?? []).slice(
      1
    )
    expect(rows).toHaveLength(3)
    for (const row of rows) expect(row.match(/<td/g)).toHaveLength(9)
  })

  it('the path alone when the repository or head commit is unknown', () => {
    const md = renderSummary(report({ dataDiffs: { diffs }, models: { files, notAnnotated: 0 } }))
    expect(md).toContain('| `DB.PR.WIDE` | `dbt/models/wide.sql` | 🔶 different |')
  })

  it('says how many models got no annotation', () => {
    const one = renderSummary(
      report({ dataDiffs: { diffs }, models: { files, blobBase: BLOB, notAnnotated: 1 } })
    )
    expect(one).toContain(
      "\n1 more model is not annotated in the pull request's files: GitHub shows at most 10 annotations of a kind per step, and the largest changes got them.\n"
    )
    const many = renderSummary(
      report({ dataDiffs: { diffs }, models: { files, blobBase: BLOB, notAnnotated: 4 } })
    )
    expect(many).toContain('\n4 more models are not annotated in the pull request')
  })
})

describe('renderSummary: text that could mislead or overflow', () => {
  const diff = (id: number, table: string, result: DataDiff['result'] = 'different'): DataDiff => ({
    id,
    table,
    status: 'done',
    result,
    rowsAdded: 1,
    rowsRemoved: 0,
    rowsChanged: 2,
    matchRatio: 0.5
  })

  it('turns bidi controls in table names, statuses and messages into spaces, so none reorders a line', () => {
    const md = renderSummary(
      report({
        status: 'done\u202e\u2066x\u2069',
        message: 'Datafold said \u202eliaf\u202c and \u200f\u061cmore',
        dataDiffs: { diffs: [diff(1, 'analytics.\u202esredro\u202c')] }
      })
    )
    expect(md).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/)
    expect(md).toContain('`done  x `')
    expect(md).toContain('`analytics. sredro `')
  })

  it('cuts a huge table name or status in its cell, saying how much was cut', () => {
    const name = `analytics.${'n'.repeat(25_000)}`
    const md = renderSummary(
      report({ status: 's'.repeat(30_000), dataDiffs: { diffs: [diff(1, name)] } })
    )
    const row = md.split('\n').find((line) => line.startsWith('| `analytics.'))!
    expect(row.length).toBeLessThan(1_500)
    expect(row).toContain(
      `… (${(name.length - SUMMARY_TEXT_CHARS).toLocaleString('en-US')} more characters cut)`
    )
    const status = md.split('\n').find((line) => line.startsWith('| Final status |'))!
    expect(status).toContain('more characters cut')
    expect(status.length).toBeLessThan(1_500)
  })

  it('60 diffs with 25 kB names and a message naming them stay under the limit, heading and verdict first', () => {
    const names = Array.from({ length: 60 }, (_, i) => `analytics.t${i}_${'x'.repeat(25_000)}`)
    const md = renderSummary(
      report({
        title: 'Datafold CI found data changes',
        conclusion: 'failure',
        message: [
          'Datafold CI run 1234 for pull request #2 finished with status done, but fail-on-data-changes is true and',
          `- 60 tables differ: ${names.slice(0, 10).join(', ')}, and 50 more.`
        ].join('\n'),
        dataDiffs: { diffs: names.map((name, i) => diff(i + 1, name)) }
      })
    )
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    const lines = md.split('\n')
    expect(lines[0]).toBe('### ❌ Datafold CI found data changes')
    expect(lines[2]).toMatch(/^Datafold CI run 1234 for pull request #2 finished with status done/)
    expect(lines[3]).toMatch(/more characters cut\)$/)
    expect(md).toContain('| Conclusion | ❌ failure |')
    expect(lines.filter((line) => line.startsWith('| `analytics.'))).toHaveLength(SUMMARY_DIFFS)
  })

  it('keeps whole lines up to the limit and says what it left out when the summary is still too big', () => {
    const message = Array.from({ length: 200_000 }, (_, i) => `- problem ${i}: ${'p'.repeat(20)}`)
    const md = renderSummary(
      report({
        title: 'Datafold CI could not run',
        conclusion: undefined,
        message: message.join('\n')
      })
    )
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    const lines = md.split('\n')
    expect(lines[0]).toBe('### ⚠️ Datafold CI could not run')
    expect(lines[2]).toBe('- problem 0\\: pppppppppppppppppppp  ')
    expect(lines.at(-1)).toMatch(
      /^_The rest of this summary \([\d,]+ lines, [\d,]+ bytes\) was left out: GitHub drops a job summary larger than 1 MiB whole\._$/
    )
  })

  it('does not point at the data-diffs output when the list is too big for it', () => {
    const diffs = Array.from({ length: 1_000 }, (_, i) =>
      diff(i + 1, `analytics.t${i}_${'y'.repeat(1_000)}`)
    )
    const md = renderSummary(report({ dataDiffs: { diffs } }))
    expect(md).toContain(
      '\nShowing the first 50 of 1,000 data diffs, changed tables first; the list is too big for the `data-diffs` output (GitHub takes at most 1,000,000 bytes), so it is not set.\n'
    )
  })
})

describe('renderSummary: who started the run', () => {
  it.each([
    ['trigger', "this step's trigger"],
    ['datafold', 'Datafold on its own'],
    ['ci-run-id', 'the ci-run-id input']
  ] as const)('%s: a "Started by" row after the run, saying %s', (startedBy, words) => {
    const md = renderSummary(report({ startedBy }))
    expect(table(md)['Started by']).toBe(words)
    expect(md).toContain(`| Datafold CI run | 1234 (run_id 99) |\n| Started by | ${words} |`)
  })

  it('no row when the step followed no run', () => {
    expect(table(renderSummary(report()))).not.toHaveProperty('Started by')
  })
})
