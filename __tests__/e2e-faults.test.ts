/**
 * Fault injection, end to end: the bundled action against the stand-in Datafold misbehaving on real
 * sockets (refused and reset connections, hung answers, 429 and 5xx, HTML and malformed answers,
 * runs that show up late or drop out of a list, redirects, echoed credentials). Each case checks the
 * conclusion, the exit code, the requests the stand-in saw, and that a job summary was written.
 *
 * Retries back off up to 1 s x 2^attempt with full jitter, so each case injects one or two faults.
 */
import { createServer } from 'node:net'
import { networkInterfaces } from 'node:os'
import { readFileSync } from 'node:fs'
import { renderGfm, textOf } from '../__fixtures__/gfm.js'
import { specViolations } from '../__fixtures__/openapi.js'
import {
  API_KEY,
  EVENTS_DIR,
  commands,
  keyLeaks,
  runAction,
  runAgainstStandIn,
  standInInputs,
  startAction,
  type StandInRunResult
} from '../__fixtures__/run-action.js'
import {
  startStandIn,
  type Fault,
  type RecordedRequest,
  type StandIn
} from '../scripts/stand-in-datafold.js'

const PR_SHA = (
  JSON.parse(readFileSync(`${EVENTS_DIR}/pull_request.opened.json`, 'utf8')) as {
    pull_request: { head: { sha: string } }
  }
).pull_request.head.sha

/** Statuses of a short run: two status checks after the trigger. */
const STATUSES = ['queued', 'done']
/** A clean run's requests: the list before the trigger, the trigger, one per status, the data diffs. */
const CLEAN_REQUESTS = 2 + STATUSES.length + 1

const posts = (requests: RecordedRequest[]): RecordedRequest[] =>
  requests.filter((r) => r.method === 'POST')
const retryWarnings = (stdout: string): string[] =>
  commands(stdout, 'warning').filter((w) => w.includes('Retrying'))

/** What every faulty run must still hold: valid requests, a summary, no key anywhere. */
function expectSound({ result, requests }: StandInRunResult): void {
  expect(result.killed).toBe(false)
  expect(result.summary).toMatch(/\| Conclusion \|/)
  expect(keyLeaks(result)).toEqual([])
  for (const request of requests) expect(specViolations(request)).toEqual([])
}

/**
 * A run that rode out its faults: success, exit 0, `extra` requests beyond a clean run, `triggers`
 * trigger requests and still exactly one run created.
 */
function expectRecovered(outcome: StandInRunResult, extra: number, triggers = 1): void {
  expectSound(outcome)
  expect(outcome.result.code).toBe(0)
  expect(outcome.result.outputs).toMatchObject({
    status: 'done',
    verdict: 'success'
  })
  expect(outcome.requests).toHaveLength(CLEAN_REQUESTS + extra)
  expect(posts(outcome.requests)).toHaveLength(triggers)
  expect(outcome.runs.filter((r) => r.created)).toHaveLength(1)
}

