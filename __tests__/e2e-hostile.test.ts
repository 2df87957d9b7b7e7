/**
 * Odd but possible answers and inputs, end to end: the bundled action (dist/index.js) against the
 * stand-in Datafold on a real socket, as a hostile or broken server or a careless workflow would
 * meet it. Run under Node 20 and Node 24 (the e2e tests run dist/ with the node that runs jest).
 *
 * - statuses the action does not know that read as an ending fail at once;
 * - the key echoed in every escaping a server may apply never reaches the log or the summary;
 * - bidi controls in statuses and table names never reach the log or the summary;
 * - GitHub's size limits: outputs, the summary and the ::error:: line stay within them;
 * - a match ratio just below 1 never shows 100 %;
 * - a key a header cannot carry, ids that are not ids, a run listed twice, a null payload.
 */
import { readFileSync } from 'node:fs'
import {
  commands,
  EVENTS_DIR,
  keyLeaks,
  runAgainstStandIn as run,
  type ActionResult,
  type StandInRunResult
} from '../__fixtures__/run-action.js'

/** The head commit of pull_request.opened.json, the event the runs below belong to. */
const PR_SHA = (
  JSON.parse(readFileSync(`${EVENTS_DIR}/pull_request.opened.json`, 'utf8')) as {
    pull_request: { head: { sha: string } }
  }
).pull_request.head.sha
const TRIGGER = 'POST /api/v1/ci/42/trigger'
const calls = ({ requests }: StandInRunResult): string[] =>
  requests.map((r) => `${r.method} ${r.path}`)

/** Everything the step wrote that a person reads, without the runner's own mask lines. */
const readable = (result: ActionResult): string =>
  [
    result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    result.stderr,
    result.summary
  ].join('\n')

/** GitHub's limits: 1 MiB for the job summary (a bigger one is dropped whole), 1 MB an output. */
const SUMMARY_LIMIT = 1024 * 1024
const OUTPUT_LIMIT = 1_000_000

describe('statuses the action does not know', () => {
  it.each(['canceled', 'error', 'failure', 'success', 'completed'])(
    'a run that reports %p fails at once, quoting it, instead of waiting out wait-timeout-minutes',
    async (status) => {
      const outcome = await run({ statuses: ['queued', status] }, { 'wait-timeout-minutes': '0.2' })
      const { result } = outcome
      expect(result.killed).toBe(false)
      expect(result.code).toBe(1)
      expect(commands(result.stdout, 'error')).toEqual([
        `Datafold CI run 1000 reported status "${status}", which this action does not know. It looks final, so the step stops here and fails rather than guess what it means or wait for a status that may never come. Open the run in Datafold for its result, and please report the status to the maintainers of this action so it can learn it.`
      ])
      expect(result.outputs.status).toBe(status)
      expect(result.outputs.verdict ?? '').toBe('')
      // The status checks until the status came, and not one more.
      expect(calls(outcome).filter((call) => call.endsWith('/runs'))).toHaveLength(3)
      expect(result.summary).toContain(`| Final status | \`${status}\` |`)
      expect(keyLeaks(result)).toEqual([])
    }
  )
})

