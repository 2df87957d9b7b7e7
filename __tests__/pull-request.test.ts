import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  EventError,
  PR_INPUTS,
  completeDetails,
  detailsFromPayload,
  pullRequestUrl,
  readEventContext,
  type EventContext
} from '../src/pull-request.js'

/** Real webhook payloads from @octokit/webhooks-examples, kept in __fixtures__/events/. */
const eventPath = (file: string): string =>
  fileURLToPath(new URL(`../__fixtures__/events/${file}`, import.meta.url))

interface PayloadPr {
  number: number
  head: { ref: string; sha: string }
  base: { ref: string; sha: string }
}
const payloadPr = (file: string): PayloadPr =>
  (JSON.parse(readFileSync(eventPath(file), 'utf8')) as { pull_request: PayloadPr }).pull_request

// A merge commit SHA as GitHub sets GITHUB_SHA on pull_request events: never the PR's head.
const MERGE_SHA = '0123456789abcdef0123456789abcdef01234567'

function contextFor(name: string, file: string, extra: NodeJS.ProcessEnv = {}): EventContext {
  return readEventContext({
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: eventPath(file),
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: 'refs/pull/2/merge',
    ...extra
  })
}

describe('pull request details from real pull_request payloads', () => {
  it.each([
    ['pull_request', 'pull_request.opened.json'],
    ['pull_request', 'pull_request.synchronize.json'],
    ['pull_request', 'pull_request.reopened.json'],
    ['pull_request_target', 'pull_request_target.labeled.json'],
    ['pull_request_review', 'pull_request_review.submitted.json'],
    ['pull_request_review_comment', 'pull_request_review_comment.created.json']
  ])('%s (%s): number, branches and the head SHA from the payload', (name, file) => {
    const pr = payloadPr(file)
    const details = detailsFromPayload(contextFor(name, file))
    expect(details).toEqual({
      pr_number: pr.number,
      pr_branch: pr.head.ref,
      base_branch: pr.base.ref,
      pr_sha: pr.head.sha,
      base_sha: pr.base.sha
    })
    // The examples package's pull request: Codertocat/Hello-World#2, changes into master.
    expect(details.pr_number).toBe(2)
    expect(details.pr_branch).toBe('changes')
    expect(details.base_branch).toBe('master')
    expect(details.pr_sha).toBe('ec26c3e57ca3a959ca5aad62de7213c562f8c821')
    expect(details.pr_sha).not.toBe(MERGE_SHA)
    expect(details.base_sha).not.toBe(details.pr_sha)
  })

  it('completes without any input on a pull_request event', () => {
    const event = contextFor('pull_request', 'pull_request.synchronize.json')
    const details = completeDetails(event, detailsFromPayload(event), {})
    expect(details.pr_sha).toBe(payloadPr('pull_request.synchronize.json').head.sha)
    expect(Object.keys(details).sort()).toEqual(Object.keys(PR_INPUTS).sort())
  })

  it('lets each input override exactly one field', () => {
    const event = contextFor('pull_request', 'pull_request.opened.json')
    const found = detailsFromPayload(event)
    const base = completeDetails(event, found, {})
    const overrides = {
      pr_number: 99,
      pr_branch: 'other',
      base_branch: 'develop',
      pr_sha: 'a'.repeat(40),
      base_sha: 'b'.repeat(40)
    } as const
    for (const [key, value] of Object.entries(overrides)) {
      const details = completeDetails(event, found, { [key]: value })
      expect(details).toEqual({ ...base, [key]: value })
    }
  })
})