/** Faults on the status checks: the first list (before the trigger) answers normally. */
const onFirstCheck = (...faults: Fault[]): { runs: (Fault | null)[] } => ({
  runs: [null, ...faults]
})

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('faults on the network', () => {
  it('connection refused for good: the trigger is retried until the time limit, then the step times out', async () => {
    const port = await closedPort()
    const result = await runAction({
      inputs: {
        ...standInInputs(`http://127.0.0.1:${port}`),
        wait: 'false',
        trigger: 'always',
        'wait-timeout-minutes': '0.03'
      }
    })
    expect(result.killed).toBe(false)
    expect(result.code).toBe(1)
    expect(result.outputs).toEqual({ verdict: 'timed_out' })
    const retries = retryWarnings(result.stdout)
    expect(retries.length).toBeGreaterThanOrEqual(1)
    expect(retries[0]).toMatch(/refused the connection.*Retrying POST \/api\/v1\/ci\/42\/trigger/)
    expect(commands(result.stdout, 'error')[0]).toContain('refused the connection')
    expect(commands(result.stdout, 'error')[0]).toContain('could not be triggered')
    expect(commands(result.stdout, 'error')[0]).not.toContain('may have started')
    expect(result.summary).toContain('Datafold CI did not finish in time')
    expect(result.summary).toContain('not triggered')
    // wait-timeout-minutes (1.8 s) bounds the whole step, retries included.
    expect(result.durationMs).toBeLessThan(1800 + 1500)
  })

  it('a host name that does not resolve: the step times out, saying so', async () => {
    // .invalid never resolves (RFC 6761), so resolvers answer at once. That the trigger is retried
    // (nothing was sent) is a unit test on the virtual clock (datafold-client, retry): here a
    // machine under load may use the 1.2 s before a retry is due.
    const result = await runAction({
      inputs: {
        ...standInInputs('https://datafold.invalid'),
        // A real (if unresolvable) host: sub-second intervals are only for localhost.
        'poll-interval': '1',
        'max-poll-interval': '1',
        wait: 'false',
        trigger: 'always',
        'wait-timeout-minutes': '0.02',
        'request-timeout': '1'
      }
    })
    expect(result.killed).toBe(false)
    expect(result.code).toBe(1)
    expect(result.outputs).toEqual({ verdict: 'timed_out' })
    expect(commands(result.stdout, 'error')[0]).toContain('datafold.invalid could not be resolved')
    expect(commands(result.stdout, 'error')[0]).toContain('could not be triggered')
    expect(result.summary).toContain('Datafold CI did not finish in time')
    expect(result.durationMs).toBeLessThan(1200 + 1500)
    expect(keyLeaks(result)).toEqual([])
  })

  it('connection refused, then Datafold comes up: the trigger is retried and starts one run', async () => {
    const port = await closedPort()
    const action = startAction({
      inputs: { ...standInInputs(`http://127.0.0.1:${port}`), wait: 'false', trigger: 'always' }
    })
    let standIn: StandIn | undefined
    try {
      await action.waitForStdout(/Retrying POST/)
      standIn = await startStandIn({ apiKey: API_KEY }, { port })
      const result = await action.result
      expect(result.code).toBe(0)
      expect(result.outputs).toEqual({
        'ci-run-id': '1000',
        'trigger-run-id': '6000',
        'ci-run-started-by': 'trigger'
      })
      expect(result.summary).not.toBe('')
      expect(standIn.requests.map((r) => r.method)).toEqual(['POST'])
      expect(standIn.runs.filter((r) => r.created)).toHaveLength(1)
      expect(keyLeaks(result)).toEqual([])
    } finally {
      await action.result.catch(() => undefined)
      await standIn?.close()
    }
  })

  it('a status check whose connection is reset is retried', async () => {
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: onFirstCheck({ kind: 'reset' })
    })
    expectRecovered(outcome, 1)
    expect(retryWarnings(outcome.result.stdout)[0]).toMatch(/reset.*Retrying GET/)
  })

  it('a hung status check ends at request-timeout and polling goes on', async () => {
    const outcome = await runAgainstStandIn(
      { statuses: STATUSES, faults: onFirstCheck({ kind: 'hang' }) },
      { 'request-timeout': '0.3' }
    )
    expectRecovered(outcome, 1)
    expect(retryWarnings(outcome.result.stdout)[0]).toMatch(/within the request time limit/)
    expect(outcome.result.durationMs).toBeGreaterThanOrEqual(300)
  })

  it.each<[string, Fault]>([
    ['hung until request-timeout', { kind: 'hang', process: true }],
    ['reset', { kind: 'reset', process: true }],
    ['closed without an answer', { kind: 'close', process: true }],
    ['cut off half way', { kind: 'cut', process: true }]
  ])(
    'a trigger %s after Datafold had it is not sent again: the run it started is found and followed',
    async (_name, fault) => {
      const outcome = await runAgainstStandIn(
        { statuses: STATUSES, nullIds: false, faults: { trigger: [fault] } },
        { 'request-timeout': '0.3' }
      )
      expectSound(outcome)
      expect(outcome.result.code).toBe(0)
      expect(outcome.result.outputs).toEqual({
        'ci-run-id': '1000',
        'ci-run-started-by': 'trigger',
        status: 'done',
        verdict: 'success',
        'data-diffs': '[]',
        'data-diffs-changed': '0'
      })
      expect(posts(outcome.requests)).toHaveLength(1)
      expect(outcome.runs.filter((r) => r.created)).toHaveLength(1)
      const warnings = commands(outcome.result.stdout, 'warning')
      expect(warnings.some((w) => /the trigger is not sent again/.test(w))).toBe(true)
      expect(retryWarnings(outcome.result.stdout).filter((w) => /POST/.test(w))).toEqual([])
    }
  )

  it('a trigger cut off half way that started nothing: no second trigger, a clear error', async () => {
    const outcome = await runAgainstStandIn(
      { statuses: STATUSES, faults: { trigger: [{ kind: 'cut' }] } },
      { 'start-timeout-minutes': '0.01' }
    )
    expectSound(outcome)
    const { result } = outcome
    expect(result.code).toBe(1)
    expect(result.outputs.verdict ?? '').toBe('')
    expect(posts(outcome.requests)).toHaveLength(1)
    const error = commands(result.stdout, 'error')[0]
    expect(error).toMatch(
      /^The answer to the trigger was lost \(Could not reach Datafold at http:\/\/127\.0\.0\.1:\d+: the answer from 127\.0\.0\.1:\d+ was cut off after 16 bytes of its body .*\), and no new Datafold CI run for pull request #2 .* appeared within start-timeout-minutes \(1s\)\. Datafold may not have received the trigger; re-run the job\.$/
    )
    expect(result.summary).toContain('Datafold CI could not run')
  })

  it('with wait: false a trigger cut off half way fails, saying a run may have started', async () => {
    const outcome = await runAgainstStandIn(
      { statuses: STATUSES, faults: { trigger: [{ kind: 'cut', process: true }] } },
      { wait: 'false', trigger: 'always' }
    )
    expectSound(outcome)
    expect(outcome.result.code).toBe(1)
    expect(posts(outcome.requests)).toHaveLength(1)
    expect(commands(outcome.result.stdout, 'error')[0]).toMatch(
      /was cut off .* Datafold may have started a CI run for this commit anyway; look in Datafold before you re-run the job\.$/
    )
  })
})

