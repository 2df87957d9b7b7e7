/**
 * The pull request looked up through the GitHub API for push, issue_comment and workflow_run events,
 * and the errors for events that cannot name one. Payloads are real webhook examples from
 * @octokit/webhooks-examples (saved under __fixtures__/events/); the GitHub API is mocked with nock,
 * which intercepts the fetch that Octokit uses.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, jest } from '@jest/globals'
import nock from 'nock'
import { systemClock } from '../src/clock.js'
import type { PrDetails } from '../src/datafold-client.js'
import { lookUpPullRequest, needsLookup, type Lookup } from '../src/github-lookup.js'
import type { HttpRequest, Transport } from '../src/http.js'
import { run } from '../src/main.js'
import { EventError, readEventContext, type EventContext } from '../src/pull-request.js'
import type { Log } from '../src/toolkit.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'

const API = 'https://api.github.com'
const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a'
const REPO = '/repos/Codertocat/Hello-World'
const PUSHED = '6113728f27ae82c7b1a177c8d03f9e96e0adf246'
const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'

const { version: VERSION } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
const dir = mkdtempSync(join(tmpdir(), 'github-lookup-'))

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(
    readFileSync(new URL(`../__fixtures__/events/${name}`, import.meta.url), 'utf8')
  ) as Record<string, unknown>
}

/** The event as main reads it: the payload written to a file, env as the runner sets it. */
function eventOf(
  name: string,
  payload: Record<string, unknown>,
  env: NodeJS.ProcessEnv = {}
): EventContext {
  const path = join(dir, `${name}-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(path, JSON.stringify(payload))
  return readEventContext({ GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: path, ...env })
}

/**
 * The examples package has no issue_comment on a pull request, so this one is derived from the
 * real issue_comment example by adding the `pull_request` object GitHub puts on the issue of every
 * pull request comment (url, html_url, diff_url, patch_url, merged_at).
 */
function prComment(): Record<string, unknown> {
  const payload = fixture('issue_comment.created.json')
  const issue = payload.issue as Record<string, unknown>
  issue.pull_request = {
    url: 'https://api.github.com/repos/Codertocat/Hello-World/pulls/1',
    html_url: 'https://github.com/Codertocat/Hello-World/pull/1',
    diff_url: 'https://github.com/Codertocat/Hello-World/pull/1.diff',
    patch_url: 'https://github.com/Codertocat/Hello-World/pull/1.patch',
    merged_at: null
  }
  return payload
}

/** A pull request as the GitHub REST API returns it, reduced to what the lookup reads. */
function pull(
  number: number,
  head: { ref: string; sha: string },
  base: { ref: string; sha: string } = { ref: 'master', sha: BASE_SHA },
  state = 'open'
): Record<string, unknown> {
  return {
    url: `${API}${REPO}/pulls/${number}`,
    number,
    state,
    merged_at: null,
    head: { label: `Codertocat:${head.ref}`, ...head },
    base: { label: `Codertocat:${base.ref}`, ...base }
  }
}

interface Seen {
  method: string
  url: string
  authorization: string | null
  userAgent: string | null
}

/** Every request that reached the mocked GitHub API, matched or not. */
let seen: Seen[] = []
const record = (req: Request): void => {
  seen.push({
    method: req.method,
    url: req.url,
    authorization: req.headers.get('authorization'),
    userAgent: req.headers.get('user-agent')
  })
}

/** Answers `status` with `body` and records the request (nock 15: one argument, a fetch Request). */
function answer(status: number, body: unknown, headers: Record<string, string> = {}) {
  return [
    status,
    (req: Request) => {
      record(req)
      return body
    },
    headers
  ] as const
}

const unmatched: string[] = []
const onNoMatch = (req: { method?: string; href?: string; url?: string }): void => {
  const url = req.href ?? req.url ?? ''
  // Local servers are real ones, reached on purpose (nock reports them as unmatched too).
  if (!url.startsWith('http://127.0.0.1:')) unmatched.push(`${req.method} ${url}`)
}

/** A real local server, for faults nock cannot make on the fetch Octokit uses. */
async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function recorder(): Log & { lines: string[] } {
  const lines: string[] = []
  const add = (level: string) => (message: string) => lines.push(`${level}: ${message}`)
  return {
    lines,
    debug: add('debug'),
    info: add('info'),
    notice: add('notice'),
    warning: add('warning'),
    error: add('error')
  }
}

async function lookUp(
  event: EventContext,
  options: {
    token?: string
    overrides?: Partial<PrDetails>
    timeoutMs?: number
    timeLeftMs?: number
    log?: ReturnType<typeof recorder>
    signal?: AbortSignal
    clock?: VirtualClock
  } = {}
): Promise<{ result: Lookup; log: string[] }> {
  const log = options.log ?? recorder()
  // Waits between retries pass on a virtual clock; each request's own time limit is real.
  const clock = options.clock ?? new VirtualClock()
  const result = await lookUpPullRequest({
    event,
    token: options.token ?? TOKEN,
    overrides: options.overrides ?? {},
    log,
    timeoutMs: options.timeoutMs ?? 10_000,
    clock,
    deadlineMs: clock.now() + (options.timeLeftMs ?? 3_600_000),
    signal: options.signal,
    // Jitter pinned to the middle: the first retry waits 0.5 s.
    random: () => 0.5
  })
  return { result, log: log.lines }
}

/** The EventError a lookup ends with. */
async function lookUpFailure(
  event: EventContext,
  options: Parameters<typeof lookUp>[1] = {}
): Promise<EventError> {
  try {
    const { result } = await lookUp(event, options)
    throw new Error(`expected an EventError, got ${JSON.stringify(result)}`)
  } catch (error) {
    expect(error).toBeInstanceOf(EventError)
    return error as EventError
  }
}

async function lookUpError(
  event: EventContext,
  options: Parameters<typeof lookUp>[1] = {}
): Promise<string> {
  try {
    const { result } = await lookUp(event, options)
    throw new Error(`expected an EventError, got ${JSON.stringify(result)}`)
  } catch (error) {
    expect(error).toBeInstanceOf(EventError)
    return (error as Error).message
  }
}

beforeAll(() => {
  nock.disableNetConnect()
  nock.emitter.on('no match', onNoMatch)
})

beforeEach(() => {
  seen = []
  unmatched.length = 0
})

afterEach(() => {
  nock.disableNetConnect()
  const pending = nock.pendingMocks()
  nock.cleanAll()
  expect(unmatched).toEqual([])
  expect(pending).toEqual([])
})

afterAll(() => {
  nock.emitter.removeListener('no match', onNoMatch)
  nock.enableNetConnect()
  nock.restore()
})

describe('push', () => {
  const payload = fixture('push.created-branch.json')
  const commitPulls = `${REPO}/commits/${PUSHED}/pulls`

  it('finds the open pull request whose head is the pushed commit', async () => {
    nock(API)
      .get(commitPulls)
      .query({ per_page: '100' })
      .reply(
        ...answer(200, [
          // Merged earlier and containing the commit: not about this push.
          pull(1, { ref: 'old', sha: PUSHED }, undefined, 'closed'),
          // Open and containing the commit further down its branch: not this push either.
          pull(4, { ref: 'stacked', sha: 'c'.repeat(40) }),
          pull(5, { ref: 'master', sha: PUSHED }, { ref: 'release', sha: BASE_SHA })
        ])
      )
    const { result, log } = await lookUp(eventOf('push', payload))
    expect(result).toEqual({
      kind: 'found',
      details: {
        pr_number: 5,
        pr_branch: 'master',
        base_branch: 'release',
        pr_sha: PUSHED,
        base_sha: BASE_SHA
      }
    })
    expect(seen).toEqual([
      {
        method: 'GET',
        url: `${API}${commitPulls}?per_page=100`,
        authorization: `token ${TOKEN}`,
        userAgent: expect.stringMatching(`^datafold-ci-action/${VERSION.replaceAll('.', '\\.')} `)
      }
    ])
    expect(log.join('\n')).toContain(PUSHED)
  })

  it('sends the request to GITHUB_API_URL, path included, on GitHub Enterprise Server', async () => {
    const ghes = 'https://github.example.com/api/v3'
    nock('https://github.example.com')
      .get(`/api/v3${commitPulls}`)
      .query(true)
      .reply(...answer(200, [pull(9, { ref: 'feature', sha: PUSHED })]))
    const { result } = await lookUp(eventOf('push', payload, { GITHUB_API_URL: `${ghes}/` }))
    expect(result.kind === 'found' && result.details.pr_number).toBe(9)
    expect(seen.map((s) => s.url)).toEqual([`${ghes}${commitPulls}?per_page=100`])
  })

  it('sends an app installation token or JWT as Octokit does: "token" or "bearer"', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOjF9.c2lnbmF0dXJl'
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, [pull(9, { ref: 'feature', sha: PUSHED })]))
    await lookUp(eventOf('push', payload), { token: jwt })
    expect(seen[0].authorization).toBe(`bearer ${jwt}`)
  })

  it('picks the pull request into the default branch among several, and says which and why', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(200, [
          pull(9, { ref: 'feature', sha: PUSHED }, { ref: 'release', sha: BASE_SHA }),
          pull(7, { ref: 'feature', sha: PUSHED }, { ref: 'master', sha: BASE_SHA }),
          pull(3, { ref: 'feature', sha: PUSHED }, { ref: 'develop', sha: BASE_SHA })
        ])
      )
    const { result, log } = await lookUp(eventOf('push', payload))
    expect(result.kind === 'found' && result.details.pr_number).toBe(7)
    expect(log).toContainEqual(
      `info: 3 open pull requests have head ${PUSHED.slice(0, 7)}: #3 (feature into develop), #7 (feature into master), #9 (feature into release). ` +
        'Checking #7: it is the one into the default branch master. To check another, pass its pr-number, base-branch and base-sha.'
    )
  })

  it('picks the lowest number among several into the default branch, and says so', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(200, [
          pull(9, { ref: 'feature', sha: PUSHED }, { ref: 'master', sha: BASE_SHA }),
          pull(4, { ref: 'feature', sha: PUSHED }, { ref: 'release', sha: BASE_SHA }),
          pull(7, { ref: 'feature', sha: PUSHED }, { ref: 'master', sha: BASE_SHA })
        ])
      )
    const { result, log } = await lookUp(eventOf('push', payload))
    expect(result.kind === 'found' && result.details.pr_number).toBe(7)
    expect(log).toContainEqual(
      `info: 3 open pull requests have head ${PUSHED.slice(0, 7)}: #4 (feature into release), #7 (feature into master), #9 (feature into master). ` +
        'Checking #7: it is the lowest-numbered of those into the default branch master. To check another, pass its pr-number, base-branch and base-sha.'
    )
  })

  it('picks the lowest number when none of several is into the default branch', async () => {
    const answers = [
      pull(12, { ref: 'feature', sha: PUSHED }, { ref: 'release', sha: BASE_SHA }),
      pull(8, { ref: 'feature', sha: PUSHED }, { ref: 'develop', sha: BASE_SHA })
    ]
    for (const order of [answers, [...answers].reverse()]) {
      nock(API)
        .get(commitPulls)
        .query(true)
        .reply(...answer(200, order))
      const { result, log } = await lookUp(eventOf('push', payload))
      expect(result.kind === 'found' && result.details.pr_number).toBe(8)
      expect(log.join('\n')).toContain(
        'Checking #8: it has the lowest number (none is into the default branch)'
      )
    }
  })

  it('finds no pull request when none is open with the pushed commit as head', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, [pull(1, { ref: 'master', sha: PUSHED }, undefined, 'closed')]))
    const { result } = await lookUp(eventOf('push', payload))
    expect(result).toEqual({
      kind: 'none',
      reason: expect.stringContaining(
        `No open pull request has ${PUSHED.slice(0, 7)}, the commit pushed to branch master, as its head commit`
      )
    })
    expect(result.kind === 'none' && result.reason).toContain('nothing was sent to Datafold')
  })

  it('asks GitHub nothing for a push that deleted a ref', async () => {
    const { result } = await lookUp(eventOf('push', fixture('push.deleted-tag.json')))
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The push deleted tag simple-tag, so there is no commit for Datafold CI to check and nothing was sent to Datafold.'
    })
    expect(seen).toEqual([])
  })

  it.each<[string, Record<string, unknown>, string]>([
    [
      'says it deleted the ref',
      { deleted: true, after: PUSHED, ref: 'refs/heads/feature' },
      'branch feature'
    ],
    ['names no commit', { deleted: false, ref: 'refs/heads/feature' }, 'branch feature'],
    [
      'names the zero commit',
      { deleted: false, after: '0'.repeat(40), ref: 'refs/tags/v1' },
      'tag v1'
    ],
    [
      'names another kind of ref',
      { deleted: true, after: PUSHED, ref: 'refs/notes/x' },
      'refs/notes/x'
    ],
    ['names no ref', { deleted: true, after: PUSHED }, 'an unknown ref']
  ])('asks GitHub nothing for a push that %s', async (_name, fields, what) => {
    const { after: _after, ref: _ref, ...created } = payload
    const { result } = await lookUp(eventOf('push', { ...created, ...fields }))
    expect(result).toEqual({
      kind: 'none',
      reason: `The push deleted ${what}, so there is no commit for Datafold CI to check and nothing was sent to Datafold.`
    })
    expect(seen).toEqual([])
  })

  it('looks up a pushed commit whose SHA starts and ends with zeros like any other', async () => {
    const sha = `00${PUSHED.slice(2, -2)}00`
    nock(API)
      .get(`${REPO}/commits/${sha}/pulls`)
      .query(true)
      .reply(...answer(200, []))
    const { result } = await lookUp(eventOf('push', { ...payload, after: sha }))
    expect(result.kind === 'none' && result.reason).toMatch(/^No open pull request has 00/)
    expect(seen).toHaveLength(1)
  })

  it('looks up an upper-case pushed SHA in lower case', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, [pull(9, { ref: 'feature', sha: PUSHED.toUpperCase() })]))
    const { result, log } = await lookUp(
      eventOf('push', { ...payload, after: PUSHED.toUpperCase() })
    )
    expect(result.kind === 'found' && result.details.pr_sha).toBe(PUSHED)
    expect(log).toEqual([
      `info: Looking for the open pull request whose head is ${PUSHED} (pushed to branch master).`
    ])
  })

  it('explains a 404 as a repository the token cannot see or missing permissions', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(404, {
          message: 'Not Found',
          documentation_url:
            'https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit',
          status: '404'
        })
      )
    const message = await lookUpError(eventOf('push', payload))
    expect(message).toBe(
      `GitHub answered 404 Not Found to GET ${REPO}/commits/${PUSHED}/pulls on ${API}. GitHub said: "Not Found". ` +
        'Either the pull request or commit is in a repository the token in github-token cannot see (another repository or organisation than the token was made for), ' +
        'or the token lacks permission to read it: GitHub answers 404, not 403, for what a token may not see. ' +
        'Give the job `permissions:` with `pull-requests: read` and `contents: read` (a job that sets `permissions:` gets none it does not list), or pass in github-token a token that has them.'
    )
  })

  it('explains a rate limit 403 as a rate limit, not as permissions', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(
          403,
          { message: 'API rate limit exceeded for installation ID 1.' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1700000000' }
        )
      )
    // No time left for a retry: the first answer is the last.
    const message = await lookUpError(eventOf('push', payload), { timeLeftMs: 900 })
    expect(message).toContain("GitHub's API rate limit for the token in github-token is used up")
    expect(message).not.toContain('pull-requests: read')
  })

  // Faults below the HTTP answer come from real sockets: nock's replyWithError and delay do not
  // reach the undici fetch that @actions/github uses.
  it('retries a refused connection until wait-timeout-minutes, then explains it', async () => {
    nock.enableNetConnect('127.0.0.1')
    const closed = await listen(() => undefined)
    await closed.close()
    const log = recorder()
    const error = await lookUpFailure(eventOf('push', payload, { GITHUB_API_URL: closed.url }), {
      timeLeftMs: 1_500,
      log
    })
    expect(error.message).toMatch(
      new RegExp(
        `^Could not reach the GitHub API for GET ${REPO}/commits/${PUSHED}/pulls on ${closed.url}: .*ECONNREFUSED.* wait-timeout-minutes leaves no room for another try\\.$`
      )
    )
    expect(error.outOfTime).toBe(true)
    expect(
      log.lines.filter((line) => /^warning: .*Retrying GET/.test(line)).length
    ).toBeGreaterThan(0)
  })

  it('abandons a hung request after request-timeout and tries again', async () => {
    nock.enableNetConnect('127.0.0.1')
    let calls = 0
    const server = await listen((_req, res) => {
      calls++
      if (calls === 1) return // hangs
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify([pull(9, { ref: 'feature', sha: PUSHED })]))
    })
    const log = recorder()
    try {
      const { result } = await lookUp(eventOf('push', payload, { GITHUB_API_URL: server.url }), {
        // Long enough for a loaded machine to send the retry and read its answer (the first lookup
        // also loads Octokit); the hung request is still abandoned.
        timeoutMs: 2_000,
        log
      })
      expect(result.kind === 'found' && result.details.pr_number).toBe(9)
      expect(calls).toBe(2)
      expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
        expect.stringMatching(
          new RegExp(
            `^warning: The GitHub API did not answer GET ${REPO}/commits/${PUSHED}/pulls on ${server.url} within 2 s .* Retrying GET ${REPO}/commits/${PUSHED}/pulls in 0\\.5 s \\(retry 1\\)\\.$`
          )
        )
      ])
    } finally {
      await server.close()
    }
  })

  it('never lets a request outlast wait-timeout-minutes, whatever request-timeout says', async () => {
    nock.enableNetConnect('127.0.0.1')
    const hung = await listen(() => undefined)
    const started = Date.now()
    try {
      const error = await lookUpFailure(eventOf('push', payload, { GITHUB_API_URL: hung.url }), {
        timeoutMs: 30_000,
        timeLeftMs: 150
      })
      expect(error.message).toBe(
        `wait-timeout-minutes ran out while waiting for the GitHub API to answer GET ${REPO}/commits/${PUSHED}/pulls on ${hung.url}.`
      )
      expect(error.outOfTime).toBe(true)
      expect(Date.now() - started).toBeLessThan(5_000)
    } finally {
      await hung.close()
    }
  })

  it('retries an answer cut off half way, never reading it as "no pull request"', async () => {
    nock.enableNetConnect('127.0.0.1')
    const body = JSON.stringify([pull(9, { ref: 'feature', sha: PUSHED })])
    let calls = 0
    const server = await listen((req, res) => {
      calls++
      if (calls === 1) {
        // Headers promise the whole body; half of it comes, then a clean close.
        const socket = req.socket
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`,
          () => socket.end()
        )
        return
      }
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(body)
    })
    try {
      const log = recorder()
      const { result } = await lookUp(eventOf('push', payload, { GITHUB_API_URL: server.url }), {
        log
      })
      expect(result.kind === 'found' && result.details.pr_number).toBe(9)
      expect(calls).toBe(2)
      expect(log.lines.some((line) => /^warning: .*Retrying GET/.test(line))).toBe(true)
    } finally {
      await server.close()
    }
  })

  it.each<[string, unknown]>([
    ['an object', { message: 'ok' }],
    ['a string', 'nope'],
    ['null', null],
    ['a list with an entry that is no pull request', [{ number: 'one' }]]
  ])(
    'retries a JSON answer that is %s instead of a list, then fails: never "no pull request"',
    async (_name, body) => {
      nock(API)
        .get(commitPulls)
        .query(true)
        .times(3)
        .reply(...answer(200, body, { 'Content-Type': 'application/json' }))
      const error = await lookUpFailure(eventOf('push', payload), { timeLeftMs: 2_500 })
      expect(error.message).toMatch(
        new RegExp(
          `^GitHub's answer to GET ${REPO}/commits/${PUSHED}/pulls on ${API} is not a JSON list of pull requests`
        )
      )
      expect(seen.length).toBeGreaterThanOrEqual(2)
      nock.cleanAll()
    }
  )

  it('stops at once on an HTML page (a proxy or single sign-on page), naming it', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(200, '<html><body>Sign in to continue</body></html>', {
          'Content-Type': 'text/html'
        })
      )
    const error = await lookUpFailure(eventOf('push', payload))
    expect(error.message).toBe(
      `GitHub's answer to GET ${REPO}/commits/${PUSHED}/pulls on ${API} is not a JSON list of pull requests (content type text/html): <html><body>Sign in to continue</body></html>. An HTML page in place of the API usually comes from a proxy or a single sign-on page in front of GITHUB_API_URL.`
    )
    expect(seen).toHaveLength(1)
  })

  it.each([500, 502, 503, 504, 429])('retries HTTP %p, then uses the answer', async (status) => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(status, { message: 'busy' }, { 'Retry-After': '0' }))
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, [pull(9, { ref: 'feature', sha: PUSHED })]))
    const log = recorder()
    const { result } = await lookUp(eventOf('push', payload), { log })
    expect(result.kind === 'found' && result.details.pr_number).toBe(9)
    expect(seen).toHaveLength(2)
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      expect.stringMatching(
        new RegExp(`HTTP ${status}.* Retrying GET .* in 0\\.5 s \\(retry 1\\)\\.$`)
      )
    ])
  })

  it.each<[string, number, Record<string, string>, string]>([
    ['x-ratelimit-remaining: 0 alone', 403, { 'x-ratelimit-remaining': '0' }, 'Forbidden'],
    [
      'the words "rate limit" alone',
      403,
      { 'x-ratelimit-remaining': '12' },
      'You have exceeded a secondary rate limit.'
    ],
    ['HTTP 429 alone', 429, {}, 'Too many requests']
  ])('takes %s for a used-up rate limit', async (_name, status, headers, said) => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(status, { message: said }, headers))
    // No time left for a retry: the first answer is the last.
    const message = await lookUpError(eventOf('push', payload), { timeLeftMs: 900 })
    expect(message).toBe(
      `GitHub's API rate limit for the token in github-token is used up (HTTP ${status}) for GET ${REPO}/commits/${PUSHED}/pulls on ${API}. GitHub said: "${said}". ` +
        'Try again later, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha so no lookup is needed. ' +
        // Neither Retry-After nor a reset time: GitHub's documentation asks for a minute.
        'GitHub asked to wait 60 s before the next try, and the 0.9 s left of wait-timeout-minutes is not enough for that wait and one more try, so the step stops now.'
    )
    expect(seen).toHaveLength(1)
  })

  it('explains another HTTP error with its status and what GitHub said', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(422, { message: 'Validation Failed' }))
    const message = await lookUpError(eventOf('push', payload))
    expect(message).toBe(
      `GitHub answered HTTP 422 to GET ${REPO}/commits/${PUSHED}/pulls on ${API}. GitHub said: "Validation Failed".`
    )
    expect(seen).toHaveLength(1)
  })

  // GitHub's secondary rate limit answers 403 (or 429) and says how long to wait: Retry-After,
  // or x-ratelimit-remaining 0 with x-ratelimit-reset (epoch seconds); without either, a minute.
  it.each<[string, Record<string, string>, string, number]>([
    [
      'Retry-After',
      { 'retry-after': '7' },
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      7_000
    ],
    [
      // Past the 2 minutes the Datafold client caps Retry-After at: GitHub's wait is never shortened.
      'a Retry-After of 5 minutes',
      { 'retry-after': '300' },
      'You have exceeded a secondary rate limit.',
      300_000
    ],
    [
      'x-ratelimit-remaining 0 with x-ratelimit-reset',
      { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'RESET+30' },
      'API rate limit exceeded for installation ID 1.',
      30_000
    ],
    [
      'the words "secondary rate limit" alone',
      {},
      'You have exceeded a secondary rate limit.',
      60_000
    ]
  ])(
    'waits out a rate limit 403 that says when (%s), then uses the answer',
    async (_name, headers, said, waitMs) => {
      const clock = new VirtualClock()
      const reset = String(Math.floor(clock.now() / 1000))
      const sent = Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [
          name,
          value.replace(/^RESET\+(\d+)$/, (_, add: string) => String(Number(reset) + Number(add)))
        ])
      )
      nock(API)
        .get(commitPulls)
        .query(true)
        .reply(...answer(403, { message: said }, sent))
      nock(API)
        .get(commitPulls)
        .query(true)
        .reply(...answer(200, [pull(9, { ref: 'feature', sha: PUSHED })]))
      const log = recorder()
      const { result } = await lookUp(eventOf('push', payload), { log, clock })
      expect(result.kind === 'found' && result.details.pr_number).toBe(9)
      expect(seen).toHaveLength(2)
      // The wait GitHub asked for, plus the first backoff's jitter (random 0.5 of 1 s), so steps
      // turned away together do not come back together.
      const sleptMs = waitMs + 500
      expect(clock.sleeps).toEqual([sleptMs])
      expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
        `warning: GitHub's API rate limit for the token in github-token is used up (HTTP 403) for GET ${REPO}/commits/${PUSHED}/pulls on ${API}. GitHub said: "${said}". ` +
          'Try again later, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha so no lookup is needed. ' +
          `Retrying GET ${REPO}/commits/${PUSHED}/pulls in ${(sleptMs / 1000).toFixed(1)} s (retry 1).`
      ])
    }
  )

  it('stops at once when the rate limit resets after wait-timeout-minutes', async () => {
    const clock = new VirtualClock()
    const reset = Math.floor(clock.now() / 1000) + 3_600
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(
          403,
          { message: 'API rate limit exceeded' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }
        )
      )
    const error = await lookUpFailure(eventOf('push', payload), { clock, timeLeftMs: 600_000 })
    expect(error.message).toMatch(
      /is used up \(HTTP 403\).* GitHub asked to wait 3600 s before the next try, and the 600 s left of wait-timeout-minutes is not enough for that wait and one more try, so the step stops now\.$/
    )
    expect(error.outOfTime).toBe(true)
    expect(clock.sleeps).toEqual([])
    expect(seen).toHaveLength(1)
  })

  it.each([
    ['seconds', (_now: number) => '3600'],
    ['an HTTP date', (now: number) => new Date(now + 3_600_000).toUTCString()]
  ])(
    'stops at once, saying how long GitHub asked, when its Retry-After (%s) is past the deadline',
    async (_form, retryAfter) => {
      const clock = new VirtualClock()
      nock(API)
        .get(commitPulls)
        .query(true)
        .reply(
          ...answer(
            429,
            { message: 'You have exceeded a secondary rate limit.' },
            { 'retry-after': retryAfter(clock.now()) }
          )
        )
      const error = await lookUpFailure(eventOf('push', payload), { clock, timeLeftMs: 600_000 })
      expect(error.message).toMatch(
        /is used up \(HTTP 429\).* GitHub asked to wait 3600 s before the next try, and the 600 s left of wait-timeout-minutes is not enough for that wait and one more try, so the step stops now\.$/
      )
      expect(error.outOfTime).toBe(true)
      expect(clock.sleeps).toEqual([])
      expect(seen).toHaveLength(1)
    }
  )

  it('still fails at once on a 403 that is about permissions, not a rate limit', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(403, { message: 'Resource not accessible by integration' }))
    const error = await lookUpFailure(eventOf('push', payload))
    expect(error.message).toContain('lacks permission to read the pull request')
    expect(seen).toHaveLength(1)
  })

  it("logs Octokit's own warnings (a deprecated endpoint) through the step's log, not console", async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)
    try {
      nock(API)
        .get(commitPulls)
        .query(true)
        .reply(
          ...answer(200, [pull(9, { ref: 'feature', sha: PUSHED })], {
            deprecation: 'true',
            sunset: '##[add-mask]x',
            link: '<::stop-commands::t>; rel="deprecation"'
          })
        )
      const log = recorder()
      await lookUp(eventOf('push', payload), { log })
      expect(warn).not.toHaveBeenCalled()
      expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
        expect.stringContaining('is deprecated. It is scheduled to be removed on ##[add-mask]x')
      ])
    } finally {
      warn.mockRestore()
    }
  })

  it('names a pull request field that GitHub gave in the wrong shape', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(200, [
          { ...pull(9, { ref: 'feature', sha: PUSHED }), base: { ref: 'main', sha: null } }
        ])
      )
    const error = await lookUpFailure(eventOf('push', payload))
    expect(error.message).toBe(
      "GitHub's answer for pull request #9 has base.sha null (expected a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)). Pass base-sha to name them yourself."
    )
  })

  it('honours a Retry-After, with the backoff jitter on top', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(503, { message: 'busy' }, { 'Retry-After': '1' }))
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, [pull(9, { ref: 'feature', sha: PUSHED })]))
    const log = recorder()
    await lookUp(eventOf('push', payload), { log })
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      `warning: GitHub answered HTTP 503 to GET ${REPO}/commits/${PUSHED}/pulls on ${API}. GitHub said: "busy". Retrying GET ${REPO}/commits/${PUSHED}/pulls in 1.5 s (retry 1).`
    ])
  })

  it('stops retrying when the workflow is cancelled during the wait', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(503, { message: 'busy' }))
    const cancel = new AbortController()
    const clock = new VirtualClock()
    clock.onSleep = () => cancel.abort()
    const error = await lookUpFailure(eventOf('push', payload), { signal: cancel.signal, clock })
    expect(error.message).toBe(`GET ${REPO}/commits/${PUSHED}/pulls was cancelled.`)
    expect(error.outOfTime).toBe(false)
    expect(clock.sleeps).toEqual([500])
    expect(seen).toHaveLength(1)
  })

  it('sends nothing once wait-timeout-minutes has run out', async () => {
    const error = await lookUpFailure(eventOf('push', payload), { timeLeftMs: -1 })
    expect(error.message).toBe(
      `wait-timeout-minutes ran out before GET ${REPO}/commits/${PUSHED}/pulls on ${API} could be sent.`
    )
    expect(error.outOfTime).toBe(true)
    expect(seen).toEqual([])
  })

  it.each([
    ['', 'GITHUB_REPOSITORY is ""'],
    ['acme', 'GITHUB_REPOSITORY is "acme"'],
    ['/warehouse', 'GITHUB_REPOSITORY is "/warehouse"']
  ])('fails before any request when the repository is %p', async (repository, said) => {
    const { repository: _repository, ...anonymous } = payload
    const event = { ...eventOf('push', anonymous), repository }
    const message = await lookUpError(event)
    expect(message).toBe(
      `The repository is unknown (${said}), so the pull request cannot be looked up.`
    )
    expect(seen).toEqual([])
  })

  it('fails before any request when github-token is empty', async () => {
    const message = await lookUpError(eventOf('push', payload), { token: '' })
    expect(message).toContain('Input github-token is empty, but the push event does not carry')
    expect(seen).toEqual([])
  })

  it('says in full what to do when no open pull request has the pushed commit as head', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, []))
    const { result } = await lookUp(eventOf('push', payload))
    expect(result).toEqual({
      kind: 'none',
      reason:
        `No open pull request has ${PUSHED.slice(0, 7)}, the commit pushed to branch master, as its head commit, so there is nothing for Datafold CI to check and nothing was sent to Datafold. ` +
        'Open a pull request for branch master and push again (or run the step on pull_request events too), or pass pr-number, pr-branch, base-branch, pr-sha and base-sha.'
    })
  })

  it('names the fields missing from a pull request among several, with "?"', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(
        ...answer(200, [
          { number: 4, state: 'open', head: { sha: PUSHED } },
          pull(6, { ref: 'feature', sha: PUSHED })
        ])
      )
    const { result, log } = await lookUp(eventOf('push', payload))
    expect(result.kind === 'found' && result.details.pr_number).toBe(6)
    expect(log).toContain(
      `info: 2 open pull requests have head ${PUSHED.slice(0, 7)}: #4 (? into ?), #6 (feature into master). ` +
        'Checking #6: it is the one into the default branch master. To check another, pass its pr-number, base-branch and base-sha.'
    )
  })

  it.each<[string, string, Record<string, string>, string]>([
    [
      'an empty body',
      '',
      { 'Content-Type': 'text/plain' },
      ' (content type text/plain): (empty or cut off)'
    ],
    [
      'a body with runs of white space, trimmed',
      ' \n Service\n\t  unavailable \n',
      { 'Content-Type': 'text/plain' },
      ' (content type text/plain): Service unavailable'
    ],
    [
      'a body of 200 characters, whole',
      'a'.repeat(200),
      { 'Content-Type': 'text/plain' },
      ` (content type text/plain): ${'a'.repeat(200)}`
    ],
    [
      'a body of 201 characters, cut at 200',
      `${'a'.repeat(199)}bc`,
      { 'Content-Type': 'text/plain' },
      ` (content type text/plain): ${'a'.repeat(199)}b…`
    ],
    ['no content type', 'Service unavailable', {}, ': Service unavailable']
  ])(
    'quotes an answer that is not JSON, %s, and stops at once',
    async (_name, body, headers, said) => {
      nock(API)
        .get(commitPulls)
        .query(true)
        .reply(...answer(200, body, headers))
      const error = await lookUpFailure(eventOf('push', payload))
      expect(error.message).toBe(
        `GitHub's answer to GET ${REPO}/commits/${PUSHED}/pulls on ${API} is not a JSON list of pull requests${said}.`
      )
      expect(seen).toHaveLength(1)
    }
  )

  it('quotes a JSON answer of the wrong shape as JSON, without an HTML hint', async () => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, { message: 'ok' }, { 'Content-Type': 'application/json' }))
    // No time left for a retry: the first answer is the last.
    const error = await lookUpFailure(eventOf('push', payload), { timeLeftMs: 900 })
    expect(error.message).toBe(
      `GitHub's answer to GET ${REPO}/commits/${PUSHED}/pulls on ${API} is not a JSON list of pull requests (content type application/json): {"message":"ok"}. wait-timeout-minutes leaves no room for another try.`
    )
    expect(error.outOfTime).toBe(true)
  })

  it.each<[string, number, string, Record<string, string>, string]>([
    [
      'a text body',
      422,
      'Unprocessable',
      { 'Content-Type': 'text/plain' },
      ' GitHub said: "Unprocessable".'
    ],
    [
      'a JSON null',
      422,
      'null',
      { 'Content-Type': 'application/json' },
      ' GitHub said: "Unknown error: null".'
    ],
    ['no body', 422, '', {}, '']
  ])(
    'quotes what GitHub said in an error answer with %s',
    async (_name, status, body, headers, said) => {
      nock(API)
        .get(commitPulls)
        .query(true)
        .reply(...answer(status, body, headers))
      const message = await lookUpError(eventOf('push', payload))
      expect(message).toBe(
        `GitHub answered HTTP ${status} to GET ${REPO}/commits/${PUSHED}/pulls on ${API}.${said}`
      )
    }
  )

  it.each<[string, unknown, string]>([
    ['an empty message', '', ' - https://docs.github.com/rest'],
    ['a message that is no string', 42, '42 - https://docs.github.com/rest']
  ])("falls back to Octokit's words for an error answer with %s", async (_name, message, said) => {
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(422, { message, documentation_url: 'https://docs.github.com/rest' }))
    expect(await lookUpError(eventOf('push', payload))).toBe(
      `GitHub answered HTTP 422 to GET ${REPO}/commits/${PUSHED}/pulls on ${API}. GitHub said: "${said}".`
    )
  })

  const unreachable = (reason: string): string =>
    `Could not reach the GitHub API for GET ${REPO}/commits/${PUSHED}/pulls on ${API}: ${reason}. ` +
    "On GitHub Enterprise Server the runner sets GITHUB_API_URL to the server's API; check that it is reachable from the runner."

  it('does not retry a network fault whose code, deep in the causes, is permanent', async () => {
    const expired = Object.assign(new Error('certificate has expired'), {
      code: 'CERT_HAS_EXPIRED'
    })
    // The top of the chain carries a code that is no string: it is passed over.
    nock(API)
      .get(commitPulls)
      .query(true)
      .replyWithError(Object.assign(new Error('TLS failed'), { code: 35, cause: expired }))
    const log = recorder()
    const error = await lookUpFailure(eventOf('push', payload), { log })
    expect(error.message).toBe(unreachable('certificate has expired'))
    expect(error.outOfTime).toBe(false)
    expect(log.lines).toEqual([
      `info: Looking for the open pull request whose head is ${PUSHED} (pushed to branch master).`
    ])
  })

  it.each<[string, Error, string]>([
    ['without any code', new Error('socket hang up'), 'socket hang up'],
    [
      // Five levels are read (the request error, fetch's TypeError, then three of these): the code
      // and the message below them are not.
      'with a permanent code deeper than five causes',
      Object.assign(new Error('level two'), {
        cause: Object.assign(new Error('level three'), {
          cause: Object.assign(new Error('level four'), {
            cause: Object.assign(new Error('level five'), { code: 'CERT_HAS_EXPIRED' })
          })
        })
      }),
      'level four'
    ],
    [
      // An empty message, or a cause without one, does not hide the last message there was.
      'whose innermost causes have no message',
      Object.assign(new Error('connection reset'), {
        cause: Object.assign(new Error(''), { cause: { errno: -104 } })
      }),
      'connection reset'
    ]
  ])('retries a network fault %s, quoting its innermost message', async (_name, fault, said) => {
    nock(API).get(commitPulls).query(true).replyWithError(fault)
    nock(API)
      .get(commitPulls)
      .query(true)
      .reply(...answer(200, [pull(9, { ref: 'feature', sha: PUSHED })]))
    const log = recorder()
    const { result } = await lookUp(eventOf('push', payload), { log })
    expect(result.kind === 'found' && result.details.pr_number).toBe(9)
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      `warning: ${unreachable(said)} Retrying GET ${REPO}/commits/${PUSHED}/pulls in 0.5 s (retry 1).`
    ])
  })

  it('sends nothing when wait-timeout-minutes ends exactly now', async () => {
    const error = await lookUpFailure(eventOf('push', payload), { timeLeftMs: 0 })
    expect(error.message).toBe(
      `wait-timeout-minutes ran out before GET ${REPO}/commits/${PUSHED}/pulls on ${API} could be sent.`
    )
    expect(error.outOfTime).toBe(true)
    expect(seen).toEqual([])
  })

  it('ends with the cancellation itself, sending and retrying nothing, when already cancelled', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const log = recorder()
    const clock = new VirtualClock()
    const failure = await lookUp(eventOf('push', payload), {
      signal: cancel.signal,
      log,
      clock
    }).then(
      () => undefined,
      (error: unknown) => error
    )
    // Not an EventError (main reports a cancellation as such), and not a retry's "was cancelled".
    expect(failure).toBeInstanceOf(Error)
    expect(failure).not.toBeInstanceOf(EventError)
    expect((failure as Error).cause).toBe(cancel.signal.reason)
    expect(clock.sleeps).toEqual([])
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([])
    expect(seen).toEqual([])
  })

  it('says in full what to do when github-token is empty', async () => {
    expect(await lookUpError(eventOf('push', payload), { token: '' })).toBe(
      'Input github-token is empty, but the push event does not carry the pull request, so the action looks it up through the GitHub API. ' +
        'Leave github-token at its default (${{ github.token }}) with `pull-requests: read` and `contents: read` permissions, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha.'
    )
  })
})

