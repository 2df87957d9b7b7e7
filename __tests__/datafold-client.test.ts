/**
 * The Datafold client through the real http.ts transport, with nock standing in for Datafold:
 * the exact requests (checked against the OpenAPI spec), paging, error wording and retries on a
 * virtual clock (sleeps are instant and recorded).
 */
import { readFileSync } from 'node:fs'
import nock from 'nock'
import {
  DatafoldClient,
  DatafoldError,
  PAGE_SIZE,
  type CiRun,
  type ClientOptions,
  type PrDetails
} from '../src/datafold-client.js'
import type { HttpRequest, Transport } from '../src/http.js'
import { send } from '../src/http.js'
import { apiDataDiff, dataDiffPage, type DiffSpec } from '../__fixtures__/data-diffs.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'
import { specViolations, type RecordedRequest } from '../__fixtures__/openapi.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'

const { version: VERSION } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
const ORIGIN = 'https://datafold.example.com'
const KEY = 'dfk_clientTestKey9'
const CONFIG = 42
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
const PR: PrDetails = {
  pr_number: 2,
  pr_branch: 'changes',
  base_branch: 'master',
  pr_sha: SHA,
  base_sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'
}
const TRIGGER = `/api/v1/ci/${CONFIG}/trigger`
const RUNS = `/api/v1/ci/${CONFIG}/runs`

type Answer = { status: number; body?: unknown; headers?: Record<string, string> }
type Reply = Answer | Error
type Handler = (request: RecordedRequest, index: number) => Reply

/** A network failure as Node reports it; nock turns a thrown one into a request error. */
const netError = (code: string): Error => Object.assign(new Error(`${code} (simulated)`), { code })

let requests: RecordedRequest[] = []
/** The path prefix of the host under test, stripped before the spec check. */
let prefix = ''

/** Answers every request to ORIGIN with `handler`, recording it first. */
function serve(handler: Handler, origin = ORIGIN): void {
  const reply = async (req: Request): Promise<[number, string, Record<string, string>]> => {
    const url = new URL(req.url)
    const text = await req.text()
    const headers: Record<string, string> = {}
    req.headers.forEach((value, name) => (headers[name] = value))
    const recorded: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: text === '' ? undefined : JSON.parse(text)
    }
    requests.push(recorded)
    const answer = handler(recorded, requests.length - 1)
    if (answer instanceof Error) throw answer
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null)
    return [answer.status, body, answer.headers ?? {}]
  }
  const scope = nock(origin).persist()
  scope
    .get(() => true)
    .query(true)
    .reply(reply)
  scope.post(() => true).reply(reply)
}

/** A script: one reply per request, in order; the last one repeats. */
const script =
  (...replies: Reply[]): Handler =>
  (_request, index) =>
    replies[Math.min(index, replies.length - 1)]

const runs = (from: number, count: number): CiRun[] =>
  Array.from({ length: count }, (_, i) => ({
    id: from + i,
    status: 'done',
    pr_num: '2',
    pr_sha: SHA,
    pr_branch: 'changes',
    base_branch: 'master',
    base_sha: PR.base_sha
  }))

function client(overrides: Partial<ClientOptions> = {}) {
  const clock = (overrides.clock as VirtualClock | undefined) ?? new VirtualClock()
  const log = new FakeToolkit()
  const c = new DatafoldClient({
    host: new URL(ORIGIN),
    apiKey: KEY,
    ciConfigId: CONFIG,
    clock,
    log,
    deadlineMs: clock.now() + 60 * 60_000,
    requestTimeoutMs: 5_000,
    random: () => 0.5,
    ...overrides
  })
  return { client: c, clock, log }
}

async function rejection(promise: Promise<unknown>): Promise<DatafoldError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(DatafoldError)
    return error as DatafoldError
  }
  throw new Error('expected a DatafoldError')
}

beforeAll(() => nock.disableNetConnect())
beforeEach(() => {
  requests = []
  prefix = ''
})
afterEach(() => {
  // Every request the client sent must be one the real API accepts.
  for (const request of requests) {
    expect(specViolations({ ...request, path: request.path.slice(prefix.length) })).toEqual([])
  }
  nock.cleanAll()
})
afterAll(() => {
  nock.enableNetConnect()
  nock.restore()
})

describe('trigger: the request', () => {
  it('POSTs exactly the five APIPrDetails fields with the API key', async () => {
    serve(script({ status: 200, body: { ci_run_id: 1234, run_id: 99 } }))
    const { client: c } = client()
    await expect(c.trigger(PR)).resolves.toEqual({ ciRunId: 1234, runId: 99 })
    expect(requests).toHaveLength(1)
    const [request] = requests
    expect(request.method).toBe('POST')
    expect(request.path).toBe(TRIGGER)
    expect(request.query).toEqual({})
    expect(request.headers.authorization).toBe(`Key ${KEY}`)
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers.accept).toBe('application/json')
    expect(request.headers['user-agent']).toBe(`datafold-ci-action/${VERSION}`)
    expect(request.body).toEqual(PR)
    expect(Object.keys(request.body as object).sort()).toEqual(
      ['base_branch', 'base_sha', 'pr_branch', 'pr_number', 'pr_sha'].sort()
    )
    const prNumber = (request.body as { pr_number: unknown }).pr_number
    expect(typeof prNumber).toBe('number')
    expect(Number.isInteger(prNumber)).toBe(true)
  })

  it('reads null ids as "no run named"', async () => {
    serve(script({ status: 200, body: { ci_run_id: null, run_id: null } }))
    await expect(client().client.trigger(PR)).resolves.toEqual({ ciRunId: null, runId: null })
  })

  it('keeps the path of a dedicated host', async () => {
    prefix = '/datafold'
    serve(script({ status: 200, body: { ci_run_id: 5, run_id: null } }), ORIGIN)
    const { client: c } = client({ host: new URL(`${ORIGIN}/datafold`) })
    await c.trigger(PR)
    expect(requests.map((r) => r.path)).toEqual([`/datafold${TRIGGER}`])
  })
})