describe('HTTP faults', () => {
  // The real-time cases for a wait: one Retry-After, on a status check. The trigger's 429, an HTTP
  // date, and the other statuses are unit tests on the virtual clock (datafold-client.test.ts).
  it('429 with Retry-After: 1 on a status check: waits a second and up to one more (jitter), then succeeds', async () => {
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: onFirstCheck({ status: 429, headers: { 'Retry-After': '1' } })
    })
    expectRecovered(outcome, 1)
    const { requests } = outcome
    expect(requests[3].method).toBe(requests[2].method)
    expect(requests[3].at - requests[2].at).toBeGreaterThanOrEqual(950)
    expect(retryWarnings(outcome.result.stdout)).toEqual([
      // Retry-After's second plus the first backoff's jitter, [0, 1) s.
      expect.stringMatching(/HTTP 429.*in (1\.\d|2\.0) s/)
    ])
  })

  it.each([500, 503])('%i on a status check is retried', async (status) => {
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: onFirstCheck({ status })
    })
    expectRecovered(outcome, 1)
    expect(retryWarnings(outcome.result.stdout)).toEqual([
      expect.stringContaining(`HTTP ${status}`)
    ])
  })

  it('500 on the trigger is not retried: exactly one trigger, and the step fails', async () => {
    // Datafold may have created the run before failing; a second trigger would start another.
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: { trigger: [{ status: 500, process: true }] }
    })
    expectSound(outcome)
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(result.outputs.verdict ?? '').toBe('')
    expect(requests.map((r) => r.method)).toEqual(['GET', 'POST'])
    expect(retryWarnings(result.stdout)).toEqual([])
    expect(commands(result.stdout, 'error')[0]).toContain('HTTP 500')
    expect(result.summary).toContain('HTTP 500')
  })

  it('503 on the trigger is retried and exactly one run is created', async () => {
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: { trigger: [{ status: 503 }] }
    })
    expect(outcome.requests.map((r) => r.method).slice(0, 3)).toEqual(['GET', 'POST', 'POST'])
    expectRecovered(outcome, 1, 2)
    expect(outcome.result.outputs['ci-run-id']).toBe('1000')
  })

  it('a Retry-After past the deadline is not slept: the step ends timed_out at once', async () => {
    const outcome = await runAgainstStandIn(
      {
        statuses: ['processing'],
        faults: onFirstCheck({ status: 503, headers: { 'Retry-After': '120' } })
      },
      { 'wait-timeout-minutes': '0.02' }
    )
    expectSound(outcome)
    expect(outcome.result.code).toBe(1)
    expect(outcome.result.outputs.verdict).toBe('timed_out')
    expect(outcome.result.durationMs).toBeLessThan(1200 + 1500)
    expect(outcome.requests).toHaveLength(3)
  })
})