describe('the key in every escaping a server may apply', () => {
  // Every character an escaper touches that a header can carry, between letters and digits.
  const KEY = `dfk_Zq7&Lw3<Xv9>Rt2"Mn8\\Kp4/=Hs5'~Jy6`
  const PIECES = ['Zq7', 'Lw3', 'Xv9', 'Rt2', 'Mn8', 'Kp4', 'Hs5', 'Jy6']

  const json = (text: string): string => JSON.stringify(text).slice(1, -1)
  const go = (text: string): string =>
    json(text).replace(/[&<>]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
  const everyChar = (text: string): string =>
    Array.from(text, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
  const html = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

  /** Escapings that yield JSON string content, put in the body as the server's encoder wrote them. */
  const IN_JSON: [string, string][] = [
    ['JSON', json(KEY)],
    ['Go', go(KEY)],
    ['every character escaped', everyChar(KEY)],
    ['JSON twice', json(json(KEY))],
    ['Go inside JSON', json(go(KEY))]
  ]
  /** Escapings of text, quoted in the body as plain JSON strings. */
  const AS_TEXT: [string, string][] = [
    ['URL', encodeURIComponent(KEY)],
    ['URL twice', encodeURIComponent(encodeURIComponent(KEY))],
    ['HTML entities', html(KEY)],
    ['HTML twice', html(html(KEY))]
  ]

  it('a 422 whose messages quote the key in each escaping shows none of it', async () => {
    const detail = [
      ...IN_JSON.map(([name, text]) => `{"loc":["header","${name}"],"msg":"Key ${text}"}`),
      ...AS_TEXT.map(
        ([name, text]) => `{"loc":["header","${name}"],"msg":${JSON.stringify(`Key ${text}`)}}`
      )
    ]
    const outcome = await run(
      {
        apiKey: KEY,
        faults: { trigger: [{ status: 422, body: `{"detail":[${detail.join(',')}]}` }] }
      },
      { 'api-key': KEY }
    )
    const { result } = outcome
    expect(result.code).toBe(1)
    const [error] = commands(result.stdout, 'error')
    expect(error.split('\n')).toEqual([
      'Datafold rejected the request as invalid (HTTP 422):',
      ...[...IN_JSON, ...AS_TEXT].map(([name]) => `  - header.${name}: Key ***`)
    ])
    for (const piece of PIECES) expect(readable(result)).not.toContain(piece)
    expect(keyLeaks(result, KEY)).toEqual([])
  })

  it('a 500 page that echoes the key escaped, not JSON, shows none of it', async () => {
    const body = `upstream said: ${go(KEY)} | ${json(json(KEY))} | ${encodeURIComponent(encodeURIComponent(KEY))}`
    const outcome = await run(
      {
        apiKey: KEY,
        faults: { trigger: [{ status: 500, body, headers: { 'Content-Type': 'text/plain' } }] }
      },
      { 'api-key': KEY }
    )
    const { result } = outcome
    expect(result.code).toBe(1)
    expect(commands(result.stdout, 'error')).toEqual([
      'Datafold had a server error (HTTP 500): upstream said: *** | *** | ***'
    ])
    for (const piece of PIECES) expect(readable(result)).not.toContain(piece)
  })
})

describe('bidi controls from Datafold', () => {
  it('never reach the log or the summary: written out in the log, spaces in the summary', async () => {
    const outcome = await run({
      statuses: ['queued', 'processing\u202e\u2066', 'done'],
      dataDiffs: [
        {
          table: 'analytics.\u202esredro\u202c',
          result: 'different',
          rowsChanged: 3,
          matchRatio: 0.5
        }
      ]
    })
    const { result } = outcome
    expect(result.code).toBe(0)
    expect(readable(result)).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/)
    expect(result.stdout).toContain('Datafold CI run 1000 is processing<U+202E><U+2066> (after ')
    expect(result.summary).toContain('`analytics. sredro `')
  })
})

describe("GitHub's size limits", () => {
  it('900 diffs with long names: data-diffs is left unset with a warning, the summary says so', async () => {
    const dataDiffs = Array.from({ length: 900 }, (_, i) => ({
      table: `analytics.pr_2.t${i}_${'n'.repeat(1_200)}`,
      result: i % 3 === 0 ? ('different' as const) : ('identical' as const),
      rowsChanged: i % 3 === 0 ? 1 : 0,
      matchRatio: i % 3 === 0 ? 0.9 : 1
    }))
    const outcome = await run({ statuses: ['done'], dataDiffs })
    const { result } = outcome
    expect(result.code).toBe(0)
    expect(result.outputs['data-diffs']).toBeUndefined()
    expect(result.outputs['data-diffs-changed']).toBe('300')
    const [warning] = commands(result.stdout, 'warning')
    expect(warning).toMatch(
      /^Output data-diffs is left unset: it is [\d,]+ bytes, more than the 1,000,000 bytes GitHub takes for one output\./
    )
    expect(result.summary).toContain(
      'the list is too big for the `data-diffs` output (GitHub takes at most 1,000,000 bytes), so it is not set.'
    )
    expect(Buffer.byteLength(result.summary)).toBeLessThanOrEqual(SUMMARY_LIMIT)
    for (const value of Object.values(result.outputs))
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(OUTPUT_LIMIT)
  })

  it('60 diffs with 25 kB names failing the gate: a bounded summary and ::error:: line, heading first', async () => {
    const dataDiffs = Array.from({ length: 60 }, (_, i) => ({
      table: `analytics.pr_2.t${i}_${'x'.repeat(25_000)}`,
      result: 'different' as const,
      rowsChanged: 1,
      matchRatio: 0.9
    }))
    const outcome = await run(
      { statuses: ['done'], dataDiffs },
      { 'fail-on-data-changes': 'true', 'request-timeout': '20' },
      { killAfterMs: 60_000 }
    )
    const { result } = outcome
    expect(result.killed).toBe(false)
    expect(result.code).toBe(1)
    expect(Buffer.byteLength(result.summary)).toBeLessThanOrEqual(SUMMARY_LIMIT)
    expect(result.summary.split('\n')[0]).toBe('### ❌ Datafold CI found data changes')
    expect(result.summary).toContain('| Conclusion | ❌ failure |')
    expect(result.summary).toContain('more characters cut)')
    const errorLines = result.stdout.split('\n').filter((line) => line.startsWith('::error'))
    expect(errorLines).toHaveLength(1)
    expect(errorLines[0].length).toBeLessThan(17_000)
    expect(errorLines[0]).toMatch(
      /^::error title=Datafold CI found data changes::Datafold CI run 1000 for pull request #2 \(changes at [0-9a-f]{7}\) finished with status done, but fail-on-data-changes is true and/
    )
    expect(errorLines[0]).toMatch(/… \([\d,]+ more characters cut\)$/)
  }, 60_000)
})

describe('a match ratio just below 1', () => {
  it('shows 99.99 %, never 100 %', async () => {
    const outcome = await run({
      statuses: ['done'],
      dataDiffs: [
        {
          table: 'analytics.pr_2.orders',
          result: 'different',
          rowsChanged: 1,
          matchRatio: 1 - 1 / 3e8
        }
      ]
    })
    const { result } = outcome
    expect(result.code).toBe(0)
    const row = result.summary
      .split('\n')
      .find((line) => line.startsWith('| `analytics.pr_2.orders`'))
    expect(row).toContain('| 99.99 % |')
    expect(result.summary).not.toContain('100 %')
  })
})

describe('odd inputs and answers', () => {
  it('an api-key with ✓ is an input error naming the input; nothing is sent', async () => {
    const key = 'dfk_e2e_✓Zq7Lw3Xv9Rt2Mn8Kp4'
    const outcome = await run({}, { 'api-key': key })
    const { result } = outcome
    expect(result.code).toBe(1)
    expect(commands(result.stdout, 'error')).toEqual([
      'Input api-key contains characters an HTTP header cannot carry, such as letters beyond ASCII (value hidden): expected the key exactly as Datafold shows it, in ASCII letters, digits and punctuation.'
    ])
    expect(result.stdout + result.stderr).not.toMatch(/TypeError|ERR_INVALID_CHAR|\n\s+at /)
    expect(outcome.requests).toEqual([])
    expect(keyLeaks(result, key)).toEqual([])
  })

  it.each([
    ['0', '{"ci_run_id":0,"run_id":0}'],
    ['-1', '{"ci_run_id":-1,"run_id":null}'],
    ['1e21', '{"ci_run_id":1e21,"run_id":null}'],
    ['2^53', '{"ci_run_id":9007199254740992,"run_id":null}']
  ])(
    'a trigger naming ci_run_id %s is refused; the step follows the run it finds',
    async (_name, body) => {
      const outcome = await run({
        statuses: ['queued', 'done'],
        faults: { trigger: [{ status: 200, body, process: true }] }
      })
      const { result } = outcome
      expect(result.code).toBe(0)
      expect(commands(result.stdout, 'warning')[0]).toMatch(
        /^Datafold's answer to the trigger is not what its API documents \(expected JSON with ci_run_id and run_id, each a positive whole number below 2\^53 or null\): .* Datafold may have started a run anyway, so the trigger is not sent again; looking for a new run of [0-9a-f]{7} instead\.$/
      )
      expect(result.outputs['ci-run-id']).toBe('1000')
      expect(result.outputs['trigger-run-id']).toBeUndefined()
      expect(calls(outcome).filter((call) => call === TRIGGER)).toHaveLength(1)
    }
  )

  it('a run listed twice in one answer, done and failed, fails and says so', async () => {
    const listed = [
      { id: 1000, status: 'done', pr_num: '2', pr_sha: PR_SHA },
      { id: 1000, status: 'failed', pr_num: '2', pr_sha: PR_SHA }
    ]
    const outcome = await run({
      faults: { runs: [null, { status: 200, body: JSON.stringify(listed) }] }
    })
    const { result } = outcome
    expect(result.code).toBe(1)
    expect(commands(result.stdout, 'error')).toEqual([
      'Datafold listed CI run 1000 more than once in one answer, with different statuses: "done", "failed". The step cannot tell which is true, so it fails rather than pass on a guess; look at the run in Datafold.'
    ])
    expect(result.outputs.verdict ?? '').toBe('')
  })

  it('an event payload of null is named, without a stack trace; nothing is sent', async () => {
    const outcome = await run({}, {}, { payload: null })
    const { result } = outcome
    expect(result.code).toBe(1)
    const errors = commands(result.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^The event payload at GITHUB_EVENT_PATH \(.*event\.json\) is null, not a JSON object: the runner writes the webhook payload there, so the step cannot tell which pull request to check\.$/
    )
    expect(result.stdout + result.stderr).not.toMatch(/TypeError|\n\s+at /)
    expect(calls(outcome)).not.toContain(TRIGGER)
  })
})
