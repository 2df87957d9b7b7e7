import { jest } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { createToolkit, workflowCommand } from '../src/toolkit.js'
import { useRunnerFiles } from '../__fixtures__/runner-files.js'

const { outputFile, summaryFile, env: runnerEnv, empty } = useRunnerFiles('toolkit-test')

let stdout: string[] = []
beforeEach(() => {
  empty()
  stdout = []
})
afterEach(() => jest.restoreAllMocks())

/** The toolkit's log goes to file descriptor 1; the tests hand it this instead. */
const capture = (text: string): void => {
  stdout.push(text)
}

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

const stdoutText = (): string => stdout.join('')

describe('createToolkit: inputs', () => {
  it('reads INPUT_<NAME> as the runner sets it, trimmed', () => {
    const toolkit = createToolkit({ 'INPUT_CI-CONFIG-ID': ' 42 ', 'INPUT_API-KEY': 'k' }, capture)
    expect(toolkit.input('ci-config-id')).toBe('42')
    expect(toolkit.input('api-key')).toBe('k')
    expect(toolkit.input('pr-number')).toBe('')
  })
})

describe('createToolkit: outputs', () => {
  it('writes outputs in the file-command format', async () => {
    const toolkit = createToolkit(runnerEnv(), capture)
    await toolkit.setOutput('ci-run-id', '1234')
    await toolkit.setOutput('status', 'done')
    await toolkit.setOutput('message', 'two\nlines')
    expect(readOutputs(readFileSync(outputFile, 'utf8'))).toEqual({
      'ci-run-id': '1234',
      status: 'done',
      message: 'two\nlines'
    })
    expect(stdoutText()).toBe('')
  })

  it('falls back to the set-output command without an output file', async () => {
    const toolkit = createToolkit({}, capture)
    await toolkit.setOutput('conclusion', 'success')
    expect(stdoutText()).toBe('::set-output name=conclusion::success\n')
    expect(readFileSync(outputFile, 'utf8')).toBe('')
  })
})

describe('createToolkit: job summary', () => {
  it('appends to the summary file', async () => {
    const toolkit = createToolkit(runnerEnv(), capture)
    writeFileSync(summaryFile, '# from an earlier step\n')
    await toolkit.appendSummary('### First')
    await toolkit.appendSummary('### Second')
    expect(readFileSync(summaryFile, 'utf8')).toBe(
      '# from an earlier step\n### First\n### Second\n'
    )
  })

  it('is a no-op without a summary file', async () => {
    const toolkit = createToolkit({}, capture)
    await toolkit.appendSummary('### Nothing')
    expect(readFileSync(summaryFile, 'utf8')).toBe('')
  })
})