describe('pull request details on other events', () => {
  const complete = {
    pr_number: 17,
    pr_branch: 'feature/orders',
    base_branch: 'main',
    pr_sha: 'c'.repeat(40),
    base_sha: 'd'.repeat(40)
  }

  it('reads nothing from a workflow_dispatch payload (nor from GITHUB_SHA)', () => {
    const event = contextFor('workflow_dispatch', 'workflow_dispatch.json')
    expect(event.name).toBe('workflow_dispatch')
    expect(detailsFromPayload(event)).toEqual({})
  })

  it('takes all five fields from the inputs', () => {
    const event = contextFor('workflow_dispatch', 'workflow_dispatch.json')
    expect(completeDetails(event, detailsFromPayload(event), complete)).toEqual(complete)
  })

  it('names the event and every missing input', () => {
    const event = contextFor('workflow_dispatch', 'workflow_dispatch.json')
    const { pr_sha: _sha, base_branch: _base, ...partial } = complete
    let error: unknown
    try {
      completeDetails(event, detailsFromPayload(event), partial)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(EventError)
    const message = (error as Error).message
    expect(message).toContain('workflow_dispatch')
    expect(message).toMatch(/these inputs are missing: base-branch, pr-sha\./)
    expect(message).not.toMatch(/missing:[^.]*pr-number/)
  })

  it('names all five inputs when none is given, and says what to do', () => {
    const event = contextFor('workflow_dispatch', 'workflow_dispatch.json')
    let error: unknown
    try {
      completeDetails(event, detailsFromPayload(event), {})
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(EventError)
    expect(error).toMatchObject({
      name: 'EventError',
      outOfTime: false,
      message:
        'The workflow_dispatch event does not say which pull request to check, and these inputs are missing: pr-number, pr-branch, base-branch, pr-sha, base-sha. ' +
        'Run the step on pull_request events, or pass all of pr-number, pr-branch, base-branch, pr-sha and base-sha.'
    })
  })

  it('reads nothing from a pull_request event whose payload has no pull request', () => {
    for (const pr of [undefined, null, 'a string', 2]) {
      const event: EventContext = {
        name: 'pull_request',
        payload: { pull_request: pr },
        repository: 'acme/warehouse',
        serverUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
        runAttempt: 1
      }
      expect(detailsFromPayload(event)).toEqual({})
    }
  })

  it('does not read a pull request out of a payload of another event name', () => {
    // A pull_request payload delivered under another event name is not trusted as one.
    const event = contextFor('schedule', 'pull_request.opened.json')
    expect(detailsFromPayload(event)).toEqual({})
  })

  it('says "(unknown)" when there is no event name', () => {
    const event = readEventContext({})
    expect(event.payload).toEqual({})
    expect(() => completeDetails(event, detailsFromPayload(event), {})).toThrow(
      /The \(unknown\) event/
    )
  })
})

describe('readEventContext', () => {
  it('reads the payload, repository and server URL', () => {
    const event = contextFor('pull_request', 'pull_request.opened.json', {
      GITHUB_REPOSITORY: 'acme/warehouse',
      GITHUB_SERVER_URL: 'https://github.acme.example/'
    })
    expect(event.repository).toBe('acme/warehouse')
    expect(event.serverUrl).toBe('https://github.acme.example')
    expect((event.payload as { action: string }).action).toBe('opened')
  })

  it('falls back to the payload repository and github.com', () => {
    const event = contextFor('pull_request', 'pull_request.opened.json')
    expect(event.repository).toBe('Codertocat/Hello-World')
    expect(event.serverUrl).toBe('https://github.com')
    expect(event.apiUrl).toBe('https://api.github.com')
  })

  it('falls back the same way when the variables are set but empty', () => {
    const event = contextFor('pull_request', 'pull_request.opened.json', {
      GITHUB_REPOSITORY: '',
      GITHUB_SERVER_URL: '',
      GITHUB_API_URL: ''
    })
    expect(event).toMatchObject({
      name: 'pull_request',
      repository: 'Codertocat/Hello-World',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      runAttempt: 1
    })
  })

  it('reads GITHUB_API_URL, without its trailing slashes (GitHub Enterprise Server)', () => {
    const event = contextFor('pull_request', 'pull_request.opened.json', {
      GITHUB_API_URL: 'https://github.acme.example/api/v3//',
      GITHUB_SERVER_URL: 'https://github.acme.example//'
    })
    expect(event.apiUrl).toBe('https://github.acme.example/api/v3')
    expect(event.serverUrl).toBe('https://github.acme.example')
  })

  it('reads no payload, no repository and no event name when the runner sets none', () => {
    expect(readEventContext({})).toEqual({
      name: '',
      payload: {},
      repository: '',
      serverUrl: 'https://github.com',
      apiUrl: 'https://api.github.com',
      runAttempt: 1
    })
  })

  it('reads GITHUB_RUN_ATTEMPT: above 1 on a re-run, 1 when unset or not a positive integer', () => {
    const attempt = (value: string | undefined): number =>
      readEventContext(value === undefined ? {} : { GITHUB_RUN_ATTEMPT: value }).runAttempt
    expect(attempt('2')).toBe(2)
    expect(attempt('17')).toBe(17)
    expect(attempt('1')).toBe(1)
    expect([undefined, '', '0', '-3', '2.5', 'two', '02', ' 2'].map(attempt)).toEqual([
      1, 1, 1, 1, 1, 1, 1, 1
    ])
  })

  it("reports an event file that is not JSON with the parser's words", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json')
    writeFileSync(path, 'not json')
    expect(() => readEventContext({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: path })).toThrow(
      `Could not read the event payload at GITHUB_EVENT_PATH (${path}): Unexpected token`
    )
  })

  it('reports an unreadable event file with its path', () => {
    expect(() =>
      readEventContext({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: '/nonexistent/e.json'
      })
    ).toThrow(EventError)
    expect(() =>
      readEventContext({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: '/nonexistent/e.json'
      })
    ).toThrow(/GITHUB_EVENT_PATH \(\/nonexistent\/e\.json\)/)
  })
})

describe('pullRequestUrl', () => {
  it('links to the pull request on the GitHub server in use', () => {
    const event = contextFor('pull_request', 'pull_request.opened.json', {
      GITHUB_SERVER_URL: 'https://github.acme.example'
    })
    expect(pullRequestUrl(event, 2)).toBe(
      'https://github.acme.example/Codertocat/Hello-World/pull/2'
    )
  })

  it('gives no link without a repository', () => {
    expect(pullRequestUrl(readEventContext({}), 2)).toBeUndefined()
  })
})

describe('payload fields are checked like inputs', () => {
  const event = (pr: unknown): EventContext => ({
    name: 'pull_request',
    payload: { pull_request: pr },
    repository: 'acme/warehouse',
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    runAttempt: 1
  })
  const good = payloadPr('pull_request.opened.json')
  const withField = (path: string[], value: unknown): unknown => {
    const copy = JSON.parse(JSON.stringify(good)) as Record<string, Record<string, unknown>>
    if (path.length === 1) (copy as Record<string, unknown>)[path[0]] = value
    else copy[path[0]][path[1]] = value
    return copy
  }
  const errorOf = (fn: () => unknown): string => {
    try {
      fn()
    } catch (error) {
      expect(error).toBeInstanceOf(EventError)
      return (error as Error).message
    }
    throw new Error('expected an EventError')
  }

  it.each<[string, string[], unknown, string]>([
    [
      'a null head SHA',
      ['head', 'sha'],
      null,
      'pull_request.head.sha is null: expected a full commit SHA'
    ],
    [
      'a short head SHA',
      ['head', 'sha'],
      'abc123',
      'pull_request.head.sha is "abc123": expected a full commit SHA'
    ],
    [
      'a number given as a string',
      ['number'],
      '2',
      'pull_request.number is "2": expected a positive integer'
    ],
    ['a zero number', ['number'], 0, 'pull_request.number is 0: expected a positive integer'],
    [
      'a base branch with a space',
      ['base', 'ref'],
      'main branch',
      'pull_request.base.ref is "main branch": expected a branch name'
    ],
    [
      'an empty head branch',
      ['head', 'ref'],
      '',
      'pull_request.head.ref is "": expected a branch name'
    ],
    [
      'a base SHA that is an object',
      ['base', 'sha'],
      { sha: 'x' },
      'pull_request.base.sha is {"sha":"x"}: expected a full commit SHA'
    ]
  ])(
    '%s: an error naming the field, the value and what is expected',
    (_name, path, value, said) => {
      const context = event(withField(path, value))
      const message = errorOf(() => completeDetails(context, detailsFromPayload(context), {}))
      expect(message).toContain(`The pull_request event's ${said}`)
      expect(message).toMatch(
        /Pass input (pr-sha|base-sha|pr-number|pr-branch|base-branch) to override it\./
      )
    }
  )

  it('a head that is null names the fields it lacks as missing inputs', () => {
    const context = event(withField(['head'], null))
    expect(errorOf(() => completeDetails(context, detailsFromPayload(context), {}))).toMatch(
      /these inputs are missing: pr-branch, pr-sha\./
    )
  })

  it.each([undefined, null])(
    'a payload pull request whose head is %p gives the base only',
    (head) => {
      const found = detailsFromPayload(event({ ...good, head }))
      expect(found).toEqual({ pr_number: 2, base_branch: 'master', base_sha: good.base.sha })
    }
  )

  it.each([undefined, null])(
    'a payload pull request whose base is %p gives the head only',
    (base) => {
      const found = detailsFromPayload(event({ ...good, base }))
      expect(found).toEqual({ pr_number: 2, pr_branch: 'changes', pr_sha: good.head.sha })
    }
  )

  it('names every bad payload field at once, one line each', () => {
    const pr = JSON.parse(JSON.stringify(good)) as PayloadPr
    pr.head.sha = 'abc'
    pr.base.ref = 'main branch'
    const context = event(pr)
    expect(errorOf(() => completeDetails(context, detailsFromPayload(context), {}))).toBe(
      [
        `The pull_request event's pull_request.base.ref is "main branch": expected a branch name such as main or feature/orders (no spaces or ~^:?*[\\). Pass input base-branch to override it.`,
        `The pull_request event's pull_request.head.sha is "abc": expected a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories). Pass input pr-sha to override it.`
      ].join('\n')
    )
  })

  it('says "(unknown)" for a bad field when there is no event name', () => {
    const context = { ...event(withField(['number'], 0)), name: '' }
    expect(errorOf(() => completeDetails(context, { pr_number: 0 }, {}))).toMatch(
      /^The \(unknown\) event's pull_request\.number is 0: expected a positive integer\./
    )
  })

  it('checks an input that overrides a field by the same rule (the SHA in lower case)', () => {
    const context = event(good)
    const details = completeDetails(context, detailsFromPayload(context), {
      pr_sha: 'A'.repeat(40),
      pr_number: 7
    })
    expect(details).toEqual({
      pr_number: 7,
      pr_branch: 'changes',
      base_branch: 'master',
      pr_sha: 'a'.repeat(40),
      base_sha: good.base.sha
    })
  })

  it('a bad payload field that an input overrides is not an error', () => {
    const context = event(withField(['head', 'sha'], null))
    const details = completeDetails(context, detailsFromPayload(context), {
      pr_sha: 'a'.repeat(40)
    })
    expect(details.pr_sha).toBe('a'.repeat(40))
  })

  it('an upper-case SHA in the payload is sent in lower case', () => {
    const context = event(withField(['head', 'sha'], 'ABCDEF'.repeat(6) + 'ABCD'))
    const details = completeDetails(context, detailsFromPayload(context), {})
    expect(details.pr_sha).toBe('abcdef'.repeat(6) + 'abcd')
  })
})

describe('readEventContext: a payload that is JSON but not an object', () => {
  it.each([
    ['null', 'null'],
    ['an array', '[]'],
    ['a string', '"pull_request"'],
    ['a number', '42']
  ])('names a payload that is %s, without a stack trace', (what, text) => {
    const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json')
    writeFileSync(path, text)
    let error: unknown
    try {
      readEventContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(EventError)
    expect((error as EventError).message).toBe(
      `The event payload at GITHUB_EVENT_PATH (${path}) is ${what === 'null' ? 'null' : what}, not a JSON object: the runner writes the webhook payload there, so the step cannot tell which pull request to check.`
    )
  })
})