describe('issue_comment', () => {
  it('fetches the pull request commented on for its head and base', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(
        ...answer(
          200,
          pull(1, { ref: 'changes', sha: 'A'.repeat(40) }, { ref: 'master', sha: BASE_SHA })
        )
      )
    const { result } = await lookUp(eventOf('issue_comment', prComment()))
    expect(result).toEqual({
      kind: 'found',
      details: {
        pr_number: 1,
        pr_branch: 'changes',
        base_branch: 'master',
        pr_sha: 'a'.repeat(40),
        base_sha: BASE_SHA
      }
    })
    expect(seen).toEqual([
      {
        method: 'GET',
        url: `${API}${REPO}/pulls/1`,
        authorization: `token ${TOKEN}`,
        userAgent: expect.stringMatching(`^datafold-ci-action/${VERSION.replaceAll('.', '\\.')} `)
      }
    ])
  })

  it('warns when the pull request is closed, and still checks its head', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(...answer(200, pull(1, { ref: 'changes', sha: PUSHED }, undefined, 'closed')))
    const { result, log } = await lookUp(eventOf('issue_comment', prComment()))
    expect(result.kind).toBe('found')
    expect(log).toContain('warning: Pull request #1 is closed; checking its head commit anyway.')
  })

  it('warns when the pull request is merged, and still checks its head', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(
        ...answer(200, {
          ...pull(1, { ref: 'changes', sha: PUSHED }, undefined, 'closed'),
          merged_at: '2024-01-15T12:00:00Z'
        })
      )
    const { result, log } = await lookUp(eventOf('issue_comment', prComment()))
    expect(result.kind).toBe('found')
    expect(log).toEqual([
      'info: The comment is on pull request #1; fetching its head and base.',
      'warning: Pull request #1 is merged; checking its head commit anyway.'
    ])
  })

  it('does not warn about an open pull request', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(...answer(200, pull(1, { ref: 'changes', sha: PUSHED })))
    const { log } = await lookUp(eventOf('issue_comment', prComment()))
    expect(log).toEqual(['info: The comment is on pull request #1; fetching its head and base.'])
  })

  it('refuses an issue_comment payload without an issue number, without asking GitHub', async () => {
    const payload = prComment()
    delete (payload.issue as Record<string, unknown>).number
    expect(await lookUpError(eventOf('issue_comment', payload))).toBe(
      'The issue_comment event has no issue in its payload.'
    )
    expect(seen).toEqual([])
  })

  it('explains a 403 with the permissions the token needs', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(
        ...answer(403, {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
          status: '403'
        })
      )
    const message = await lookUpError(eventOf('issue_comment', prComment()))
    expect(message).toBe(
      `GitHub refused GET ${REPO}/pulls/1 on ${API} (HTTP 403): the token in github-token lacks permission to read the pull request. ` +
        'GitHub said: "Resource not accessible by integration". ' +
        'Give the job `permissions:` with `pull-requests: read` and `contents: read` (a job that sets `permissions:` gets none it does not list), or pass in github-token a token that has them.'
    )
  })

  it('explains a 401 as a token GitHub does not accept', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(...answer(401, { message: 'Bad credentials' }))
    const message = await lookUpError(eventOf('issue_comment', prComment()))
    expect(message).toContain('GitHub did not accept the token in github-token')
    expect(message).toContain('"Bad credentials"')
  })

  it('refuses a comment on a plain issue, without asking GitHub', async () => {
    const message = await lookUpError(
      eventOf('issue_comment', fixture('issue_comment.created.json'))
    )
    expect(message).toBe(
      'The comment is on issue #1, a plain issue, not a pull request, so there is no pull request for Datafold CI to check. ' +
        'Run the job only for comments on pull requests, for example with `if: github.event.issue.pull_request`.'
    )
    expect(seen).toEqual([])
  })
  it('names every field GitHub gave wrong or left out, and every input to pass for them', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(...answer(200, { number: 0, state: 'open', head: { ref: 'two words', sha: 'abc' } }))
    const branch = 'a branch name such as main or feature/orders (no spaces or ~^:?*[\\)'
    const sha = 'a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)'
    expect(await lookUpError(eventOf('issue_comment', prComment()))).toBe(
      "GitHub's answer for pull request #0 has number 0 (expected a positive integer), " +
        `head.ref "two words" (expected ${branch}), base.ref missing (expected ${branch}), ` +
        `head.sha "abc" (expected ${sha}), base.sha missing (expected ${sha}). ` +
        'Pass pr-number, pr-branch, base-branch, pr-sha, base-sha to name them yourself.'
    )
  })

  it('does not take an answer whose number is a string for a pull request', async () => {
    nock(API)
      .get(`${REPO}/pulls/1`)
      .reply(
        ...answer(
          200,
          { number: '1', head: { ref: 'changes' } },
          { 'Content-Type': 'application/json' }
        )
      )
    // No time left for a retry: the first answer is the last.
    const error = await lookUpFailure(eventOf('issue_comment', prComment()), { timeLeftMs: 900 })
    expect(error.message).toBe(
      `GitHub's answer to GET ${REPO}/pulls/1 on ${API} is not a JSON pull request (content type application/json): {"number":"1","head":{"ref":"changes"}}. wait-timeout-minutes leaves no room for another try.`
    )
    expect(seen).toHaveLength(1)
  })

  it('refuses an issue_comment payload without an issue, without asking GitHub', async () => {
    const { issue: _issue, ...payload } = prComment()
    expect(await lookUpError(eventOf('issue_comment', payload))).toBe(
      'The issue_comment event has no issue in its payload.'
    )
    expect(seen).toEqual([])
  })
})

