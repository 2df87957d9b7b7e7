/**
 * run(deps) for the table pairs (diffs) and a run started earlier (ci-run-id), on a virtual clock
 * with an in-memory Datafold that models an API integration: the run it starts stays `waiting`
 * until its pairs arrive. Exact requests, outputs and the summary's table-pairs row.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { NetworkError } from '../src/http.js'
import { run } from '../src/main.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'
import {
  fakeTransport,
  type FakeAnswer,
  type FakeTransport
} from '../__fixtures__/fake-transport.js'
import { specViolations, type RecordedRequest } from '../__fixtures__/openapi.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'

const KEY = 'dfk_mainIntegrationsKey_4'
const EVENT_PATH = fileURLToPath(
  new URL('../__fixtures__/events/pull_request.synchronize.json', import.meta.url)
)
const EVENT = JSON.parse(readFileSync(EVENT_PATH, 'utf8')) as {
  number: number
  pull_request: { head: { sha: string } }
}
const ENV: NodeJS.ProcessEnv = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: EVENT_PATH,
  GITHUB_REPOSITORY: 'Codertocat/Hello-World'
}
const INPUTS = {
  'api-key': KEY,
  'ci-config-id': '42',
  'datafold-host': 'https://df.example.com',
  'show-data-diffs': 'false'
}
const PAIRS = [{ prod: 'db.prod.orders', pr: 'db.pr.orders', pk: ['id'] }]
const TRIGGER = '/api/v1/ci/42/trigger'
const UPLOAD = `/api/v1/ci/42/${EVENT.number}`
const RUNS = '/api/v1/ci/42/runs'

interface Sim {
  trigger?: FakeAnswer
  /** The upload's answer, or a NetworkError thrown after the pairs arrived (`attach`). */
  upload?: FakeAnswer | { lost: true; attach: boolean }
  /** A run that exists before the step, as if started earlier, with these statuses. */
  earlier?: string[]
}

/** Datafold with an API integration: run 501 waits until it has pairs, then is done. */
function datafold(sim: Sim): FakeTransport {
  let started = sim.earlier !== undefined
  let hasPairs = sim.earlier !== undefined
  let lists = 0
  return fakeTransport((request) => {
    if (request.method === 'POST' && request.path === TRIGGER) {
      started = true
      return sim.trigger ?? { status: 200, body: { ci_run_id: 501, run_id: 77 } }
    }
    if (request.method === 'POST' && request.path === UPLOAD) {
      const upload = sim.upload ?? { status: 200, body: { ci_run_id: 501, run_id: 77 } }
      if ('lost' in upload) {
        hasPairs = upload.attach
        throw new NetworkError('ECONNRESET', 'socket hang up', false)
      }
      hasPairs = true
      return upload
    }
    if (request.method === 'GET' && request.path === RUNS) {
      if (!started) return { status: 200, body: [] }
      const statuses = sim.earlier ?? ['done']
      const status = hasPairs ? statuses[Math.min(lists++, statuses.length - 1)] : 'waiting'
      const listed = {
        id: 501,
        status,
        pr_num: String(EVENT.number),
        pr_sha: EVENT.pull_request.head.sha
      }
      return { status: 200, body: [listed] }
    }
    return { status: 404, body: { detail: 'Not Found' } }
  })
}

async function runWith(inputs: Record<string, string>, sim: FakeTransport) {
  const toolkit = new FakeToolkit(inputs)
  const code = await run({
    toolkit,
    env: ENV,
    clock: new VirtualClock(),
    transport: sim.transport,
    random: () => 0.5
  })
  for (const request of sim.requests) expect(specViolations(request)).toEqual([])
  return { code, toolkit, requests: sim.requests }
}

const kinds = (requests: RecordedRequest[]): string[] =>
  requests.map((r) => `${r.method} ${r.path}`)

