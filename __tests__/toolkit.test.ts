/**
 * The real toolkit over @actions/core: what reaches the runner's log (stdout), output file and
 * summary file, with the project's scrubbing and command defusing around core's public API.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { LOG_MESSAGE_CHARS, OUTPUT_MAX_BYTES } from '../src/limits.js'
import { createToolkit } from '../src/toolkit.js'
import { captureStdout, setEnv } from '../__fixtures__/process-io.js'
import { useRunnerFiles } from '../__fixtures__/runner-files.js'

const { outputFile, summaryFile, empty } = useRunnerFiles('toolkit-test')

let stdout: ReturnType<typeof captureStdout>
let restoreEnv: (() => void) | undefined
beforeEach(() => {
  empty()
  stdout = captureStdout()
})
afterEach(() => {
  stdout.restore()
  restoreEnv?.()
  restoreEnv = undefined
})

/** Reads GITHUB_OUTPUT the way the runner does: `name<<DELIM`, value lines, `DELIM`. */
function readOutputs(text: string): Record<string, string> {
  const lines = text.split('\n')
  const outputs: Record<string, string> = {}
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (!match) {
      expect(lines[i]).toBe('')
      continue
    }
    const [, name, delimiter] = match
    const end = lines.indexOf(delimiter, i + 1)
    expect(end).toBeGreaterThan(i)
    outputs[name] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return outputs
}

const lines = (): string[] => stdout.text().split('\n').slice(0, -1)

describe('createToolkit: inputs', () => {
  it('reads INPUT_<NAME> as the runner sets it, trimmed', () => {
    restoreEnv = setEnv({
      'INPUT_CI-CONFIG-ID': ' 42 ',
      'INPUT_API-KEY': 'k',
      'INPUT_PR-NUMBER': undefined
    })
    const toolkit = createToolkit()
    expect(toolkit.input('ci-config-id')).toBe('42')
    expect(toolkit.input('api-key')).toBe('k')
    expect(toolkit.input('pr-number')).toBe('')
  })
})

describe('createToolkit: outputs', () => {
  it('writes outputs in the file-command format', async () => {
    const toolkit = createToolkit()
    await toolkit.setOutput('ci-run-id', '1234')
    await toolkit.setOutput('status', 'done')
    await toolkit.setOutput('message', 'two\nlines')
    expect(readOutputs(readFileSync(outputFile, 'utf8'))).toEqual({
      'ci-run-id': '1234',
      status: 'done',
      message: 'two\nlines'
    })
    expect(stdout.text()).toBe('')
  })

  it('warns once and goes on when the output file cannot be written', async () => {
    restoreEnv = setEnv({ GITHUB_OUTPUT: '/nonexistent/dir/output' })
    const toolkit = createToolkit()
    await expect(toolkit.setOutput('ci-run-id', '1')).resolves.toBeUndefined()
    await expect(toolkit.setOutput('status', 'done')).resolves.toBeUndefined()
    expect(lines()).toEqual([
      '::warning title=Outputs not set::Could not set output ci-run-id (GITHUB_OUTPUT is /nonexistent/dir/output): Missing file at path: /nonexistent/dir/output. Outputs are left unset; the verdict and the job summary still follow.'
    ])
  })
})

describe('createToolkit: job summary', () => {
  it('appends to the summary file', async () => {
    const toolkit = createToolkit()
    writeFileSync(summaryFile, '# from an earlier step\n')
    await toolkit.appendSummary('### First')
    await toolkit.appendSummary('### Second')
    expect(readFileSync(summaryFile, 'utf8')).toBe(
      '# from an earlier step\n### First\n### Second\n'
    )
  })

  it('is a no-op without a summary file', async () => {
    restoreEnv = setEnv({ GITHUB_STEP_SUMMARY: undefined })
    const toolkit = createToolkit()
    await toolkit.appendSummary('### Nothing')
    expect(readFileSync(summaryFile, 'utf8')).toBe('')
  })
})

