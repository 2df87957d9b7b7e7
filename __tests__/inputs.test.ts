import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DEFAULT_HOST,
  InputError,
  prepareInputs,
  readSettings,
  secretsIn,
  type Settings
} from '../src/inputs.js'

await prepareInputs(() => '[]')

const KEY = 'dfk_Zq8sEcReT0nly'
const BASE: Record<string, string> = { 'api-key': KEY, 'ci-config-id': '42' }

function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): Settings {
  return readSettings((name) => (inputs[name] ?? '').trim(), env)
}

/** The problems readSettings reports; fails the test when it accepts the inputs. */
function problemsOf(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): string[] {
  let settings: Settings
  try {
    settings = read(inputs, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    const problems = (error as InputError).problems
    expect((error as InputError).message).toBe(problems.join('\n'))
    return problems
  }
  throw new Error(`expected an InputError, got settings ${JSON.stringify(settings)}`)
}

describe('readSettings: defaults', () => {
  it('gives the documented defaults when only the key and config id are set', () => {
    const s = read(BASE)
    expect(s.apiKey).toBe(KEY)
    expect(s.ciConfigId).toBe(42)
    expect(s.host.href).toBe('https://app.datafold.com/')
    expect(s.host.origin).toBe(DEFAULT_HOST)
    expect(s.overrides).toEqual({})
    expect(s.wait).toBe(true)
    expect(s.failOnSkip).toBe(false)
    expect(s.showDataDiffs).toBe(true)
    expect(s.failOnDataChanges).toBe(false)
    expect(s.pollIntervalMs).toBe(5_000)
    expect(s.maxPollIntervalMs).toBe(30_000)
    expect(s.timeoutMs).toBe(60 * 60_000)
    expect(s.startTimeoutMs).toBe(2 * 60_000)
    expect(s.requestTimeoutMs).toBe(30_000)
    expect(s.trigger).toBe('auto')
  })

  it('passes github-token through untouched', () => {
    expect(read({ ...BASE, 'github-token': 'ghs_abc' }).githubToken).toBe('ghs_abc')
  })
})

describe('readSettings: ci-config-id', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    ['900719', 900719]
  ])('accepts %p', (value, expected) => {
    expect(read({ ...BASE, 'ci-config-id': value }).ciConfigId).toBe(expected)
  })

  it.each(['0', '-1', '1.5', '12.5', 'abc', '12abc', '1e3', '99999999999999999999'])(
    'rejects %p, naming the input, the value and what is expected',
    (value) => {
      const problems = problemsOf({ ...BASE, 'ci-config-id': value })
      expect(problems).toHaveLength(1)
      expect(problems[0]).toContain('ci-config-id')
      expect(problems[0]).toContain(`"${value}"`)
      expect(problems[0]).toMatch(/expected a positive integer/)
    }
  )

  it('is required', () => {
    const problems = problemsOf({ 'api-key': KEY })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/ci-config-id is required: expected a positive integer/)
  })
})