describe('run: diffs', () => {
  it('uploads the pairs once after the trigger, then follows the run; the summary counts them', async () => {
    const { code, toolkit, requests } = await runWith(
      { ...INPUTS, diffs: JSON.stringify(PAIRS) },
      datafold({})
    )
    expect(code).toBe(0)
    expect(kinds(requests)).toEqual([
      `GET ${RUNS}`,
      `POST ${TRIGGER}`,
      `POST ${UPLOAD}`,
      `GET ${RUNS}`
    ])
    expect(requests[2].body).toStrictEqual(PAIRS)
    expect(toolkit.summary).toContain('| Table pairs | 1 pair submitted |')
    expect(toolkit.outputs).toMatchObject({ 'ci-run-id': '501', verdict: 'success' })
  })

  it("names the run from the upload's answer when the trigger's named none (wait: false)", async () => {
    const { code, toolkit } = await runWith(
      { ...INPUTS, wait: 'false', diffs: JSON.stringify(PAIRS) },
      datafold({ trigger: { status: 200, body: { ci_run_id: null, run_id: null } } })
    )
    expect(code).toBe(0)
    expect(toolkit.outputs).toEqual({
      'ci-run-id': '501',
      'trigger-run-id': '77',
      'ci-run-started-by': 'trigger'
    })
  })

  it('a lost upload answer: warned, not repeated, and the run that got the pairs passes', async () => {
    const { code, toolkit, requests } = await runWith(
      { ...INPUTS, diffs: JSON.stringify(PAIRS) },
      datafold({ upload: { lost: true, attach: true } })
    )
    expect(code).toBe(0)
    expect(requests.filter((r) => r.path === UPLOAD)).toHaveLength(1)
    expect(toolkit.logs('warning')).toEqual([
      expect.stringMatching(
        /^The answer to the upload of the 1 table pair was lost: .*not sent again/
      )
    ])
    expect(toolkit.summary).toContain('| Table pairs | 1 pair sent, answer lost |')
  })

  it('a lost upload whose run never left waiting times out, saying the pairs most likely never arrived', async () => {
    const { code, toolkit } = await runWith(
      { ...INPUTS, diffs: JSON.stringify(PAIRS), 'wait-timeout-minutes': '5' },
      datafold({ upload: { lost: true, attach: false } })
    )
    expect(code).toBe(1)
    expect(toolkit.outputs).toMatchObject({ status: 'waiting', verdict: 'timed_out' })
    expect(toolkit.logs('error')[0]).toMatch(
      /Last problem: The answer to the upload of the 1 table pair was lost: .* The run still waits for table pairs, so Datafold most likely did not get them: re-run the job\.$/
    )
  })

  it('an upload refused by Datafold is an error naming the run left waiting', async () => {
    const { code, toolkit, requests } = await runWith(
      { ...INPUTS, diffs: JSON.stringify(PAIRS) },
      datafold({
        upload: {
          status: 422,
          body: { detail: [{ loc: ['body', 0, 'pr'], msg: 'field required' }] }
        }
      })
    )
    expect(code).toBe(1)
    expect(requests.filter((r) => r.path === UPLOAD)).toHaveLength(1)
    expect(toolkit.logs('error')).toEqual([
      'Datafold rejected the request as invalid (HTTP 422):\n  - body.0.pr: field required\nThe 1 table pair could not be uploaded, so the Datafold CI run triggered for pull request #2 waits for them without diffing anything.'
    ])
  })
})

describe('run: ci-run-id', () => {
  it('sends no trigger and follows the run to its verdict', async () => {
    const { code, toolkit, requests } = await runWith(
      { ...INPUTS, 'ci-run-id': '501' },
      datafold({ earlier: ['processing', 'done'] })
    )
    expect(code).toBe(0)
    expect(kinds(requests)).toEqual([`GET ${RUNS}`, `GET ${RUNS}`])
    expect(toolkit.outputs).toEqual({
      'ci-run-id': '501',
      'ci-run-started-by': 'ci-run-id',
      status: 'done',
      verdict: 'success'
    })
    expect(toolkit.logs('info')).toContain(
      'Following Datafold CI run 501 (input ci-run-id); no trigger is sent.'
    )
  })

  it('a run that is not listed for the commit by start-timeout-minutes is an error', async () => {
    const { code, toolkit, requests } = await runWith(
      { ...INPUTS, 'ci-run-id': '999' },
      datafold({ earlier: ['done'] })
    )
    expect(code).toBe(1)
    expect(requests.every((r) => r.method === 'GET')).toBe(true)
    expect(toolkit.logs('error')[0]).toMatch(
      /^Datafold does not list CI run 999 \(input ci-run-id\)/
    )
  })
})