describe('listRuns: the requests and paging', () => {
  it('GETs the runs of the commit with pr_sha, limit and offset', async () => {
    serve(script({ status: 200, body: runs(1, 3) }))
    const { client: c } = client()
    const list = await c.listRuns(SHA)
    expect(list.map((r) => r.id)).toEqual([1, 2, 3])
    expect(requests).toHaveLength(1)
    expect(requests[0].method).toBe('GET')
    expect(requests[0].path).toBe(RUNS)
    expect(requests[0].query).toEqual({ pr_sha: SHA, limit: String(PAGE_SIZE), offset: '0' })
    expect(requests[0].headers.authorization).toBe(`Key ${KEY}`)
    expect(requests[0].body).toBeUndefined()
  })

  it('follows pages until a short page', async () => {
    serve((request) => {
      const offset = Number(request.query.offset)
      const all = runs(1, 250)
      return { status: 200, body: all.slice(offset, offset + Number(request.query.limit)) }
    })
    const list = await client().client.listRuns(SHA)
    expect(list.map((r) => r.id)).toEqual(runs(1, 250).map((r) => r.id))
    expect(requests.map((r) => r.query.offset)).toEqual(['0', '100', '200'])
    expect(new Set(requests.map((r) => r.query.limit))).toEqual(new Set(['100']))
  })

  it('stops on an empty page after a full one', async () => {
    serve((request) => ({ status: 200, body: request.query.offset === '0' ? runs(1, 100) : [] }))
    const list = await client().client.listRuns(SHA)
    expect(list).toHaveLength(100)
    expect(requests.map((r) => r.query.offset)).toEqual(['0', '100'])
  })

  it('stops when the server ignores offset and repeats the page', async () => {
    serve(script({ status: 200, body: runs(1, 100) }))
    const list = await client().client.listRuns(SHA)
    expect(list.map((r) => r.id)).toEqual(runs(1, 100).map((r) => r.id))
    expect(requests).toHaveLength(2)
  })

  it('stops after 50 pages of 100 runs, however many more the server has', async () => {
    serve((request) => ({ status: 200, body: runs(1 + Number(request.query.offset), 100) }))
    const list = await client().client.listRuns(SHA)
    expect(requests).toHaveLength(50)
    expect(requests.at(-1)?.query.offset).toBe('4900')
    expect(list).toHaveLength(5_000)
    expect(list.at(-1)?.id).toBe(5_000)
  })
})