describe('readSettings: datafold-host', () => {
  it.each([
    ['https://app.datafold.com', 'https://app.datafold.com/'],
    ['https://datafold.internal.example.com/', 'https://datafold.internal.example.com/'],
    ['https://example.com/datafold/', 'https://example.com/datafold'],
    ['https://example.com/datafold///', 'https://example.com/datafold'],
    ['https://example.com:8443', 'https://example.com:8443/'],
    ['http://localhost:8080', 'http://localhost:8080/'],
    ['http://LOCALHOST:8080/', 'http://localhost:8080/'],
    ['http://127.0.0.1:9999', 'http://127.0.0.1:9999/'],
    ['http://127.1.2.3', 'http://127.1.2.3/'],
    ['http://[::1]:3000', 'http://[::1]:3000/']
  ])('accepts %p as %p (trailing slash dropped)', (value, href) => {
    const host = read({ ...BASE, 'datafold-host': value }).host
    expect(host.href).toBe(href)
    expect(host.pathname.endsWith('/') && host.pathname !== '/').toBe(false)
  })

  it.each([
    ['http://datafold.example.com', /https/],
    ['http://10.0.0.5:8080', /https/],
    ['http://127.0.0.1.evil.example', /https/],
    ['http://localhost.evil.example', /https/],
    ['ftp://datafold.example.com', /https/],
    ['datafold.example.com', /https/],
    ['not a url', /https/],
    ['https://datafold.example.com/?org=1', /without \? or #/],
    ['https://datafold.example.com/#frag', /without \? or #/],
    // A path that starts with // would make request URLs protocol-relative: another host.
    ['https://app.datafold.com//evil.example', /plain path/],
    ['https://app.datafold.com/a//b', /plain path/],
    ['https://app.datafold.com/%2F%2Fevil.example', /plain path/],
    ['https://app.datafold.com/data fold', /plain path/],
    ['https://app.datafold.com/a\\b', /plain path/],
    ['https://app.datafold.com/@evil.example', /plain path/]
  ])('rejects %p, naming the input and the value', (value, expected) => {
    const problems = problemsOf({ ...BASE, 'datafold-host': value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('Input datafold-host')
    expect(problems[0]).toContain(`"${value}"`)
    expect(problems[0]).toMatch(/expected the https address/)
    expect(problems[0]).toMatch(expected)
  })

  it('rejects a host with credentials without repeating them', () => {
    const problems = problemsOf({
      ...BASE,
      'datafold-host': 'https://admin:hunter2pass@datafold.example.com'
    })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/datafold-host contains credentials/)
    expect(problems[0]).toMatch(/api-key/)
    expect(problems[0]).not.toContain('hunter2pass')
  })

  it.each([
    ['a user name only', 'https://admin@datafold.example.com'],
    ['a password only', 'https://:hunter2pass@datafold.example.com']
  ])('rejects a host with %s', (_, value) => {
    const problems = problemsOf({ ...BASE, 'datafold-host': value })
    expect(problems).toEqual([
      'Input datafold-host contains credentials: expected the https address of your Datafold deployment, such as https://app.datafold.com, with the API key in api-key.'
    ])
  })

  it('falls back to DATAFOLD_HOST, then to app.datafold.com', () => {
    expect(read(BASE, { DATAFOLD_HOST: ' https://df.example.com/ ' }).host.href).toBe(
      'https://df.example.com/'
    )
    expect(
      read(
        { ...BASE, 'datafold-host': 'https://input.example.com' },
        {
          DATAFOLD_HOST: 'https://env.example.com'
        }
      ).host.origin
    ).toBe('https://input.example.com')
    expect(read(BASE, { DATAFOLD_HOST: '' }).host.origin).toBe('https://app.datafold.com')
  })

  it('names the environment variable when DATAFOLD_HOST is the bad value', () => {
    const problems = problemsOf(BASE, { DATAFOLD_HOST: 'http://datafold.example.com' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('DATAFOLD_HOST')
    expect(problems[0]).not.toContain('Input datafold-host')
    expect(problems[0]).toContain('"http://datafold.example.com"')
  })
})

describe('readSettings: api-key', () => {
  it('reads the input, else DATAFOLD_API_KEY (trimmed)', () => {
    expect(read({ 'ci-config-id': '1' }, { DATAFOLD_API_KEY: ' env-key \n' }).apiKey).toBe(
      'env-key'
    )
    expect(read({ ...BASE }, { DATAFOLD_API_KEY: 'env-key' }).apiKey).toBe(KEY)
  })

  it('reports a missing key, naming the input and the environment variable', () => {
    const problems = problemsOf({ 'ci-config-id': '1' }, { DATAFOLD_API_KEY: '  ' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/api-key/)
    expect(problems[0]).toMatch(/DATAFOLD_API_KEY/)
    expect(problems[0]).toMatch(/expected a Datafold API key/)
  })

  it.each([
    ['input', 'dfk_Qx7aa Wp9bb'],
    ['input', 'dfk_Qx7cc\tWp9dd'],
    ['input', 'dfk_Qx7ee\nWp9ff'],
    ['input', 'dfk_Qx7gg\u0007Wp9hh'],
    ['env', 'dfk_Qx7ii Wp9jj']
  ])(
    'rejects a key with whitespace or control characters from the %s without printing it',
    (from, key) => {
      const inputs: Record<string, string> =
        from === 'input' ? { ...BASE, 'api-key': key } : { 'ci-config-id': '1' }
      const env = from === 'env' ? { DATAFOLD_API_KEY: key } : {}
      const problems = problemsOf(inputs, env)
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(
        from === 'input'
          ? /^Input api-key contains spaces, line breaks or control characters/
          : /^The environment variable DATAFOLD_API_KEY contains spaces, line breaks or control characters/
      )
      expect(problems[0]).toMatch(/value hidden/)
      for (const part of key.split(/[^A-Za-z0-9_]/)) expect(problems[0]).not.toContain(part)
    }
  )

  it.each([
    ['input', 'dfk_Qx7kk✓Wp9ll'],
    ['input', 'dfk_Qx7mmé'],
    ['input', 'dfk_Qx7nn\u200bWp9oo'],
    ['env', 'dfk_Qx7pp😀Wp9qq']
  ])(
    'rejects a key from the %s with characters an HTTP header cannot carry, without printing it',
    (from, key) => {
      const inputs: Record<string, string> =
        from === 'input' ? { ...BASE, 'api-key': key } : { 'ci-config-id': '1' }
      const env = from === 'env' ? { DATAFOLD_API_KEY: key } : {}
      const problems = problemsOf(inputs, env)
      expect(problems).toEqual([
        `${from === 'input' ? 'Input api-key' : 'The environment variable DATAFOLD_API_KEY'} contains characters an HTTP header cannot carry, such as letters beyond ASCII (value hidden): expected the key exactly as Datafold shows it, in ASCII letters, digits and punctuation.`
      ])
    }
  )

  it('never puts the key value in any error message, whatever else is wrong', () => {
    const secret = 'dfk_neverPrintMe123'
    const cases: [Record<string, string>, NodeJS.ProcessEnv][] = [
      [{ 'api-key': secret }, {}],
      [{ 'api-key': secret, 'ci-config-id': 'x' }, {}],
      [{ 'api-key': `${secret} x`, 'ci-config-id': '1' }, {}],
      [{ 'ci-config-id': '0', 'datafold-host': 'http://x.example' }, { DATAFOLD_API_KEY: secret }],
      [{ 'api-key': secret, 'ci-config-id': '1', 'poll-interval': '0', wait: 'nope' }, {}]
    ]
    for (const [inputs, env] of cases) {
      let message = ''
      try {
        read(inputs, env)
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).not.toBe('')
      expect(message).not.toContain(secret)
    }
  })
})

describe('readSettings: pull request overrides', () => {
  const sha = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'

  it('takes each override it is given and nothing else', () => {
    expect(read({ ...BASE, 'pr-number': '17' }).overrides).toEqual({ pr_number: 17 })
    expect(
      read({
        ...BASE,
        'pr-number': '17',
        'pr-branch': 'feature/orders',
        'base-branch': 'main',
        'pr-sha': sha.toUpperCase(),
        'base-sha': 'f'.repeat(64)
      }).overrides
    ).toEqual({
      pr_number: 17,
      pr_branch: 'feature/orders',
      base_branch: 'main',
      pr_sha: sha,
      base_sha: 'f'.repeat(64)
    })
  })

  it('strips refs/heads/ from branches', () => {
    const s = read({
      ...BASE,
      'pr-branch': 'refs/heads/feature/x',
      'base-branch': 'refs/heads/main'
    })
    expect(s.overrides).toEqual({ pr_branch: 'feature/x', base_branch: 'main' })
  })

  it.each([
    ['pr-branch', 'has space'],
    ['pr-branch', 'my branch'],
    ['pr-branch', 'refs/heads/'],
    ['base-branch', 'a:b'],
    ['base-branch', 'ma~in'],
    ['base-branch', 'main~1']
  ])('rejects %s %p', (name, value) => {
    const problems = problemsOf({ ...BASE, [name]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`Input ${name}`)
    expect(problems[0]).toContain(`"${value}"`)
    expect(problems[0]).toMatch(/expected a branch name/)
  })

  it.each([
    ['pr-sha', 'abc123'],
    ['pr-sha', sha.slice(0, 39)],
    ['pr-sha', `${sha}0`],
    ['base-sha', 'g'.repeat(40)],
    ['base-sha', 'z'.repeat(40)],
    ['base-sha', 'HEAD']
  ])('rejects %s %p: not 40 hex characters', (name, value) => {
    const problems = problemsOf({ ...BASE, [name]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`Input ${name}`)
    expect(problems[0]).toContain(`"${value}"`)
    expect(problems[0]).toMatch(
      /expected a full commit SHA \(40 hexadecimal characters, 64 in SHA-256 repositories\)/
    )
  })

  it.each(['0', '-3', '2.5', '#12', 'two'])('rejects pr-number %p', (value) => {
    const problems = problemsOf({ ...BASE, 'pr-number': value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain('pr-number')
    expect(problems[0]).toContain(`"${value}"`)
    expect(problems[0]).toMatch(/positive integer/)
  })
})

describe('readSettings: booleans', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false]
  ])('reads %p as %p', (value, expected) => {
    expect(read({ ...BASE, wait: value }).wait).toBe(expected)
    expect(read({ ...BASE, 'fail-on-skip': value }).failOnSkip).toBe(expected)
    expect(read({ ...BASE, 'show-data-diffs': value }).showDataDiffs).toBe(expected)
    expect(read({ ...BASE, 'fail-on-data-changes': value }).failOnDataChanges).toBe(expected)
  })

  it.each([
    ['wait', 'yes'],
    ['wait', '0'],
    ['wait', 'maybe'],
    ['fail-on-skip', 'on'],
    ['fail-on-skip', 'yes'],
    ['fail-on-skip', 'tru'],
    ['show-data-diffs', 'no'],
    ['fail-on-data-changes', '1']
  ])('rejects %s %p', (name, value) => {
    const problems = problemsOf({ ...BASE, [name]: value })
    expect(problems).toEqual([`Input ${name} is "${value}": expected true or false.`])
  })

  it('rejects fail-on-data-changes when the data diffs are not read or not waited for', () => {
    expect(
      problemsOf({ ...BASE, 'fail-on-data-changes': 'true', 'show-data-diffs': 'false' })
    ).toEqual([
      'Input fail-on-data-changes is true but show-data-diffs is false: the step can only fail on data changes it reads. Leave show-data-diffs at true, or set fail-on-data-changes to false.'
    ])
    expect(problemsOf({ ...BASE, 'fail-on-data-changes': 'true', wait: 'false' })).toEqual([
      'Input fail-on-data-changes is true but wait is false: the step would pass before the data diffs exist. Set wait to true, or fail-on-data-changes to false.'
    ])
    expect(read({ ...BASE, 'show-data-diffs': 'false', wait: 'false' }).showDataDiffs).toBe(false)
  })
})

describe('secretsIn: what is masked before anything is read', () => {
  it('lists the api-key input, DATAFOLD_API_KEY as the key is read from it (trimmed), and github-token', () => {
    const input = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''
    expect(
      secretsIn(input({ 'api-key': KEY, 'github-token': 'ghs_tok' }), {
        DATAFOLD_API_KEY: ' env-key \n'
      })
    ).toEqual([KEY, 'env-key', 'ghs_tok'])
  })

  it('leaves out what is empty or not set, so nothing masks an empty string', () => {
    const none = () => ''
    expect(secretsIn(none, {})).toEqual([])
    expect(secretsIn(none, { DATAFOLD_API_KEY: '  \n' })).toEqual([])
    expect(secretsIn(none, { DATAFOLD_API_KEY: 'env-key' })).toEqual(['env-key'])
  })
})

describe('readSettings: intervals and time limits', () => {
  it.each([
    // The bounds themselves are allowed: 1 s against a real host, the maximum of each input.
    ['poll-interval', '1', 'pollIntervalMs', 1_000],
    ['request-timeout', '1', 'requestTimeoutMs', 1_000],
    ['max-poll-interval', '3600', 'maxPollIntervalMs', 3_600_000],
    ['request-timeout', '3600', 'requestTimeoutMs', 3_600_000],
    ['wait-timeout-minutes', '360', 'timeoutMs', 21_600_000],
    ['start-timeout-minutes', '360', 'startTimeoutMs', 21_600_000],
    // Decimals without a leading digit, and with a trailing point.
    ['wait-timeout-minutes', '.5', 'timeoutMs', 30_000],
    ['start-timeout-minutes', '1.', 'startTimeoutMs', 60_000],
    ['max-poll-interval', '40.25', 'maxPollIntervalMs', 40_250],
    ['poll-interval', '2.5', 'pollIntervalMs', 2_500],
    ['poll-interval', '1.5', 'pollIntervalMs', 1_500],
    ['poll-interval', '10', 'pollIntervalMs', 10_000],
    ['max-poll-interval', '45.5', 'maxPollIntervalMs', 45_500],
    ['wait-timeout-minutes', '0.5', 'timeoutMs', 30_000],
    ['wait-timeout-minutes', '90', 'timeoutMs', 5_400_000],
    ['start-timeout-minutes', '1.5', 'startTimeoutMs', 90_000],
    ['request-timeout', '10', 'requestTimeoutMs', 10_000],
    ['request-timeout', '2.5', 'requestTimeoutMs', 2_500]
  ] as const)('%s %p is %s %p', (name, value, field, ms) => {
    expect(read({ ...BASE, [name]: value })[field]).toBe(ms)
  })

  it.each([
    ['poll-interval', '0.5'],
    ['request-timeout', '0.2']
  ])('rejects %s %p against a real host, but allows it on localhost', (name, value) => {
    expect(problemsOf({ ...BASE, [name]: value })).toEqual([
      `Input ${name} is "${value}": expected at least 1 second against https://app.datafold.com (shorter values are only for a local stand-in on localhost).`
    ])
    expect(read({ ...BASE, [name]: value, 'datafold-host': 'http://127.0.0.1:8080' })).toBeDefined()
  })

  it.each([
    ['poll-interval', '0', 'seconds'],
    ['poll-interval', '-1', 'seconds'],
    ['poll-interval', 'abc', 'seconds'],
    ['poll-interval', 'fast', 'seconds'],
    ['poll-interval', '1e2', 'seconds'],
    ['poll-interval', 'Infinity', 'seconds'],
    ['max-poll-interval', '0', 'seconds'],
    ['max-poll-interval', '-1', 'seconds'],
    ['wait-timeout-minutes', '0', 'minutes'],
    ['wait-timeout-minutes', '100000', 'minutes'],
    ['wait-timeout-minutes', '-5', 'minutes'],
    ['wait-timeout-minutes', '361', 'minutes'],
    ['wait-timeout-minutes', '360.5', 'minutes'],
    ['start-timeout-minutes', '361', 'minutes'],
    ['poll-interval', '3601', 'seconds'],
    ['max-poll-interval', '3600.5', 'seconds'],
    ['request-timeout', '3601', 'seconds'],
    ['wait-timeout-minutes', '.', 'minutes'],
    ['wait-timeout-minutes', '1.2.3', 'minutes'],
    ['wait-timeout-minutes', '1,5', 'minutes'],
    ['start-timeout-minutes', '0.0', 'minutes'],
    ['start-timeout-minutes', '1m', 'minutes'],
    ['request-timeout', '0', 'seconds'],
    ['request-timeout', '30s', 'seconds']
  ])('rejects %s %p, naming the unit and the range', (name, value, unit) => {
    const problems = problemsOf({ ...BASE, [name]: value })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(`Input ${name}`)
    expect(problems[0]).toContain(`"${value}"`)
    const max = unit === 'minutes' ? 360 : 3600
    expect(problems[0]).toContain(
      `expected a number of ${unit} greater than 0 and at most ${max} (decimals allowed).`
    )
  })

  it('rejects max-poll-interval below poll-interval, naming both', () => {
    const problems = problemsOf({ ...BASE, 'poll-interval': '20', 'max-poll-interval': '10' })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/max-poll-interval is 10, less than poll-interval 20/)
    expect(problems[0]).toMatch(/expected max-poll-interval to be at least poll-interval/)
    // The default max (30) also bounds a poll-interval set alone.
    expect(problemsOf({ ...BASE, 'poll-interval': '45' })[0]).toMatch(
      /max-poll-interval is 30, less than poll-interval 45/
    )
    expect(read({ ...BASE, 'poll-interval': '30' }).pollIntervalMs).toBe(30_000)
    const longest = read({ ...BASE, 'poll-interval': '3600', 'max-poll-interval': '3600' })
    expect([longest.pollIntervalMs, longest.maxPollIntervalMs]).toEqual([3_600_000, 3_600_000])
  })
})

describe('readSettings: several problems', () => {
  it('reports every bad input at once, one line each', () => {
    const problems = problemsOf({
      'ci-config-id': 'abc',
      'datafold-host': 'http://datafold.example.com',
      'pr-sha': 'nope',
      wait: 'maybe',
      'poll-interval': '0',
      'wait-timeout-minutes': '-1'
    })
    expect(problems).toHaveLength(7)
    for (const name of [
      'api-key',
      'ci-config-id',
      'datafold-host',
      'pr-sha',
      'wait',
      'poll-interval',
      'wait-timeout-minutes'
    ]) {
      expect(problems.filter((p) => p.includes(`${name} `)).length).toBeGreaterThanOrEqual(1)
    }
    for (const p of problems) expect(p).not.toContain('\n')
  })
})

describe('readSettings: wait-timeout-minutes', () => {
  // The runner passes every input action.yml declares, at its default when the workflow gives none.
  const RUNNER = { ...BASE, 'wait-timeout-minutes': '60' }

  it('reads wait-timeout-minutes, 60 by default', () => {
    expect(read(RUNNER).timeoutMs).toBe(60 * 60_000)
    expect(read({ ...RUNNER, 'wait-timeout-minutes': '25' }).timeoutMs).toBe(25 * 60_000)
  })

  it('reads no other name for it: timeout-minutes, its name before v1.0.0, is gone', () => {
    expect(read({ ...RUNNER, 'timeout-minutes': '30' }).timeoutMs).toBe(60 * 60_000)
    expect(read({ ...BASE, 'timeout-minutes': '30' }).timeoutMs).toBe(60 * 60_000)
  })
})

describe('readSettings: diffs and ci-run-id', () => {
  it('reads the table pairs of diffs, and leaves them out when it is empty', () => {
    expect(read({ ...BASE, diffs: '[{"prod": "p.a", "pr": "q.a"}]' }).tablePairs).toEqual([
      { prod: 'p.a', pr: 'q.a' }
    ])
    expect('tablePairs' in read(BASE)).toBe(false)
  })

  it('reads a relative file path from GITHUB_WORKSPACE', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'inputs-'))
    writeFileSync(join(workspace, 'pairs.yml'), '- {prod: p.a, pr: q.a}\n')
    const env = { GITHUB_WORKSPACE: workspace }
    expect(read({ ...BASE, diffs: 'pairs.yml' }, env).tablePairs).toEqual([
      { prod: 'p.a', pr: 'q.a' }
    ])
    expect(problemsOf({ ...BASE, diffs: 'other.yml' }, env)).toEqual([
      expect.stringContaining(`there is no such file at ${join(workspace, 'other.yml')}`)
    ])
  })

  it('reports every bad entry with the other problems', () => {
    expect(problemsOf({ ...BASE, 'ci-config-id': 'x', diffs: '[{"pr": "q.a"}]' })).toEqual([
      'Input ci-config-id is "x": expected a positive integer, for example ci-config-id: 123.',
      'Input diffs, entry 1 (pr q.a): field prod is missing: expected a table path such as analytics.prod.orders.'
    ])
  })

  it('reads ci-run-id as a positive integer', () => {
    expect(read({ ...BASE, 'ci-run-id': '1000' }).ciRunId).toBe(1000)
    expect('ciRunId' in read(BASE)).toBe(false)
    expect(problemsOf({ ...BASE, 'ci-run-id': 'latest' })).toEqual([
      'Input ci-run-id is "latest": expected a positive integer, for example ci-run-id: 123.'
    ])
  })

  it('refuses ci-run-id with wait: false, and with diffs (whose pairs go with a trigger)', () => {
    expect(problemsOf({ ...BASE, 'ci-run-id': '7', wait: 'false' })).toEqual([
      expect.stringMatching(/^Input ci-run-id is set but wait is false: /)
    ])
    expect(problemsOf({ ...BASE, 'ci-run-id': '7', diffs: '[{"prod": "p", "pr": "q"}]' })).toEqual([
      expect.stringMatching(/^Inputs diffs and ci-run-id are both set: /)
    ])
  })

  it('marks the missing-key problem, so the step can explain it for Dependabot and forks', () => {
    let error: unknown
    try {
      read({ 'ci-config-id': '1' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    const { problems, missingKey } = error as InputError
    expect(missingKey).toBe(problems[0])
    expect(missingKey).toMatch(/^Input api-key is empty/)
    let caught: unknown
    try {
      read({ ...BASE, 'ci-config-id': 'x' })
    } catch (thrown) {
      caught = thrown
    }
    expect(caught).toBeInstanceOf(InputError)
    expect((caught as InputError).missingKey).toBeUndefined()
  })
})

describe('readSettings: dbt-manifest and dbt-project-dir', () => {
  it('not given: no manifest to read', () => {
    expect(read(BASE).dbtManifest).toBeUndefined()
  })

  it('given: the path and the project folder as written (read-manifest.ts checks them)', () => {
    expect(read({ ...BASE, 'dbt-manifest': 'target/manifest.json' }).dbtManifest).toEqual({
      path: 'target/manifest.json',
      projectDir: ''
    })
    expect(
      read({ ...BASE, 'dbt-manifest': 'dbt/target/manifest.json', 'dbt-project-dir': 'dbt' })
        .dbtManifest
    ).toEqual({ path: 'dbt/target/manifest.json', projectDir: 'dbt' })
  })

  it('dbt-project-dir without dbt-manifest', () => {
    expect(problemsOf({ ...BASE, 'dbt-project-dir': 'dbt' })).toEqual([
      "Input dbt-project-dir is set but dbt-manifest is not: the project folder only says where the files of the manifest's models are. Give dbt-manifest too, or leave dbt-project-dir empty."
    ])
  })

  it.each([
    ['show-data-diffs', { 'show-data-diffs': 'false' }],
    ['wait', { wait: 'false' }]
  ])('dbt-manifest with %s false: nothing would be annotated', (name, inputs) => {
    expect(problemsOf({ ...BASE, 'dbt-manifest': 'target/manifest.json', ...inputs })).toEqual([
      `Input dbt-manifest is set but ${name} is false: the models are annotated with the run's data diffs, which the step then never reads. Leave ${name} at true, or dbt-manifest empty.`
    ])
  })
})

describe('readSettings: trigger', () => {
  it.each(['auto', 'always', 'never'] as const)('reads trigger: %s', (mode) => {
    expect(read({ ...BASE, trigger: mode }).trigger).toBe(mode)
  })

  it.each(['sometimes', 'TRUE', 'Auto', 'true', 'no'])(
    'refuses trigger: %s, naming the input and the three values',
    (value) => {
      expect(problemsOf({ ...BASE, trigger: value })).toEqual([
        `Input trigger is "${value}": expected auto, always or never.`
      ])
    }
  )

  it('refuses trigger: always with ci-run-id, which sends no trigger', () => {
    expect(problemsOf({ ...BASE, trigger: 'always', 'ci-run-id': '7' })).toEqual([
      'Input trigger is always but ci-run-id is set: with ci-run-id the step follows that run and sends no trigger. Leave trigger at auto (the default), or leave ci-run-id empty.'
    ])
    expect(read({ ...BASE, trigger: 'never', 'ci-run-id': '7' })).toMatchObject({
      trigger: 'never',
      ciRunId: 7
    })
  })

  it('refuses trigger: never with wait: false unless diffs is given', () => {
    expect(problemsOf({ ...BASE, trigger: 'never', wait: 'false' })).toEqual([
      'Input trigger is never but wait is false and diffs is empty: such a step would neither start, feed nor wait for a run. Set wait to true to wait for the run Datafold starts, give diffs to upload its table pairs, or set trigger to auto.'
    ])
    expect(
      read({ ...BASE, trigger: 'never', wait: 'false', diffs: '[{"prod": "p", "pr": "q"}]' })
    ).toMatchObject({ trigger: 'never', wait: false, tablePairs: [{ prod: 'p', pr: 'q' }] })
    expect(read({ ...BASE, trigger: 'auto', wait: 'false' }).trigger).toBe('auto')
  })
})