describe('workflow_run', () => {
  const withPr = fixture('workflow_run.completed-with-pull-request.json')
  const runSha = '3484a3fb816e0859fd6e1cea078d76385ff50625'
  /** The example made consistent: the run is in the pull request's repository, on its head branch. */
  const sameRepository = (): Record<string, unknown> => {
    const payload = structuredClone(withPr)
    ;(payload.repository as Record<string, unknown>).id = 186853002
    ;(payload.workflow_run as Record<string, unknown>).head_branch = 'changes'
    return payload
  }

  /**
   * The real example pairs a run on octo-org/octo-repo's master (repository id 300029405) with pull
   * request #2 of another repository (id 186853002) from the branch changes: GitHub lists pull
   * requests by commit, across repositories. That is not this run's pull request.
   */
  it('skips a pull request of another repository that GitHub lists for the same commit', async () => {
    const { result } = await lookUp(eventOf('workflow_run', withPr), { token: '' })
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The workflow run "workflow" (repository_dispatch on master) lists pull requests #2 (changes), but none of them is into this repository (octo-org/octo-repo) from master, the branch the run ran on: GitHub lists the pull requests of every repository that has the commit. There is nothing for Datafold CI to check here and nothing was sent to Datafold.'
    })
    expect(seen).toEqual([])
  })

  it('skips a pull request into this repository from another branch than the run ran on', async () => {
    const payload = sameRepository()
    ;(payload.workflow_run as Record<string, unknown>).head_branch = 'other'
    const { result } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result.kind).toBe('none')
  })

  it("takes the pull request from the payload, with the run's own commit, asking GitHub nothing", async () => {
    // No request, so not even a token is needed.
    const { result, log } = await lookUp(eventOf('workflow_run', sameRepository()), { token: '' })
    expect(result).toEqual({
      kind: 'found',
      details: {
        pr_number: 2,
        pr_branch: 'changes',
        base_branch: 'master',
        pr_sha: runSha,
        base_sha: BASE_SHA
      }
    })
    expect(seen).toEqual([])
    // In this real example the listed head differs from the run's commit; the log says which wins.
    expect(log).toContain(
      'info: Pull request #2 lists head ec26c3e; checking 3484a3f, the commit the workflow run ran on.'
    )
  })

  it('fetches the pull request when the payload lacks its base SHA', async () => {
    const payload = sameRepository()
    const listed = (payload.workflow_run as { pull_requests: { base: { sha?: string } }[] })
      .pull_requests[0]
    delete listed.base.sha
    nock(API)
      .get('/repos/octo-org/octo-repo/pulls/2')
      .reply(
        ...answer(
          200,
          pull(2, { ref: 'changes', sha: runSha }, { ref: 'master', sha: 'd'.repeat(40) })
        )
      )
    const { result } = await lookUp(eventOf('workflow_run', payload))
    expect(result).toEqual({
      kind: 'found',
      details: {
        pr_number: 2,
        pr_branch: 'changes',
        base_branch: 'master',
        pr_sha: runSha,
        base_sha: 'd'.repeat(40)
      }
    })
    expect(seen.map((s) => `${s.method} ${s.url} ${s.authorization}`)).toEqual([
      `GET ${API}/repos/octo-org/octo-repo/pulls/2 token ${TOKEN}`
    ])
  })

  it.each<[string, string, Record<string, string>]>([
    ['head branch (and the run its branch)', 'head.ref', { pr_branch: 'fetched-head' }],
    ['head SHA (and the run its commit)', 'head.sha', { pr_sha: 'e'.repeat(40) }],
    ['base branch', 'base.ref', { base_branch: 'fetched-base' }],
    ['base SHA', 'base.sha', { base_sha: 'd'.repeat(40) }]
  ])(
    'fetches the pull request for its %s, and takes only what the payload lacks from it',
    async (_name, field, fromFetched) => {
      const payload = sameRepository()
      const run = payload.workflow_run as Record<string, unknown> & {
        pull_requests: Record<string, Record<string, unknown>>[]
      }
      const [side, key] = field.split('.')
      delete run.pull_requests[0][side][key]
      if (field === 'head.ref') delete run.head_branch
      if (field === 'head.sha') delete run.head_sha
      nock(API)
        .get('/repos/octo-org/octo-repo/pulls/2')
        .reply(
          ...answer(
            200,
            pull(
              2,
              { ref: 'fetched-head', sha: 'e'.repeat(40) },
              { ref: 'fetched-base', sha: 'd'.repeat(40) }
            )
          )
        )
      const { result, log } = await lookUp(eventOf('workflow_run', payload))
      expect(result).toEqual({
        kind: 'found',
        details: {
          pr_number: 2,
          pr_branch: 'changes',
          base_branch: 'master',
          pr_sha: runSha,
          base_sha: BASE_SHA,
          ...fromFetched
        }
      })
      expect(log[0]).toBe(
        'info: The workflow run lists pull request #2 without all of its head and base; fetching it.'
      )
      expect(seen).toHaveLength(1)
    }
  )

  it('checks the listed head when the run does not name its commit', async () => {
    const payload = sameRepository()
    delete (payload.workflow_run as Record<string, unknown>).head_sha
    const { result, log } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result.kind === 'found' && result.details.pr_sha).toBe(
      'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
    )
    expect(log).toEqual([])
  })

  it('says nothing about the commit when the run and the listed head agree', async () => {
    const payload = sameRepository()
    ;(payload.workflow_run as Record<string, unknown>).head_sha =
      'EC26C3E57CA3A959CA5AAD62DE7213C562F8C821'
    const { result, log } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result.kind === 'found' && result.details.pr_sha).toBe(
      'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
    )
    expect(log).toEqual([])
  })

  it("takes a pull request from the run's branch when the payload names no repository id", async () => {
    const payload = structuredClone(withPr)
    delete (payload.repository as Record<string, unknown>).id
    ;(payload.workflow_run as Record<string, unknown>).head_branch = 'changes'
    const { result } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result.kind === 'found' && result.details.pr_number).toBe(2)
  })

  it('ignores listed entries that are not pull requests', async () => {
    const payload = sameRepository()
    const run = payload.workflow_run as { pull_requests: unknown[] }
    run.pull_requests = [null, 'x', [], { number: '2' }, ...run.pull_requests]
    const { result } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result.kind === 'found' && result.details.pr_number).toBe(2)
  })

  it('refuses a workflow_run event without workflow_run in its payload', async () => {
    const { workflow_run: _run, ...payload } = structuredClone(withPr)
    expect(await lookUpError(eventOf('workflow_run', payload))).toBe(
      'The workflow_run event has no workflow_run in its payload.'
    )
  })

  it('names what it can of a run that lists no pull requests and says little of itself', async () => {
    const payload = structuredClone(withPr)
    const run = payload.workflow_run as Record<string, unknown>
    run.name = ''
    delete run.event
    delete run.head_branch
    delete run.pull_requests
    const { result } = await lookUp(eventOf('workflow_run', payload))
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The workflow run "workflow" (unknown event on an unknown branch) belongs to no pull request (GitHub lists none in workflow_run.pull_requests), so there is nothing for Datafold CI to check and nothing was sent to Datafold.'
    })
  })

  it('names what it can of pull requests of other repositories', async () => {
    const payload = structuredClone(withPr)
    const run = payload.workflow_run as { head_branch?: string; pull_requests: { head: object }[] }
    delete run.head_branch
    run.pull_requests[0].head = {}
    const event = { ...eventOf('workflow_run', payload), repository: '' }
    const { result } = await lookUp(event, { token: '' })
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The workflow run "workflow" (repository_dispatch on an unknown branch) lists pull requests #2 (?), but none of them is into this repository (unknown) from (unknown), the branch the run ran on: GitHub lists the pull requests of every repository that has the commit. There is nothing for Datafold CI to check here and nothing was sent to Datafold.'
    })
  })

  it('finds no pull request for a run that belongs to none (workflow_dispatch)', async () => {
    const { result } = await lookUp(eventOf('workflow_run', fixture('workflow_run.completed.json')))
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The workflow run "Manually triggered workflow" (workflow_dispatch on main) belongs to no pull request (GitHub lists none in workflow_run.pull_requests), so there is nothing for Datafold CI to check and nothing was sent to Datafold.'
    })
    expect(seen).toEqual([])
  })

  it('explains an empty pull request list on a pull_request run (a fork) and names the inputs', async () => {
    const payload = structuredClone(withPr)
    const run = payload.workflow_run as Record<string, unknown>
    run.event = 'pull_request'
    run.pull_requests = []
    const message = await lookUpError(eventOf('workflow_run', payload))
    expect(message).toBe(
      'The workflow run "workflow" (pull_request on master) ran for a pull request, but GitHub lists none in workflow_run.pull_requests. ' +
        'GitHub leaves that list empty for pull requests from forks (and when the head branch is gone). ' +
        'Pass pr-number, pr-branch, base-branch, pr-sha and base-sha, for example pr-branch: ${{ github.event.workflow_run.head_branch }} and pr-sha: ${{ github.event.workflow_run.head_sha }} with the number and base saved by the pull_request workflow as an artifact.'
    )
  })
  it('takes the pull request when the payload names no repository at all', async () => {
    const { repository: _repository, ...payload } = sameRepository()
    const event = eventOf('workflow_run', payload, { GITHUB_REPOSITORY: 'octo-org/octo-repo' })
    const { result } = await lookUp(event, { token: '' })
    expect(result).toEqual({
      kind: 'found',
      details: {
        pr_number: 2,
        pr_branch: 'changes',
        base_branch: 'master',
        pr_sha: runSha,
        base_sha: BASE_SHA
      }
    })
  })

  it('takes no listed entry whose number is a string for a pull request', async () => {
    const payload = sameRepository()
    const run = payload.workflow_run as { pull_requests: Record<string, unknown>[] }
    run.pull_requests = [{ ...run.pull_requests[0], number: '2' }]
    const { result } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The workflow run "workflow" (repository_dispatch on changes) belongs to no pull request (GitHub lists none in workflow_run.pull_requests), so there is nothing for Datafold CI to check and nothing was sent to Datafold.'
    })
  })

  it('takes no listed pull request whose base does not name its repository', async () => {
    const payload = sameRepository()
    const run = payload.workflow_run as { pull_requests: Record<string, unknown>[] }
    const head = { ref: 'changes', sha: runSha }
    run.pull_requests = [
      { number: 3, head, base: { ref: 'master', sha: BASE_SHA, repo: null } },
      { number: 4, head }
    ]
    const { result } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The workflow run "workflow" (repository_dispatch on changes) lists pull requests #3 (changes), #4 (changes), but none of them is into this repository (octo-org/octo-repo) from changes, the branch the run ran on: GitHub lists the pull requests of every repository that has the commit. There is nothing for Datafold CI to check here and nothing was sent to Datafold.'
    })
  })

  it('takes no listed pull request without a head', async () => {
    const payload = sameRepository()
    delete (payload.repository as Record<string, unknown>).id
    ;(payload.workflow_run as { pull_requests: unknown[] }).pull_requests = [{ number: 5 }]
    const { result } = await lookUp(eventOf('workflow_run', payload), { token: '' })
    expect(result).toEqual({
      kind: 'none',
      reason:
        'The workflow run "workflow" (repository_dispatch on changes) lists pull requests #5 (?), but none of them is into this repository (octo-org/octo-repo) from changes, the branch the run ran on: GitHub lists the pull requests of every repository that has the commit. There is nothing for Datafold CI to check here and nothing was sent to Datafold.'
    })
  })

  it('fetches the chosen one of listed pull requests that lack a head or a base', async () => {
    const payload = structuredClone(withPr)
    delete (payload.repository as Record<string, unknown>).id
    const run = payload.workflow_run as Record<string, unknown>
    delete run.head_branch
    delete run.head_sha
    run.pull_requests = [
      { number: 3, base: { ref: 'master', sha: BASE_SHA } },
      { number: 2, head: { sha: runSha } }
    ]
    nock(API)
      .get('/repos/octo-org/octo-repo/pulls/3')
      .reply(
        ...answer(
          200,
          pull(3, { ref: 'feature', sha: 'e'.repeat(40) }, { ref: 'release', sha: 'd'.repeat(40) })
        )
      )
    const { result, log } = await lookUp(eventOf('workflow_run', payload))
    expect(result).toEqual({
      kind: 'found',
      details: {
        pr_number: 3,
        pr_branch: 'feature',
        base_branch: 'master',
        pr_sha: 'e'.repeat(40),
        base_sha: BASE_SHA
      }
    })
    expect(log).toEqual([
      'info: 2 open pull requests have head this commit: #2 (? into ?), #3 (? into master). Checking #3: it is the one into the default branch master. To check another, pass its pr-number, base-branch and base-sha.',
      'info: The workflow run lists pull request #3 without all of its head and base; fetching it.'
    ])
  })

  it('names the base fields when neither the payload nor the fetched pull request has a base', async () => {
    const payload = sameRepository()
    delete (payload.repository as Record<string, unknown>).id
    ;(payload.workflow_run as { pull_requests: unknown[] }).pull_requests = [
      { number: 2, head: { ref: 'changes', sha: runSha } }
    ]
    nock(API)
      .get('/repos/octo-org/octo-repo/pulls/2')
      .reply(...answer(200, { number: 2, state: 'open', head: { ref: 'changes', sha: runSha } }))
    const branch = 'a branch name such as main or feature/orders (no spaces or ~^:?*[\\)'
    const sha = 'a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)'
    expect(await lookUpError(eventOf('workflow_run', payload))).toBe(
      `GitHub's answer for pull request #2 has base.ref missing (expected ${branch}), base.sha missing (expected ${sha}). Pass base-branch, base-sha to name them yourself.`
    )
    expect(seen).toHaveLength(1)
  })
})