describe('answers that are not what the spec says', () => {
  // An HTML 502 and text that is not JSON are unit tests (datafold-client.test.ts).
  it.each<[string, Fault]>([
    ['an HTML page with status 200', { kind: 'html', status: 200 }],
    ['a run without status', { kind: 'bad-shape' }]
  ])('%s while polling is a transient fault, logged as a warning', async (_what, fault) => {
    const outcome = await runAgainstStandIn({ statuses: STATUSES, faults: onFirstCheck(fault) })
    expectRecovered(outcome, 1)
    expect(retryWarnings(outcome.result.stdout)).toHaveLength(1)
  })

  it('an HTML 200 answer from the trigger is a clear error with an excerpt', async () => {
    const outcome = await runAgainstStandIn(
      {
        statuses: STATUSES,
        faults: { trigger: [{ kind: 'html', status: 200 }] }
      },
      { 'start-timeout-minutes': '0.01' }
    )
    expectSound(outcome)
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(posts(requests)).toHaveLength(1)
    const error = commands(result.stdout, 'error')[0]
    expect(error).toMatch(
      /^The answer to the trigger was lost \(Datafold's answer to the trigger is not what its API documents/
    )
    expect(error).toContain('<title>502 Bad Gateway</title>')
    expect(result.summary).toContain('502 Bad Gateway')
    // Shown as text in the summary, never as HTML.
    expect(result.summary).not.toContain('<title>')
  })
})

describe('runs that are late or drop out of the list', () => {
  it('a run that appears a few checks late is waited for', async () => {
    const outcome = await runAgainstStandIn({ statuses: STATUSES, appearAfter: 3 })
    // Checks 1 to 3 do not list the run; the 4th lists it with the last status; then the diffs.
    expect(outcome.result.outputs).toMatchObject({
      status: 'done',
      verdict: 'success'
    })
    expect(outcome.requests).toHaveLength(2 + 4 + 1)
    expectSound(outcome)
    expect(outcome.result.code).toBe(0)
  })

  it('a run that appears late when the trigger named none is still found', async () => {
    const outcome = await runAgainstStandIn({ statuses: STATUSES, appearAfter: 2, nullIds: true })
    expect(outcome.result.code).toBe(0)
    expect(outcome.result.outputs).toMatchObject({
      'ci-run-id': '1000',
      status: 'done',
      verdict: 'success'
    })
    expect(outcome.requests).toHaveLength(2 + 3 + 1)
    expectSound(outcome)
  })

  it('a run missing from one check is waited for', async () => {
    const outcome = await runAgainstStandIn({
      statuses: ['queued', 'processing', 'done'],
      missingAt: [2]
    })
    expect(outcome.result.code).toBe(0)
    expect(outcome.result.outputs).toMatchObject({
      status: 'done',
      verdict: 'success'
    })
    expect(outcome.requests).toHaveLength(2 + 3 + 1)
    expectSound(outcome)
  })

  it('a run still processing at wait-timeout-minutes ends timed_out and fails the step', async () => {
    const outcome = await runAgainstStandIn(
      { statuses: ['queued', 'processing'] },
      { 'wait-timeout-minutes': '0.02' }
    )
    expectSound(outcome)
    const { result, requests } = outcome
    expect(result.code).toBe(1)
    expect(result.outputs).toEqual({
      'ci-run-id': '1000',
      'trigger-run-id': '6000',
      'ci-run-started-by': 'trigger',
      status: 'processing',
      verdict: 'timed_out'
    })
    expect(requests.length).toBeGreaterThanOrEqual(4)
    // The last check starts a twentieth of the 1.2 s before the deadline (60 ms).
    expect(result.durationMs).toBeGreaterThanOrEqual(1140)
    expect(result.durationMs).toBeLessThan(1200 + 1500)
    expect(commands(result.stdout, 'error')[0]).toMatch(/Datafold CI run 1000.*processing/)
    expect(result.summary).toContain('⏱️ timed_out')
  })
})

describe('the key stays safe', () => {
  it('a redirect to another origin never carries the Authorization header there', async () => {
    const other = await startStandIn({ apiKey: API_KEY })
    try {
      const location = `${other.url}/api/v1/ci/42/runs?pr_sha=${PR_SHA}&limit=100&offset=0`
      const outcome = await runAgainstStandIn({
        statuses: STATUSES,
        faults: onFirstCheck({ kind: 'redirect', status: 307, location })
      })
      expectSound(outcome)
      expect(other.requests).toHaveLength(1)
      expect(other.requests[0].headers.authorization).toBeUndefined()
      expect(JSON.stringify(other.requests)).not.toContain(API_KEY)
      // Without the key the other origin refuses the request; the step fails and says why,
      // without blaming the key.
      expect(outcome.result.code).toBe(1)
      expect(outcome.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET'])
      expect(outcome.result.outputs['ci-run-id']).toBe('1000')
      const error = commands(outcome.result.stdout, 'error')[0]
      expect(error).toContain(`${outcome.host} redirected the request to ${other.url}`)
      expect(error).toContain('HTTP 401')
      expect(error).not.toContain('refused the API key')
    } finally {
      await other.close()
    }
  })

  it('a redirect within the same origin keeps the key and succeeds', async () => {
    const location = `/api/v1/ci/42/runs?pr_sha=${PR_SHA}&limit=100&offset=0`
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: onFirstCheck({ kind: 'redirect', status: 307, location })
    })
    expectRecovered(outcome, 1)
    expect(outcome.requests[3].headers.authorization).toBe(`Key ${API_KEY}`)
  })

  it('a 500 echoing the request headers on a status check: retried, and the key is scrubbed', async () => {
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: onFirstCheck({ kind: 'echo' })
    })
    expectRecovered(outcome, 1)
    const warning = retryWarnings(outcome.result.stdout)[0]
    expect(warning).toContain('HTTP 500')
    expect(warning).toContain('Key ***')
  })

  it('a 500 echoing the request headers on the trigger: the error and summary show no key', async () => {
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: { trigger: [{ kind: 'echo' }] }
    })
    expectSound(outcome)
    expect(outcome.result.code).toBe(1)
    expect(posts(outcome.requests)).toHaveLength(1)
    const error = commands(outcome.result.stdout, 'error')[0]
    expect(error).toContain('Key ***')
    expect(textOf(renderGfm(outcome.result.summary))).toContain('Key ***')
  })

  it('an echoed key cut in half by the error excerpt leaves no part of it in the log or summary', async () => {
    // The excerpt keeps 300 characters; the key starts at 290, so a cut there would leave its start.
    const outcome = await runAgainstStandIn({
      statuses: STATUSES,
      faults: { trigger: [{ kind: 'echo', pad: 270 }] }
    })
    expect(outcome.result.code).toBe(1)
    const error = commands(outcome.result.stdout, 'error')[0]
    expect(error).toContain('Authorization: Key ***')
    const start = API_KEY.slice(0, 10)
    expect(outcome.result.stdout.split(`::add-mask::${API_KEY}`).join('')).not.toContain(start)
    expect(outcome.result.summary).not.toContain(start)
  })

  it('datafold-host: http://example.com is an input error and nothing is sent', async () => {
    const result = await runAction({
      inputs: { ...standInInputs('http://example.com'), 'request-timeout': '1' }
    })
    expect(result.code).toBe(1)
    const errors = commands(result.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/datafold-host is "http:\/\/example\.com".*https/)
    expect(result.outputs).toEqual({})
    expect(result.stdout).not.toMatch(/Triggering|Retrying/)
  })

  it('plain http to a host that is not loopback is refused before any request', async () => {
    // The stand-in listens on every interface, so a request to this machine's own address arrives.
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address
    const standIn = await startStandIn({ apiKey: API_KEY }, { host: '0.0.0.0' })
    try {
      const hosts = [`http://localhost.example.com:${standIn.port}`]
      if (address) hosts.push(`http://${address}:${standIn.port}`)
      for (const host of hosts) {
        const viaInput = await runAction({ inputs: standInInputs(host) })
        expect(viaInput.code).toBe(1)
        expect(commands(viaInput.stdout, 'error')[0]).toContain('datafold-host')
        const viaEnv = await runAction({
          inputs: { ...standInInputs(''), 'datafold-host': '' },
          env: { DATAFOLD_HOST: host }
        })
        expect(viaEnv.code).toBe(1)
        expect(commands(viaEnv.stdout, 'error')[0]).toContain('DATAFOLD_HOST')
      }
      expect(standIn.requests).toHaveLength(0)
    } finally {
      await standIn.close()
    }
  })
})