describe('error wording', () => {
  it('another status from a host datafold-host redirected to is explained as usual', async () => {
    const OTHER = 'https://moved.example.net'
    serve(script({ status: 307, headers: { location: `${OTHER}${RUNS}?pr_sha=${SHA}` } }))
    serve(script({ status: 404, body: { detail: 'Not Found' } }), OTHER)
    const error = await rejection(client().client.listRuns(SHA))
    expect(error.message).toMatch(
      /^CI config 42 was not found on https:\/\/datafold\.example\.com \(HTTP 404\)\./
    )
    // The second request went to the other host, without the key: no request of the API spec.
    requests = requests.slice(0, 1)
  })

  it.each([401, 403])(
    'HTTP %p from a host datafold-host redirected to names both and says the key stayed behind',
    async (status) => {
      const OTHER = 'https://moved.example.net'
      serve(script({ status: 307, headers: { location: `${OTHER}${RUNS}?pr_sha=${SHA}` } }))
      serve(
        script({ status, body: { detail: 'Authentication credentials were not provided.' } }),
        OTHER
      )
      const error = await rejection(client().client.listRuns(SHA))
      expect(error.message).toBe(
        `${ORIGIN} redirected the request to ${OTHER}, which answered HTTP ${status}. The API key is sent only to datafold-host, never to another host it redirects to; if Datafold now lives at ${OTHER}, set datafold-host to it.`
      )
      expect(requests.map((r) => [r.path, r.headers.authorization])).toEqual([
        [RUNS, `Key ${KEY}`],
        [RUNS, undefined]
      ])
      // The second request went to the other host, without the key: no request of the API spec.
      requests = requests.slice(0, 1)
    }
  )

  it.each([401, 403])(
    'HTTP %p says Datafold refused the API key, without the key',
    async (status) => {
      serve(script({ status, body: { detail: 'Invalid API key' } }))
      const error = await rejection(client().client.trigger(PR))
      expect(error.message).toMatch(
        new RegExp(`^Datafold refused the API key \\(HTTP ${status}\\) at ${ORIGIN}\\.`)
      )
      expect(error.message).toContain('api-key')
      expect(error.message).not.toContain(KEY)
      expect(error.outOfTime).toBe(false)
    }
  )

  it('HTTP 404 says the CI config was not found on the host', async () => {
    serve(script({ status: 404, body: { detail: 'Not Found' } }))
    const error = await rejection(client().client.listRuns(SHA))
    expect(error.message).toMatch(
      /^CI config 42 was not found on https:\/\/datafold\.example\.com \(HTTP 404\)\./
    )
  })

  it("HTTP 422 lists Datafold's detail as readable lines", async () => {
    serve(
      script({
        status: 422,
        body: {
          detail: [
            { loc: ['body', 'pr_number'], msg: 'Input should be a valid integer', type: 'int' },
            { loc: ['query', 'pr_sha'], msg: 'Field required', type: 'missing' },
            { msg: 'no location' }
          ]
        }
      })
    )
    const error = await rejection(client().client.trigger(PR))
    expect(error.message).toBe(
      [
        'Datafold rejected the request as invalid (HTTP 422):',
        '  - body.pr_number: Input should be a valid integer',
        '  - query.pr_sha: Field required',
        '  - no location'
      ].join('\n')
    )
  })

  it('HTTP 422 without a detail list shows an excerpt', async () => {
    serve(script({ status: 422, body: 'pr_number is wrong' }))
    const error = await rejection(client().client.trigger(PR))
    expect(error.message).toBe(
      'Datafold rejected the request as invalid (HTTP 422): pr_number is wrong'
    )
  })

  it('HTTP 500 shows the status and an excerpt of the body on one line', async () => {
    const body = `<html>\n  <body>Internal   Server Error ${'x'.repeat(400)}</body>\n</html>`
    serve(script({ status: 500, body }))
    const error = await rejection(client().client.trigger(PR))
    expect(error.message).toMatch(
      /^Datafold had a server error \(HTTP 500\): <html> <body>Internal Server Error x+…$/
    )
    const excerpt = error.message.replace(/^[^:]*: /, '')
    expect(excerpt).toHaveLength(301)
    expect(error.message).not.toContain('\n')
  })

  it('another status shows the status and the body', async () => {
    serve(script({ status: 418, body: '' }))
    const error = await rejection(client().client.trigger(PR))
    expect(error.message).toBe('Datafold answered HTTP 418: (empty body)')
  })

  it.each([
    [
      'an HTML page',
      '<!DOCTYPE html><html><title>Sign in</title></html>',
      /<!DOCTYPE html><html><title>Sign in/
    ],
    ['a string id', { ci_run_id: '12', run_id: null }, /"ci_run_id":"12"/],
    ['a fractional id', { ci_run_id: 1.5, run_id: null }, /1\.5/],
    ['an array', [1, 2], /\[1,2\]/],
    ['nothing', '', /\(empty body\)/]
  ])(
    'a trigger answer that is %s is a clear error with an excerpt, not retried',
    async (_name, body, shown) => {
      serve(script({ status: 200, body }))
      const { client: c, clock, log } = client()
      const error = await rejection(c.trigger(PR))
      expect(error.message).toMatch(
        /^Datafold's answer to the trigger is not what its API documents \(expected JSON with ci_run_id and run_id, each a positive whole number below 2\^53 or null\): /
      )
      expect(error.message).toMatch(shown)
      expect(requests).toHaveLength(1)
      expect(clock.sleeps).toEqual([])
      expect(log.logs('warning')).toEqual([])
    }
  )

  it.each([
    ['an HTML page', '<html>Bad gateway</html>', /not a JSON array: <html>Bad gateway<\/html>/],
    ['text that is not JSON', 'upstream busy', /not a JSON array: upstream busy/],
    [
      'a run without status',
      [{ id: 3, pr_num: '2' }],
      /without a numeric id and a status: \{"id":3/
    ],
    ['a run with a string id', [{ id: '3', status: 'done' }], /without a numeric id and a status/],
    ['an object', { runs: [] }, /not a JSON array/]
  ])('a list answer that is %s is retried, with a warning', async (_name, body, reason) => {
    serve(script({ status: 200, body }, { status: 200, body: runs(7, 1) }))
    const { client: c, clock, log } = client()
    const list = await c.listRuns(SHA)
    expect(list.map((r) => r.id)).toEqual([7])
    expect(requests).toHaveLength(2)
    expect(clock.sleeps).toEqual([500])
    const warnings = log.logs('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(reason)
    expect(warnings[0]).toMatch(/Retrying GET \/api\/v1\/ci\/42\/runs in 0\.5 s \(retry 1\)\.$/)
  })
})

describe('the first request of a step', () => {
  it('retries JSON that is cut short or malformed even on first contact', async () => {
    serve(
      script(
        { status: 200, body: '[{"id": 7, "sta', headers: { 'Content-Type': 'application/json' } },
        { status: 200, body: runs(7, 1), headers: { 'Content-Type': 'application/json' } }
      )
    )
    const { client: c, clock } = client()
    const list = await c.listRuns(SHA, { firstContact: true })
    expect(list.map((r) => r.id)).toEqual([7])
    expect(requests).toHaveLength(2)
    expect(clock.sleeps).toEqual([500])
  })

  it('after a 429, an HTML 200 is still the wrong host', async () => {
    serve(
      script(
        { status: 429, body: '' },
        { status: 200, body: '<html>login</html>', headers: { 'Content-Type': 'text/html' } }
      )
    )
    const { client: c } = client()
    const error = await rejection(c.listRuns(SHA, { firstContact: true }))
    expect(error.message).toMatch(/Check that datafold-host/)
    expect(requests).toHaveLength(2)
  })

  it('stops at once on a 200 that is not a list of runs, naming datafold-host', async () => {
    serve(script({ status: 200, body: '<html><title>Sign in</title></html>' }))
    const { client: c, clock } = client()
    const error = await rejection(c.listRuns(SHA, { firstContact: true }))
    expect(error.outOfTime).toBe(false)
    expect(error.message).toBe(
      `Datafold's list of runs is not a JSON array: <html><title>Sign in</title></html> Check that datafold-host (${ORIGIN}) is the address of your Datafold deployment.`
    )
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it('still retries passing faults such as a 503', async () => {
    serve(script({ status: 503, body: '' }, { status: 200, body: runs(7, 1) }))
    const { client: c } = client()
    const list = await c.listRuns(SHA, { firstContact: true })
    expect(list.map((r) => r.id)).toEqual([7])
    expect(requests).toHaveLength(2)
  })
})

describe('answers that may hide a started run', () => {
  it.each<[string, Reply]>([
    ['a reset connection', netError('ECONNRESET')],
    ['an answer cut off half way', netError('EINCOMPLETE')],
    ['a connection closed without an answer', netError('ECONNCLOSED')],
    ['a 200 that is not JSON', { status: 200, body: 'ok' }],
    ['a 200 with JSON of the wrong shape', { status: 200, body: { ci_run_id: 'x' } }],
    ['a gateway timeout (504)', { status: 504, body: 'upstream timed out' }]
  ])('a trigger that got %s: not retried, flagged as maybe started', async (_name, reply) => {
    serve(script(reply, { status: 200, body: { ci_run_id: 8, run_id: 9 } }))
    const { client: c, clock } = client()
    const error = await rejection(c.trigger(PR))
    expect(error.mayHaveStarted).toBe(true)
    expect(error.outOfTime).toBe(false)
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it.each<[string, Reply]>([
    ['HTTP 500', { status: 500, body: 'oops' }],
    ['HTTP 401', { status: 401, body: '' }],
    ['HTTP 422', { status: 422, body: { detail: [] } }]
  ])('a trigger that got %s: Datafold answered, so it started nothing', async (_name, reply) => {
    serve(script(reply))
    const { client: c } = client()
    const error = await rejection(c.trigger(PR))
    expect(error.mayHaveStarted).toBe(false)
  })

  it('a status check is never flagged as maybe started', async () => {
    serve(script({ status: 401, body: '' }))
    const { client: c } = client()
    const error = await rejection(c.listRuns(SHA))
    expect(error.mayHaveStarted).toBe(false)
  })
})

describe('the step deadline limits a request', () => {
  /** A transport that waits out each request's time limit, then fails as http.ts does. */
  const hanging = (clock: VirtualClock, seen: number[]): Transport => {
    return async (request: HttpRequest) => {
      seen.push(request.timeoutMs)
      clock.advance(request.timeoutMs)
      const { NetworkError } = await import('../src/http.js')
      throw new NetworkError('ETIMEDOUT', 'no answer within the request time limit', false)
    }
  }

  it('a trigger still unanswered when wait-timeout-minutes runs out is out of time, not a request-timeout error', async () => {
    const clock = new VirtualClock()
    const seen: number[] = []
    const { client: c } = client({
      clock,
      deadlineMs: clock.now() + 2_000,
      requestTimeoutMs: 30_000,
      transport: hanging(clock, seen)
    })
    const error = await rejection(c.trigger(PR))
    expect(seen).toEqual([2_000])
    expect(error.outOfTime).toBe(true)
    expect(error.mayHaveStarted).toBe(true)
    expect(error.message).toBe(
      "wait-timeout-minutes ran out while waiting for Datafold's answer to POST /api/v1/ci/42/trigger."
    )
  })

  it('a trigger that outlives request-timeout with time to spare is not out of time', async () => {
    const clock = new VirtualClock()
    const seen: number[] = []
    const { client: c } = client({
      clock,
      deadlineMs: clock.now() + 60_000,
      requestTimeoutMs: 5_000,
      transport: hanging(clock, seen)
    })
    const error = await rejection(c.trigger(PR))
    expect(seen).toEqual([5_000])
    expect(error.outOfTime).toBe(false)
    expect(error.mayHaveStarted).toBe(true)
    expect(error.message).toMatch(/within the request time limit/)
  })
})

describe('the address of each request', () => {
  it('a datafold-host path that starts with // cannot change the origin', async () => {
    prefix = '//evil.example'
    serve(script({ status: 200, body: [] }))
    const { client: c } = client({ host: new URL(`${ORIGIN}//evil.example`) })
    await c.listRuns(SHA)
    expect(requests).toHaveLength(1)
    expect(requests[0].path).toBe('//evil.example/api/v1/ci/42/runs')
  })
})

describe('the key in other encodings', () => {
  const ODD_KEY = 'dfk_odd\\key/+%"<tail>9'
  it.each<[string, (key: string) => string]>([
    ['as sent', (key) => key],
    ['JSON-escaped', (key) => JSON.stringify(key).slice(1, -1)],
    ['JSON-escaped with \\/', (key) => JSON.stringify(key).slice(1, -1).replace(/\//g, '\\/')],
    ['URL-encoded', (key) => encodeURIComponent(key)],
    ['URL-encoded, lower-case hex', (key) => encodeURIComponent(key).toLowerCase()],
    [
      'HTML-escaped',
      (key) =>
        key
          .replace(/&/g, '&amp;')
          .replace(/</g, '&lt;')
          .replace(/>/g, '&gt;')
          .replace(/"/g, '&quot;')
    ]
  ])('an error body that echoes the key %s shows no part of it', async (_name, encode) => {
    // Placed so the 300-character excerpt would cut through the key.
    const body = `${'x'.repeat(290)} auth=${encode(ODD_KEY)} end`
    serve(script({ status: 400, body }))
    const { client: c } = client({ apiKey: ODD_KEY })
    const error = await rejection(c.listRuns(SHA))
    expect(error.message).toContain('auth=*')
    expect(error.message).not.toContain(encode(ODD_KEY).slice(0, 8))
  })
})

describe('retries', () => {
  const reasons: [string, Reply, RegExp][] = [
    ['429', { status: 429, body: 'slow down' }, /rate limiting requests \(HTTP 429\)/],
    ['500', { status: 500, body: 'oops' }, /server error \(HTTP 500\): oops/],
    ['502', { status: 502, body: 'bad gateway' }, /server error \(HTTP 502\): bad gateway/],
    ['503', { status: 503, body: 'unavailable' }, /server error \(HTTP 503\): unavailable/],
    ['504', { status: 504, body: 'timeout' }, /server error \(HTTP 504\): timeout/],
    ['a reset connection', netError('ECONNRESET'), /Could not reach Datafold .*was reset/],
    [
      'a refused connection',
      netError('ECONNREFUSED'),
      /Could not reach Datafold .*refused the connection/
    ],
    [
      'a host name that does not resolve',
      netError('ENOTFOUND'),
      /Could not reach Datafold .*the host name datafold\.example\.com could not be resolved/
    ]
  ]

  it.each(reasons)(
    'retries a status check after %s, with one warning naming it and the wait',
    async (_n, fault, reason) => {
      serve(script(fault, { status: 200, body: runs(1, 2) }))
      const { client: c, clock, log } = client()
      await expect(c.listRuns(SHA)).resolves.toHaveLength(2)
      expect(requests).toHaveLength(2)
      expect(clock.sleeps).toEqual([500])
      const warnings = log.logs('warning')
      expect(warnings).toHaveLength(1)
      expect(warnings[0]).toMatch(reason)
      expect(warnings[0]).toMatch(/Retrying GET \/api\/v1\/ci\/42\/runs in 0\.5 s \(retry 1\)\.$/)
      expect(log.everything()).not.toContain(KEY)
    }
  )

  it.each(reasons.filter(([name]) => !['500', '504', 'a reset connection'].includes(name)))(
    'retries the trigger after %s (it cannot have started a run)',
    async (_n, fault, reason) => {
      serve(script(fault, { status: 200, body: { ci_run_id: 8, run_id: 9 } }))
      const { client: c, clock, log } = client()
      await expect(c.trigger(PR)).resolves.toEqual({ ciRunId: 8, runId: 9 })
      expect(requests).toHaveLength(2)
      expect(requests[1].body).toEqual(PR)
      expect(clock.sleeps).toEqual([500])
      expect(log.logs('warning')).toHaveLength(1)
      expect(log.logs('warning')[0]).toMatch(reason)
      expect(log.logs('warning')[0]).toMatch(/Retrying POST \/api\/v1\/ci\/42\/trigger in 0\.5 s/)
    }
  )

  it.each(reasons.filter(([name]) => ['500', '504', 'a reset connection'].includes(name)))(
    'does not retry the trigger after %s (it may have started a run)',
    async (_n, fault, reason) => {
      serve(script(fault, { status: 200, body: { ci_run_id: 8, run_id: 9 } }))
      const { client: c, clock, log } = client()
      const error = await rejection(c.trigger(PR))
      expect(error.message).toMatch(reason)
      expect(error.outOfTime).toBe(false)
      expect(requests).toHaveLength(1)
      expect(clock.sleeps).toEqual([])
      expect(log.logs('warning')).toEqual([])
    }
  )

  it.each([400, 401, 403, 404, 409, 422])('never retries HTTP %p', async (status) => {
    serve(script({ status, body: { detail: 'no' } }, { status: 200, body: [] }))
    const { client: c, clock } = client()
    await rejection(c.listRuns(SHA))
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    requests = []
    nock.cleanAll()
    serve(script({ status, body: { detail: 'no' } }, { status: 200, body: { ci_run_id: 1 } }))
    await rejection(c.trigger(PR))
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it.each([
    [
      'a redirect to plain http',
      'http://datafold.invalid/api',
      /which is not https; not following/
    ],
    ['a POST-dropping redirect', undefined, /set datafold-host to the address it redirects to/]
  ])('fails at once on %s, which no retry can fix', async (_name, location, reason) => {
    serve(script({ status: 302, body: '', headers: { Location: location ?? `${ORIGIN}/login` } }))
    const { client: c, clock, log } = client()
    const error = await rejection(location ? c.listRuns(SHA) : c.trigger(PR))
    expect(error.message).toMatch(/^Could not reach Datafold at https:\/\/datafold\.example\.com: /)
    expect(error.message).toMatch(reason)
    expect(error.outOfTime).toBe(false)
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    expect(log.logs('warning')).toEqual([])
  })

  it('backs off exponentially, logging one numbered warning per retry', async () => {
    serve(
      script({ status: 503, body: '' }, { status: 502, body: '' }, netError('ECONNRESET'), {
        status: 200,
        body: []
      })
    )
    const { client: c, clock, log } = client()
    await c.listRuns(SHA)
    expect(clock.sleeps).toEqual([500, 1_000, 2_000])
    expect(log.logs('warning').map((w) => w.replace(/^.*Retrying/, 'Retrying'))).toEqual([
      'Retrying GET /api/v1/ci/42/runs in 0.5 s (retry 1).',
      'Retrying GET /api/v1/ci/42/runs in 1.0 s (retry 2).',
      'Retrying GET /api/v1/ci/42/runs in 2.0 s (retry 3).'
    ])
  })

  it("honours Retry-After in seconds, the backoff's jitter on top (0.5 s here)", async () => {
    serve(
      script({ status: 503, body: '', headers: { 'Retry-After': '7' } }, { status: 200, body: [] })
    )
    const { client: c, clock, log } = client()
    await c.listRuns(SHA)
    expect(clock.sleeps).toEqual([7_500])
    expect(log.logs('warning')[0]).toMatch(/in 7\.5 s/)
  })

  it('honours Retry-After as an HTTP date, on the injected clock', async () => {
    const clock = new VirtualClock()
    const at = new Date(clock.now() + 12_000).toUTCString()
    serve(
      script(
        { status: 429, body: '', headers: { 'Retry-After': at } },
        { status: 200, body: { ci_run_id: 3 } }
      )
    )
    const { client: c } = client({ clock })
    await c.trigger(PR)
    expect(clock.sleeps).toEqual([12_500])
  })

  it('a Retry-After longer than the time left stops at once and says so', async () => {
    const clock = new VirtualClock()
    serve(script({ status: 503, body: 'busy', headers: { 'Retry-After': '30' } }))
    const { client: c, log } = client({ clock, deadlineMs: clock.now() + 10_000 })
    const error = await rejection(c.listRuns(SHA))
    expect(error.outOfTime).toBe(true)
    expect(error.message).toBe(
      'Datafold had a server error (HTTP 503): busy Datafold asked to wait 30 s before the next try (Retry-After), and the 10 s left of wait-timeout-minutes is not enough for that wait and one more try, so the step stops now.'
    )
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
    expect(log.logs('warning')).toEqual([])
  })

  it('keeps retrying within the deadline and never sleeps past it', async () => {
    const clock = new VirtualClock()
    const deadline = clock.now() + 45_000
    serve(script({ status: 502, body: '' }))
    const { client: c, log } = client({ clock, deadlineMs: deadline })
    const error = await rejection(c.listRuns(SHA))
    expect(error.outOfTime).toBe(true)
    expect(error.message).toMatch(
      /HTTP 502\): \(empty body\) wait-timeout-minutes leaves no room for another try\.$/
    )
    // 0.5 + 1 + 2 + 4 + 8 + 15 s = 30.5 s; the next 15 s would cross 45 s, so it is cut to
    // 13.5 s, leaving the last attempt its second; after that attempt nothing is left.
    expect(clock.sleeps).toEqual([500, 1_000, 2_000, 4_000, 8_000, 15_000, 13_500])
    expect(clock.now()).toBeLessThan(deadline)
    expect(requests).toHaveLength(8)
    expect(log.logs('warning')).toHaveLength(7)
  })

  it('a Retry-After that leaves no second for one more try stops, saying how much was left', async () => {
    const clock = new VirtualClock()
    serve(script({ status: 503, body: '', headers: { 'retry-after': '1' } }))
    const { client: c } = client({ clock, deadlineMs: clock.now() + 20_000 })
    const error = await rejection(c.listRuns(SHA))
    expect(error.outOfTime).toBe(true)
    expect(error.message).toMatch(
      /^Datafold had a server error \(HTTP 503\): \(empty body\) Datafold asked to wait 1 s before the next try \(Retry-After\), and the [01](\.\d)? s left of wait-timeout-minutes is not enough for that wait and one more try, so the step stops now\.$/
    )
    expect(clock.now()).toBeLessThan(clock.startMs + 20_000)
  })

  it('sends nothing once the deadline has passed', async () => {
    const clock = new VirtualClock()
    serve(script({ status: 200, body: [] }))
    const { client: c } = client({ clock, deadlineMs: clock.now() })
    const error = await rejection(c.listRuns(SHA))
    expect(error.outOfTime).toBe(true)
    expect(error.message).toBe(
      'wait-timeout-minutes ran out before GET /api/v1/ci/42/runs could be sent.'
    )
    expect(requests).toHaveLength(0)
  })

  it('stops retrying when the workflow is cancelled during a wait', async () => {
    const clock = new VirtualClock()
    const controller = new AbortController()
    clock.onSleep = () => controller.abort()
    serve(script({ status: 503, body: '' }, { status: 200, body: [] }))
    const { client: c } = client({ clock, signal: controller.signal })
    const error = await rejection(c.listRuns(SHA))
    expect(error.message).toBe('GET /api/v1/ci/42/runs was cancelled.')
    expect(error.outOfTime).toBe(false)
    expect(requests).toHaveLength(1)
  })
})

describe('time limit of each request', () => {
  it('gives each request the smaller of request-timeout and the time left', async () => {
    const clock = new VirtualClock()
    const limits: number[] = []
    const transport: Transport = (request: HttpRequest) => {
      limits.push(request.timeoutMs)
      return send(request)
    }
    serve(script({ status: 503, body: '' }, { status: 200, body: [] }))
    const { client: c } = client({
      clock,
      transport,
      requestTimeoutMs: 30_000,
      deadlineMs: clock.now() + 20_000
    })
    await c.listRuns(SHA)
    expect(limits).toEqual([20_000, 19_500])
  })

  it('retries a status check whose answer did not come in time', async () => {
    let n = 0
    const scope = nock(ORIGIN).persist()
    scope
      .get(() => true)
      .query(true)
      .reply(async () => {
        n++
        if (n === 1) await new Promise((resolve) => setTimeout(resolve, 900))
        return [200, '[]']
      })
    // A limit a loaded machine still answers the second request within (40 ms was not always).
    const { client: c, clock, log } = client({ requestTimeoutMs: 300 })
    await expect(c.listRuns(SHA)).resolves.toEqual([])
    expect(n).toBe(2)
    expect(clock.sleeps).toEqual([500])
    expect(log.logs('warning')[0]).toMatch(
      /no answer from https:\/\/datafold\.example\.com within the request time limit/
    )
  })
})

describe('listDataDiffs', () => {
  const DIFFS = '/api/v1/datadiffs'
  const RUN = 1000
  const ours = (n: number, from = 1): DiffSpec[] =>
    Array.from({ length: n }, (_, i) => ({ id: from + i, ciRunId: RUN, result: 'identical' }))
  /**
   * A Datafold that lists `all` as asked: filtered and sorted unless told to ignore either; with
   * `invalidPage`, a page past the end answers 404 "Invalid page." (Django REST framework's pages).
   */
  const datafold =
    (
      all: DiffSpec[],
      ignore: { filter?: boolean; sort?: boolean } = {},
      { invalidPage = false } = {}
    ): Handler =>
    (request) => {
      const size = Number(request.query.page_size)
      const page = Number(request.query.page)
      let listed = ignore.filter
        ? all
        : all.filter((d) => String(d.ciRunId) === request.query.ci_run_id)
      if (!ignore.sort) listed = [...listed].sort((a, b) => a.id - b.id)
      if (invalidPage && page > 1 && (page - 1) * size >= listed.length)
        return { status: 404, body: { detail: 'Invalid page.' } }
      return {
        status: 200,
        body: dataDiffPage(listed.slice((page - 1) * size, page * size).map(apiDataDiff), {
          page,
          pageSize: size,
          count: listed.length
        })
      }
    }
  const pages = (n: number): string[] => Array.from({ length: n }, (_, i) => String(i + 1))

  it("GETs this run's diffs: the ci_run_id filter, in order of id, page by page", async () => {
    serve(
      script({
        status: 200,
        body: dataDiffPage([
          apiDataDiff({
            id: 7,
            ciRunId: RUN,
            table: 'db.pr.orders',
            result: 'different',
            rowsAdded: 2,
            rowsRemoved: 1,
            rowsChanged: 30,
            matchRatio: 0.97
          })
        ])
      })
    )
    const list = await client().client.listDataDiffs(RUN)
    expect(list).toEqual({
      diffs: [
        {
          id: 7,
          table: 'db.pr.orders',
          tableParts: ['db', 'pr', 'orders'],
          status: 'done',
          result: 'different',
          rowsAdded: 2,
          rowsRemoved: 1,
          rowsChanged: 30,
          matchRatio: 0.97
        }
      ],
      others: 0,
      pages: 1,
      incomplete: undefined
    })
    expect(requests).toHaveLength(1)
    expect(requests[0].method).toBe('GET')
    expect(requests[0].path).toBe(DIFFS)
    expect(requests[0].query).toEqual({
      ci_run_id: '1000',
      order_by: 'id',
      sort_order: 'asc',
      page: '1',
      page_size: '100'
    })
    expect(requests[0].headers.authorization).toBe(`Key ${KEY}`)
    expect(requests[0].body).toBeUndefined()
  })

  it('keeps the path of a dedicated host', async () => {
    prefix = '/datafold'
    serve(script({ status: 200, body: dataDiffPage([]) }))
    await client({ host: new URL(`${ORIGIN}/datafold`) }).client.listDataDiffs(RUN)
    expect(requests.map((r) => r.path)).toEqual([`/datafold${DIFFS}`])
  })

  it('follows the pages of a run with many diffs', async () => {
    serve(datafold([...ours(230), { id: 9000, ciRunId: 999 }]))
    const list = await client().client.listDataDiffs(RUN)
    expect(list.diffs).toHaveLength(230)
    expect(list.incomplete).toBeUndefined()
    expect(requests.map((r) => r.query.page)).toEqual(['1', '2', '3'])
  })

  it('against a server that ignores the filter: only this run, from every page of the list', async () => {
    const all: DiffSpec[] = [
      ...Array.from({ length: 120 }, (_, i): DiffSpec => ({
        id: 8000 + i,
        ciRunId: 1001 + (i % 4)
      })),
      ...ours(3, 7000),
      ...Array.from({ length: 400 }, (_, i): DiffSpec => ({
        id: 6000 - i,
        ciRunId: 900 + (i % 90)
      }))
    ]
    serve(datafold(all, { filter: true }))
    const list = await client().client.listDataDiffs(RUN)
    expect(list.diffs.map((d) => d.id).sort()).toEqual([7000, 7001, 7002])
    expect(list.others).toBe(520)
    expect(list.incomplete).toBeUndefined()
    expect(requests.map((r) => r.query.page)).toEqual(['1', '2', '3', '4', '5', '6'])
  })

  it('against a server that ignores the filter and the sort: every page, however many', async () => {
    const all: DiffSpec[] = Array.from({ length: 1234 }, (_, i) => ({
      id: i + 1,
      ciRunId: i === 3 || i === 1200 ? RUN : 2000 + i
    }))
    serve(datafold(all, { filter: true, sort: true }))
    const list = await client().client.listDataDiffs(RUN)
    expect(requests.map((r) => r.query.page)).toEqual(pages(13))
    expect(list.diffs.map((d) => d.id)).toEqual([4, 1201])
    expect(list.incomplete).toBeUndefined()
  })

  it('reads a run of exactly 1,000 diffs whole: a 404 "Invalid page" past the end confirms it', async () => {
    serve(datafold(ours(1000), {}, { invalidPage: true }))
    const list = await client().client.listDataDiffs(RUN)
    expect(requests.map((r) => r.query.page)).toEqual(pages(11))
    expect(list.diffs).toHaveLength(1000)
    expect(list.incomplete).toBeUndefined()
    expect(list.pages).toBe(10)
  })

  it('reads 2,500 diffs of the run, 25 pages and a 404 past them', async () => {
    serve(datafold([...ours(2500), { id: 9000, ciRunId: 999 }], {}, { invalidPage: true }))
    const list = await client().client.listDataDiffs(RUN)
    expect(requests.map((r) => r.query.page)).toEqual(pages(26))
    expect(list.diffs.map((d) => d.id)).toEqual(ours(2500).map((d) => d.id))
    expect(list.incomplete).toBeUndefined()
  })

  it('a 404 past the end does not prove a list whose count disagrees with what was read', async () => {
    const full = (page: number): Answer => ({
      status: 200,
      body: dataDiffPage(ours(100, 100 * page - 99).map(apiDataDiff), {
        page,
        count: 1050,
        totalPages: 10
      })
    })
    serve((request) =>
      Number(request.query.page) <= 10
        ? full(Number(request.query.page))
        : { status: 404, body: { detail: 'Invalid page.' } }
    )
    const list = await client().client.listDataDiffs(RUN)
    expect(requests).toHaveLength(11)
    expect(list.diffs).toHaveLength(1000)
    expect(list.incomplete).toBe(
      'Datafold counts 1,050 entries in its list of data diffs but its pages held 1,000 different ones (the pages may have shifted while they were read).'
    )
  })

  it('an error on a page the totals call real leaves the reading unproven, and says so', async () => {
    const { client: c, clock } = client()
    serve((request) => {
      const page = Number(request.query.page)
      if (page === 3) return { status: 404, body: { detail: 'Invalid page.' } }
      return {
        status: 200,
        body: dataDiffPage(ours(100, 100 * page - 99).map(apiDataDiff), { page, count: 450 })
      }
    })
    const list = await c.listDataDiffs(RUN)
    expect(requests.map((r) => r.query.page)).toEqual(['1', '2', '3'])
    expect(list.diffs).toHaveLength(200)
    expect(list.incomplete).toBe(
      "Page 3 of Datafold's list of data diffs could not be read, though its totals give the list 5 pages, so this run may have more data diffs than shown. Datafold answered HTTP 404."
    )
    expect(clock.sleeps).toEqual([])
  })

  it('an error past the end that is not a 404 leaves the reading unproven', async () => {
    serve((request) => {
      const page = Number(request.query.page)
      if (page === 2) return { status: 400, body: { detail: 'bad' } }
      return {
        status: 200,
        body: dataDiffPage(ours(100).map(apiDataDiff), { page, count: 100 })
      }
    })
    const list = await client().client.listDataDiffs(RUN)
    expect(list.diffs).toHaveLength(100)
    expect(list.incomplete).toBe(
      "Page 2 of Datafold's list of data diffs, past the 1 page its totals give, could not be read, so the action cannot show that the list ends there. Datafold answered HTTP 400."
    )
  })

  it('the deadline coming on a later page leaves the reading unproven, with the reason', async () => {
    const clock = new VirtualClock()
    serve((request) => {
      const page = Number(request.query.page)
      if (page === 2) return { status: 503, body: 'busy' }
      return {
        status: 200,
        body: dataDiffPage(ours(100).map(apiDataDiff), { page, count: 300 })
      }
    })
    const list = await client({ clock, deadlineMs: clock.now() + 10_000 }).client.listDataDiffs(RUN)
    expect(list.diffs).toHaveLength(100)
    expect(list.incomplete).toMatch(
      /^Page 2 of Datafold's list of data diffs could not be read, though its totals give the list 3 pages, so this run may have more data diffs than shown\. Datafold had a server error \(HTTP 503\): busy .*wait-timeout-minutes/
    )
  })

  it('an error on the first page is the list not read at all', async () => {
    serve(script({ status: 404, body: { detail: 'Not found.' } }))
    const error = await rejection(client().client.listDataDiffs(RUN))
    expect(error.status).toBe(404)
    expect(error.message).toMatch(/has no list of data diffs/)
  })

  it('403 says the key may lack access to data diffs; not retried', async () => {
    serve(script({ status: 403, body: { detail: 'Forbidden' } }))
    const { client: c, clock } = client()
    const error = await rejection(c.listDataDiffs(RUN))
    expect(error.message).toBe(
      `Datafold did not let the API key list data diffs (HTTP 403) at ${ORIGIN}. The key can run CI config 42, but its user may lack access to data diffs or to the data sources they compare; ask a Datafold admin, or set show-data-diffs: false.`
    )
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it.each<[number, RegExp]>([
    [401, /^Datafold did not accept the API key for its list of data diffs \(HTTP 401\)/],
    [
      404,
      /has no list of data diffs \(HTTP 404 for GET \/api\/v1\/datadiffs\); this Datafold deployment may not offer it/
    ],
    [422, /^Datafold rejected the request as invalid \(HTTP 422\)/]
  ])('HTTP %p is worded for the data diff list and not retried', async (status, message) => {
    serve(script({ status, body: { detail: 'no' } }))
    const { client: c, clock } = client()
    const error = await rejection(c.listDataDiffs(RUN))
    expect(error.message).toMatch(message)
    expect(error.outOfTime).toBe(false)
    expect(requests).toHaveLength(1)
    expect(clock.sleeps).toEqual([])
  })

  it.each<[string, Reply]>([
    ['503', { status: 503, body: 'busy' }],
    ['429', { status: 429, body: '' }],
    ['a reset connection', netError('ECONNRESET')],
    [
      'JSON cut short',
      {
        status: 200,
        body: '{"page": 1, "results": [{"id"',
        headers: { 'Content-Type': 'application/json' }
      }
    ]
  ])('retries after %s', async (_name, fault) => {
    serve(script(fault, { status: 200, body: dataDiffPage(ours(2).map(apiDataDiff)) }))
    const { client: c, clock, log } = client()
    const list = await c.listDataDiffs(RUN)
    expect(list.diffs).toHaveLength(2)
    expect(requests).toHaveLength(2)
    expect(clock.sleeps).toEqual([500])
    expect(log.logs('warning')[0]).toMatch(
      /Retrying GET \/api\/v1\/datadiffs in 0\.5 s \(retry 1\)\.$/
    )
  })

  it.each<[string, Answer, RegExp]>([
    [
      'an HTML page',
      {
        status: 200,
        body: '<html><title>Datafold</title></html>',
        headers: { 'Content-Type': 'text/html' }
      },
      /^Datafold's list of data diffs is not what its API documents \(expected JSON with results and total_pages\): <html><title>Datafold<\/title><\/html>$/
    ],
    [
      'JSON of another shape',
      { status: 200, body: { items: [] }, headers: { 'Content-Type': 'application/json' } },
      /expected JSON with results and total_pages\): \{"items":\[\]\}$/
    ]
  ])(
    'does not retry %s (what this host serves there), and does not blame datafold-host',
    async (_name, answer, message) => {
      serve(script(answer, { status: 200, body: dataDiffPage([]) }))
      const { client: c, clock } = client()
      const error = await rejection(c.listDataDiffs(RUN))
      expect(error.message).toMatch(message)
      expect(requests).toHaveLength(1)
      expect(clock.sleeps).toEqual([])
    }
  )

  it('keeps retrying a 502 until the deadline, then is out of time', async () => {
    const clock = new VirtualClock()
    serve(script({ status: 502, body: '' }))
    const { client: c } = client({ clock, deadlineMs: clock.now() + 5_000 })
    const error = await rejection(c.listDataDiffs(RUN))
    expect(error.outOfTime).toBe(true)
    expect(clock.now()).toBeLessThan(clock.startMs + 5_000)
  })

  it('a table name that echoes the key comes back without it', async () => {
    serve(
      script({
        status: 200,
        body: dataDiffPage([
          apiDataDiff({ id: 3, ciRunId: RUN, table: `db.${encodeURIComponent(KEY)}` })
        ])
      })
    )
    const list = await client().client.listDataDiffs(RUN)
    expect(list.diffs[0].table).toBe('db.***')
  })
})

describe('uploadPairs: the table pairs of an API integration', () => {
  const PAIRS = [
    { prod: 'db.prod.orders', pr: 'db.pr_2.orders', pk: ['id'] },
    { prod: 'db.prod.users', pr: 'db.pr_2.users', pk: null, exclude_columns: ['seen_at'] }
  ]
  const UPLOAD = `/api/v1/ci/${CONFIG}/${PR.pr_number}`

  it('POSTs exactly the pairs to the pull request number, with the API key', async () => {
    serve(script({ status: 200, body: { ci_run_id: 1000, run_id: 6000 } }))
    await expect(client().client.uploadPairs(PR.pr_number, PAIRS)).resolves.toEqual({
      ciRunId: 1000,
      runId: 6000
    })
    expect(requests).toHaveLength(1)
    expect(requests[0]).toMatchObject({ method: 'POST', path: UPLOAD, query: {}, body: PAIRS })
    expect(requests[0].headers.authorization).toBe(`Key ${KEY}`)
    expect(requests[0].headers['content-type']).toBe('application/json')
  })

  it('retries only what certainly did not reach Datafold (a 503), and never a reset mid-request', async () => {
    serve(script({ status: 503 }, { status: 200, body: { ci_run_id: 1, run_id: null } }))
    await expect(client().client.uploadPairs(2, PAIRS)).resolves.toEqual({
      ciRunId: 1,
      runId: null
    })
    expect(requests).toHaveLength(2)

    nock.cleanAll()
    requests = []
    serve(script(netError('ECONNRESET')))
    const error = await rejection(client().client.uploadPairs(2, PAIRS))
    expect(requests).toHaveLength(1)
    expect(error.mayHaveStarted).toBe(true)
  })

  it('an answer that is not a SubmitCiJob is named as the answer to the upload, not to the trigger', async () => {
    serve(script({ status: 200, body: '<html>sign in</html>' }))
    const error = await rejection(client().client.uploadPairs(2, PAIRS))
    expect(error.message).toBe(
      "Datafold's answer to the upload of the table pairs is not what its API documents (expected JSON with ci_run_id and run_id): <html>sign in</html>"
    )
    expect(error.mayHaveStarted).toBe(true)
    expect(requests).toHaveLength(1)
  })

  it.each([400, 404])(
    'HTTP %p says the diffs input is for a CI config of the API kind',
    async (status) => {
      serve(script({ status, body: { detail: 'No CI run is waiting' } }))
      const error = await rejection(client().client.uploadPairs(2, PAIRS))
      expect(error.message).toBe(
        `Datafold did not take the table pairs (HTTP ${status} for the upload to CI config 42): {"detail":"No CI run is waiting"}. The diffs input is only for a CI config of the API kind, which waits for them after the trigger; check ci-config-id.`
      )
      expect(error.mayHaveStarted).toBe(false)
    }
  )
})

describe('answers that are odd but possible', () => {
  it.each<[string, unknown]>([
    ['ci_run_id 0', { ci_run_id: 0, run_id: 5 }],
    ['a negative ci_run_id', { ci_run_id: -3, run_id: 5 }],
    ['ci_run_id 2^53, past what a number holds exactly', { ci_run_id: 2 ** 53, run_id: 5 }],
    ['ci_run_id 1e21', { ci_run_id: 1e21, run_id: null }],
    ['run_id 0', { ci_run_id: 7, run_id: 0 }],
    ['a negative run_id', { ci_run_id: 7, run_id: -1 }]
  ])('a trigger answering %s is refused as not what the API documents', async (_name, body) => {
    serve(script({ status: 200, body }))
    const { client: c } = client()
    const error = await rejection(c.trigger(PR))
    expect(error.message).toMatch(
      /^Datafold's answer to the trigger is not what its API documents \(expected JSON with ci_run_id and run_id, each a positive whole number below 2\^53 or null\): /
    )
    // Refused, but Datafold may still have started a run: the step looks for it instead.
    expect(error.mayHaveStarted).toBe(true)
  })

  it('an error body quoting the key with every character escaped, in a JSON text inside a string, shows none of it', async () => {
    const escaped = Array.from(
      `Key ${KEY}`,
      (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
    ).join('')
    const upstream = `{"headers": {"authorization": "${escaped}"}}`
    serve(script({ status: 422, body: { detail: [{ loc: ['header'], msg: upstream }] } }))
    const { client: c } = client()
    const error = await rejection(c.trigger(PR))
    expect(error.message).toMatch(
      /^Datafold rejected the request as invalid \(HTTP 422\):\n {2}- header: /
    )
    expect(error.message).not.toMatch(/clientTestKey|u006c\\u0069\\u0065/)
    expect(error.message).toContain('***')
  })
})