describe('createToolkit: log lines and groups', () => {
  it('writes each level in the runner command format, one line per message', () => {
    const toolkit = createToolkit({}, capture)
    toolkit.info('plain line')
    toolkit.debug('detail')
    toolkit.notice('note')
    toolkit.warning('careful\nsecond line')
    toolkit.error('broken: 100%')
    expect(stdout).toEqual([
      'plain line\n',
      '::debug::detail\n',
      '::notice::note\n',
      '::warning::careful%0Asecond line\n',
      '::error::broken: 100%25\n'
    ])
  })

  it('closes a group even when the work throws', async () => {
    const toolkit = createToolkit({}, capture)
    await expect(
      toolkit.group('Trigger', async () => {
        toolkit.info('inside')
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(stdout).toEqual(['::group::Trigger\n', 'inside\n', '::endgroup::\n'])
    await expect(toolkit.group('Wait', async () => 7)).resolves.toBe(7)
  })
})

describe('createToolkit: mask', () => {
  const SECRET = 'dfk_sup3rS3cret'

  it('escapes command messages and properties like @actions/core, so each stays one line', () => {
    const toolkit = createToolkit({}, capture)
    toolkit.error('Datafold rejected the request:\n  - body.pr_number: 100% wrong\r')
    toolkit.group('a, b: c', async () => undefined)
    expect(stdout[0]).toBe(
      '::error::Datafold rejected the request:%0A  - body.pr_number: 100%25 wrong%0D\n'
    )
    expect(stdout[1]).toBe('::group::a, b: c\n')
    expect(workflowCommand('set-output', 'x', { name: 'a:b,c%' })).toBe(
      '::set-output name=a%3Ab%2Cc%25::x'
    )
  })

  it("breaks up the runner's older ##[command] syntax and .NET whitespace before ::, in every line", () => {
    const toolkit = createToolkit(runnerEnv(), capture)
    toolkit.info('Datafold CI run 7 is ##[error]injected')
    toolkit.info('status\n\u0085::add-mask::x')
    toolkit.warning('Datafold said ##[stop-commands]token')
    const text = stdoutText()
    expect(text).not.toContain('##[')
    expect(text.split('\n').filter((line) => /^[\s\u0085]*::(?!warning::)/.test(line))).toEqual([])
    expect(text).toContain('Datafold CI run 7 is # #[error]injected')
    expect(text).toContain('::warning::Datafold said # #[stop-commands]token')
  })

  it('never lets text from outside start a workflow command in a plain log line', () => {
    const toolkit = createToolkit(runnerEnv(), capture)
    toolkit.info('Datafold CI run 7 is weird\n::add-mask::x\n  ::set-output name=a::b')
    const lines = stdoutText().split('\n')
    expect(lines.filter((line) => /^\s*::/.test(line))).toEqual([])
    expect(lines).toEqual([
      'Datafold CI run 7 is weird',
      ': :add-mask::x',
      '  : :set-output name=a::b',
      ''
    ])
  })

  it('registers the secret with the runner and scrubs it from every line, output and summary', async () => {
    const toolkit = createToolkit(runnerEnv(), capture)
    toolkit.mask(SECRET)
    expect(stdout).toEqual([`::add-mask::${SECRET}\n`])

    const echoed = `Datafold answered 401: {"headers": {"Authorization": "Key ${SECRET}"}}`
    toolkit.info(echoed)
    toolkit.debug(echoed)
    toolkit.notice(echoed)
    toolkit.warning(echoed)
    toolkit.error(echoed)
    await toolkit.group(`Group ${SECRET}`, async () => undefined)
    await toolkit.setOutput('status', `bad ${SECRET}`)
    await toolkit.appendSummary(`Summary mentions ${SECRET} twice: ${SECRET}`)

    const lines = stdout.slice(1)
    expect(lines).toHaveLength(7)
    for (const line of lines) expect(line).not.toContain(SECRET)
    expect(lines[0]).toBe('Datafold answered 401: {"headers": {"Authorization": "Key ***"}}\n')
    expect(lines.filter((line) => line.includes('Key ***'))).toHaveLength(5)
    expect(lines[5]).toBe('::group::Group ***\n')

    const outputs = readFileSync(outputFile, 'utf8')
    expect(outputs).not.toContain(SECRET)
    expect(readOutputs(outputs)).toEqual({ status: 'bad ***' })
    const summary = readFileSync(summaryFile, 'utf8')
    expect(summary).toBe('Summary mentions *** twice: ***\n')
  })

  it('scrubs a longer secret whole when it contains a shorter one', () => {
    const toolkit = createToolkit({}, capture)
    toolkit.mask('abc')
    toolkit.mask('abcdef')
    stdout = []
    toolkit.info('x abcdef y abc z')
    expect(stdout).toEqual(['x *** y *** z\n'])
  })

  it('ignores an empty secret and a repeated one', () => {
    const toolkit = createToolkit({}, capture)
    toolkit.mask('')
    toolkit.mask(SECRET)
    toolkit.mask(SECRET)
    expect(stdout).toEqual([`::add-mask::${SECRET}\n`])
    stdout = []
    toolkit.info('nothing secret here')
    expect(stdout).toEqual(['nothing secret here\n'])
  })

  it('scrubs a secret with command-escaped characters before escaping', () => {
    const toolkit = createToolkit({}, capture)
    const odd = 'k%ey:with,odd'
    toolkit.mask(odd)
    stdout = []
    toolkit.warning(`value ${odd}`)
    expect(stdout).toEqual(['::warning::value ***\n'])
  })
})