describe('createToolkit: log lines and groups', () => {
  it('writes each level in the runner command format, one line per message', () => {
    restoreEnv = setEnv({ RUNNER_DEBUG: undefined })
    const toolkit = createToolkit()
    toolkit.info('plain line')
    toolkit.debug('detail')
    toolkit.notice('note')
    toolkit.warning('careful\nsecond line')
    toolkit.error('broken: 100%')
    expect(lines()).toEqual([
      'plain line',
      '::debug::detail',
      '::notice::note',
      '::warning::careful%0Asecond line',
      '::error::broken: 100%25'
    ])
  })

  it('gives an annotation the title it is passed, escaped by @actions/core', () => {
    restoreEnv = setEnv({ RUNNER_DEBUG: undefined })
    const toolkit = createToolkit()
    toolkit.warning('retrying', { title: 'Retrying a Datafold request' })
    toolkit.error('no run', { title: 'Datafold CI: failed, 100%' })
    expect(lines()).toEqual([
      '::warning title=Retrying a Datafold request::retrying',
      '::error title=Datafold CI%3A failed%2C 100%25::no run'
    ])
  })

  it('places an annotation: title, file and line passed to the runner, the message still scrubbed', () => {
    const toolkit = createToolkit()
    toolkit.mask('s3cr3t-value')
    toolkit.warning('rows: 5, key s3cr3t-value', {
      title: 'Data changed: DB.PR.ORDERS',
      file: 'models/a,b.sql',
      startLine: 1
    })
    toolkit.error('failed', { title: 'Data changed: X', file: 'models/x.sql', startLine: 1 })
    expect(lines().filter((line) => !line.startsWith('::add-mask::'))).toEqual([
      '::warning title=Data changed%3A DB.PR.ORDERS,file=models/a%2Cb.sql,line=1::rows: 5, key ***',
      '::error title=Data changed%3A X,file=models/x.sql,line=1::failed'
    ])
  })

  it('closes a group even when the work throws', async () => {
    const toolkit = createToolkit()
    await expect(
      toolkit.group('Trigger', async () => {
        toolkit.info('inside')
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(lines()).toEqual(['::group::Trigger', 'inside', '::endgroup::'])
    await expect(toolkit.group('Wait', async () => 7)).resolves.toBe(7)
  })

  it('keeps a multi-line error on one command line', () => {
    const toolkit = createToolkit()
    toolkit.error('Datafold rejected the request:\n  - body.pr_number: 100% wrong\r')
    expect(lines()).toEqual([
      '::error::Datafold rejected the request:%0A  - body.pr_number: 100%25 wrong%0D'
    ])
  })
})

describe('createToolkit: text from outside', () => {
  it("breaks up the runner's older ##[command] syntax and .NET whitespace before ::, in every line", () => {
    const toolkit = createToolkit()
    toolkit.info('Datafold CI run 7 is ##[error]injected')
    toolkit.info('status\n\u0085::add-mask::x')
    toolkit.warning('Datafold said ##[stop-commands]token')
    const text = stdout.text()
    expect(text).not.toContain('##[')
    expect(text.split('\n').filter((line) => /^[\s\u0085]*::(?!warning::)/.test(line))).toEqual([])
    expect(text).toContain('Datafold CI run 7 is # #[error]injected')
    expect(text).toContain('::warning::Datafold said # #[stop-commands]token')
  })

  it('never lets text from outside start a workflow command in a plain log line', () => {
    const toolkit = createToolkit()
    toolkit.info('Datafold CI run 7 is weird\n::add-mask::x\n  ::set-output name=a::b')
    expect(lines()).toEqual([
      'Datafold CI run 7 is weird',
      ': :add-mask::x',
      '  : :set-output name=a::b'
    ])
  })
})

describe('createToolkit: mask', () => {
  const SECRET = 'dfk_sup3rS3cret'

  it('registers the secret with the runner and scrubs it from every line, output and summary', async () => {
    const toolkit = createToolkit()
    toolkit.mask(SECRET)
    expect(lines()).toEqual([`::add-mask::${SECRET}`])

    const echoed = `Datafold answered 401: {"headers": {"Authorization": "Key ${SECRET}"}}`
    toolkit.info(echoed)
    toolkit.debug(echoed)
    toolkit.notice(echoed)
    toolkit.warning(echoed)
    toolkit.error(echoed)
    await toolkit.group(`Group ${SECRET}`, async () => undefined)
    await toolkit.setOutput('status', `bad ${SECRET}`)
    await toolkit.appendSummary(`Summary mentions ${SECRET} twice: ${SECRET}`)

    const after = lines().slice(1)
    expect(after).toHaveLength(7)
    for (const line of after) expect(line).not.toContain(SECRET)
    expect(after[0]).toBe('Datafold answered 401: {"headers": {"Authorization": "Key ***"}}')
    expect(after.filter((line) => line.includes('Key ***'))).toHaveLength(5)
    expect(after[5]).toBe('::group::Group ***')

    const outputs = readFileSync(outputFile, 'utf8')
    expect(outputs).not.toContain(SECRET)
    expect(readOutputs(outputs)).toEqual({ status: 'bad ***' })
    expect(readFileSync(summaryFile, 'utf8')).toBe('Summary mentions *** twice: ***\n')
  })

  it('registers every form a server may echo the key in, and scrubs each', () => {
    const toolkit = createToolkit()
    const odd = 'k%ey/"q<'
    toolkit.mask(odd)
    const masks = lines()
    // As sent, JSON-escaped (twice: with and without \/), URL-encoded (two cases), HTML-escaped;
    // command data escapes % as %25.
    expect(masks).toEqual([
      '::add-mask::k%25ey/"q<',
      '::add-mask::k%25ey/\\"q<',
      '::add-mask::k%25ey\\/\\"q<',
      '::add-mask::k%2525ey%252F%2522q%253C',
      '::add-mask::k%2525ey%252f%2522q%253c',
      '::add-mask::k%25ey/&quot;q&lt;'
    ])
    stdout.writes.length = 0
    toolkit.warning(`a ${odd} b ${JSON.stringify(odd)} c ${encodeURIComponent(odd)}`)
    expect(lines()).toEqual(['::warning::a *** b "***" c ***'])
  })

  it('also masks, with the runner, the identifying row of letters and digits in a key', () => {
    const toolkit = createToolkit()
    toolkit.mask('dfk_e2e_Zq7Lw3Xv9Rt2Mn8Kp4')
    expect(lines()).toEqual([
      '::add-mask::dfk_e2e_Zq7Lw3Xv9Rt2Mn8Kp4',
      '::add-mask::Zq7Lw3Xv9Rt2Mn8Kp4'
    ])
    stdout.writes.length = 0
    toolkit.info('cut echo: Key dfk_e2e_Zq7Lw3Xv9Rt2Mn…')
    expect(lines()).toEqual(['cut echo: Key ***…'])
  })

  it('scrubs a longer secret whole when it contains a shorter one', () => {
    const toolkit = createToolkit()
    toolkit.mask('abc')
    toolkit.mask('abcdef')
    stdout.writes.length = 0
    toolkit.info('x abcdef y abc z')
    expect(lines()).toEqual(['x *** y *** z'])
  })

  it('ignores an empty secret and a repeated one', () => {
    const toolkit = createToolkit()
    toolkit.mask('')
    toolkit.mask(SECRET)
    toolkit.mask(SECRET)
    expect(lines()).toEqual([`::add-mask::${SECRET}`])
    stdout.writes.length = 0
    toolkit.info('nothing secret here')
    expect(lines()).toEqual(['nothing secret here'])
  })

  it('redact() removes the secret from text the summary escapes itself', () => {
    const toolkit = createToolkit()
    toolkit.mask(SECRET)
    expect(toolkit.redact(`x ${SECRET} y`)).toBe('x *** y')
  })
})

describe('createToolkit: bidi controls and sizes', () => {
  it('writes bidi controls out in every log line, annotation and group name, so none reorders it', async () => {
    restoreEnv = setEnv({ RUNNER_DEBUG: undefined })
    const toolkit = createToolkit()
    const status = 'done\u202e\u2066deliaf\u2069\u200f\u061c'
    toolkit.info(`Datafold CI run 7 is ${status}`)
    toolkit.debug(status)
    toolkit.notice(status)
    toolkit.warning(status)
    toolkit.error(status)
    await toolkit.group(`Group ${status}`, async () => undefined)
    const shown = 'done<U+202E><U+2066>deliaf<U+2069><U+200F><U+061C>'
    expect(lines()).toEqual([
      `Datafold CI run 7 is ${shown}`,
      `::debug::${shown}`,
      `::notice::${shown}`,
      `::warning::${shown}`,
      `::error::${shown}`,
      `::group::Group ${shown}`,
      '::endgroup::'
    ])
  })

  it('cuts a log message longer than LOG_MESSAGE_CHARS, keeping its start and saying how much was cut', () => {
    const toolkit = createToolkit()
    const message = `Datafold CI failed: ${'x'.repeat(LOG_MESSAGE_CHARS * 20)}`
    toolkit.error(message)
    toolkit.info('short stays whole')
    const [error, info] = lines()
    expect(error.startsWith('::error::Datafold CI failed: xxx')).toBe(true)
    expect(error.length).toBeLessThan(LOG_MESSAGE_CHARS + 200)
    expect(error).toMatch(
      new RegExp(
        `xxx… \\(${(message.length - LOG_MESSAGE_CHARS).toLocaleString('en-US')} more characters cut\\)$`
      )
    )
    expect(info).toBe('short stays whole')
  })

  it('scrubs a secret before it cuts, so no part of the key is left at the cut', () => {
    const toolkit = createToolkit()
    const key = 'dfk_Zq7Lw3Xv9Rt2Mn8Kp4'
    toolkit.mask(key)
    stdout.writes.length = 0
    toolkit.error(`${'y'.repeat(LOG_MESSAGE_CHARS - 5)}${key}`)
    expect(lines()[0]).not.toMatch(/dfk|Zq7L/)
  })

  it('leaves an output larger than GitHub takes unset, and warns saying which and why', async () => {
    const toolkit = createToolkit()
    const big = JSON.stringify(
      Array.from({ length: 9_000 }, (_, i) => ({ table: `t${i}`.padEnd(120, 'x') }))
    )
    expect(Buffer.byteLength(big)).toBeGreaterThan(OUTPUT_MAX_BYTES)
    await toolkit.setOutput('data-diffs', big)
    await toolkit.setOutput('data-diffs-changed', '3')
    expect(readOutputs(readFileSync(outputFile, 'utf8'))).toEqual({ 'data-diffs-changed': '3' })
    expect(lines()).toEqual([
      `::warning title=Output too large::Output data-diffs is left unset: it is ${Buffer.byteLength(big).toLocaleString('en-US')} bytes, more than the ${OUTPUT_MAX_BYTES.toLocaleString('en-US')} bytes GitHub takes for one output. The job summary shows what it holds.`
    ])
  })

  it('sets an output of exactly the limit, counted in bytes of UTF-8', async () => {
    const toolkit = createToolkit()
    const exact = 'é'.repeat(OUTPUT_MAX_BYTES / 2)
    await toolkit.setOutput('data-diffs', exact)
    await toolkit.setOutput('status', `${exact}x`)
    expect(Object.keys(readOutputs(readFileSync(outputFile, 'utf8')))).toEqual(['data-diffs'])
  })
})