describe('events without a pull request', () => {
  it('refuses merge_group, explains why and names the inputs to pass', async () => {
    const message = await lookUpError(
      eventOf('merge_group', fixture('merge_group.checks_requested.json'))
    )
    expect(message).toBe(
      "A merge_group event checks the merge queue's temporary commit (branch gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64), " +
        "which combines the queued pull requests with the base branch; it is no single pull request's head commit, which is what Datafold CI checks. " +
        "Run the step on pull_request events and skip it on merge_group (a job skipped by `if: github.event_name == 'pull_request'` counts as passed for the queue), " +
        'or pass these inputs: pr-number, pr-branch, base-branch, pr-sha, base-sha.'
    )
    expect(seen).toEqual([])
  })

  it('refuses a merge_group that does not name its ref', async () => {
    const message = await lookUpError(eventOf('merge_group', { merge_group: {} }))
    expect(message).toMatch(
      /^A merge_group event checks the merge queue's temporary commit, which combines/
    )
  })

  it('says "(unknown)" for an event without a name', async () => {
    const event = { ...eventOf('schedule', {}), name: '' }
    expect(await lookUpError(event)).toMatch(
      /^The \(unknown\) event does not name a pull request, and the action reads one only on/
    )
  })

  it('names only the inputs still missing on any other event', async () => {
    const message = await lookUpError(eventOf('schedule', { schedule: '*/15 * * * *' }), {
      overrides: { pr_number: 3, pr_sha: PUSHED }
    })
    expect(message).toBe(
      'The schedule event does not name a pull request, and the action reads one only on pull_request, pull_request_target, pull_request_review, pull_request_review_comment, push, issue_comment and workflow_run events. ' +
        'Pass these inputs: pr-branch, base-branch, base-sha.'
    )
  })

  it('needs no lookup on pull_request events or when all five inputs are given', () => {
    const all: PrDetails = {
      pr_number: 1,
      pr_branch: 'a',
      base_branch: 'main',
      pr_sha: PUSHED,
      base_sha: BASE_SHA
    }
    const { base_sha: _omitted, ...four } = all
    const push = eventOf('push', fixture('push.created-branch.json'))
    expect(needsLookup(eventOf('pull_request', fixture('pull_request.opened.json')), {})).toBe(
      false
    )
    expect(needsLookup(push, all)).toBe(false)
    expect(needsLookup(push, four)).toBe(true)
    expect(needsLookup(eventOf('merge_group', {}), all)).toBe(false)
  })
  it('refuses a merge_group event whose payload has no merge_group', async () => {
    expect(await lookUpError(eventOf('merge_group', {}))).toBe(
      "A merge_group event checks the merge queue's temporary commit, which combines the queued pull requests with the base branch; it is no single pull request's head commit, which is what Datafold CI checks. " +
        "Run the step on pull_request events and skip it on merge_group (a job skipped by `if: github.event_name == 'pull_request'` counts as passed for the queue), " +
        'or pass these inputs: pr-number, pr-branch, base-branch, pr-sha, base-sha.'
    )
  })
})

describe('main on a push event', () => {
  const inputs = { 'api-key': 'dfk_test', 'ci-config-id': '42', 'github-token': TOKEN }

  /** A Datafold transport that records requests and answers like a run that passed at once. */
  function datafold(): { transport: Transport; requests: HttpRequest[] } {
    const requests: HttpRequest[] = []
    const transport: Transport = async (request) => {
      requests.push(request)
      const body = request.url.pathname.endsWith('/trigger')
        ? { ci_run_id: 11, run_id: 12 }
        : requests.filter((r) => r.url.pathname.endsWith('/trigger')).length
          ? [{ id: 11, status: 'done', pr_sha: request.url.searchParams.get('pr_sha') }]
          : []
      return { status: 200, headers: {}, body: JSON.stringify(body), url: request.url }
    }
    return { transport, requests }
  }

  function env(payload: Record<string, unknown>): NodeJS.ProcessEnv {
    const path = join(dir, `push-${Math.random().toString(36).slice(2)}.json`)
    writeFileSync(path, JSON.stringify(payload))
    return {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: path,
      GITHUB_REPOSITORY: 'Codertocat/Hello-World'
    }
  }

  it('ends skipped, sends nothing to Datafold and says so when no pull request is open', async () => {
    nock(API)
      .get(`${REPO}/commits/${PUSHED}/pulls`)
      .query(true)
      .reply(...answer(200, []))
    for (const [failOnSkip, exitCode] of [
      ['false', 0],
      ['true', 1]
    ] as const) {
      if (failOnSkip === 'true') {
        nock(API)
          .get(`${REPO}/commits/${PUSHED}/pulls`)
          .query(true)
          .reply(...answer(200, []))
      }
      const toolkit = new FakeToolkit({ ...inputs, 'fail-on-skip': failOnSkip })
      const { transport, requests } = datafold()
      const code = await run({
        toolkit,
        env: env(fixture('push.created-branch.json')),
        clock: systemClock,
        transport
      })
      expect(code).toBe(exitCode)
      expect(requests).toEqual([])
      expect(toolkit.outputs).toEqual({ verdict: 'skipped' })
      expect(toolkit.summary).toContain('No pull request to check')
      expect(toolkit.summary).toContain('No open pull request has 6113728')
      expect(toolkit.summary).toContain('not triggered')
      expect(toolkit.logs(failOnSkip === 'true' ? 'error' : 'warning').join('\n')).toContain(
        'nothing was sent to Datafold'
      )
      expect(toolkit.secrets).toContain(TOKEN)
    }
  })

  it('triggers Datafold for the pull request found, with single fields overridden by inputs', async () => {
    nock(API)
      .get(`${REPO}/commits/${PUSHED}/pulls`)
      .query(true)
      .reply(
        ...answer(200, [pull(5, { ref: 'master', sha: PUSHED }, { ref: 'main', sha: BASE_SHA })])
      )
    const toolkit = new FakeToolkit({ ...inputs, 'base-branch': 'release' })
    const { transport, requests } = datafold()
    const code = await run({
      toolkit,
      env: env(fixture('push.created-branch.json')),
      clock: systemClock,
      transport
    })
    expect(code).toBe(0)
    const trigger = requests.find((r) => r.url.pathname === '/api/v1/ci/42/trigger')
    expect(JSON.parse(trigger?.body ?? '{}')).toEqual({
      pr_number: 5,
      pr_branch: 'master',
      base_branch: 'release',
      pr_sha: PUSHED,
      base_sha: BASE_SHA
    })
    expect(toolkit.outputs.verdict).toBe('success')
  })

  it('asks GitHub nothing when all five inputs are given', async () => {
    const toolkit = new FakeToolkit({
      ...inputs,
      'pr-number': '8',
      'pr-branch': 'feature',
      'base-branch': 'main',
      'pr-sha': PUSHED,
      'base-sha': BASE_SHA
    })
    const { transport, requests } = datafold()
    const code = await run({
      toolkit,
      env: env(fixture('push.created-branch.json')),
      clock: systemClock,
      transport
    })
    expect(code).toBe(0)
    expect(seen).toEqual([])
    expect(requests.some((r) => r.url.pathname.endsWith('/trigger'))).toBe(true)
  })

  it('stops looking when the workflow is cancelled', async () => {
    nock.enableNetConnect('127.0.0.1')
    const hung = await listen(() => undefined)
    const cancel = new AbortController()
    const toolkit = new FakeToolkit(inputs)
    const { transport, requests } = datafold()
    try {
      setTimeout(() => cancel.abort(), 100)
      const code = await run({
        toolkit,
        env: { ...env(fixture('push.created-branch.json')), GITHUB_API_URL: hung.url },
        clock: systemClock,
        signal: cancel.signal,
        transport
      })
      expect(code).toBe(1)
      expect(requests).toEqual([])
      expect(toolkit.summary).toContain('Stopped: the workflow was cancelled')
    } finally {
      await hung.close()
    }
  })

  it('fails with the permissions message on a 403, before anything is sent to Datafold', async () => {
    nock(API)
      .get(`${REPO}/commits/${PUSHED}/pulls`)
      .query(true)
      .reply(...answer(403, { message: 'Resource not accessible by integration' }))
    const toolkit = new FakeToolkit(inputs)
    const { transport, requests } = datafold()
    const code = await run({
      toolkit,
      env: env(fixture('push.created-branch.json')),
      clock: systemClock,
      transport
    })
    expect(code).toBe(1)
    expect(requests).toEqual([])
    expect(toolkit.outputs).toEqual({})
    expect(toolkit.logs('error').join('\n')).toContain('`pull-requests: read` and `contents: read`')
  })
})
