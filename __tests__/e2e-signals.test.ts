/**
 * A cancelled workflow, end to end: the runner sends SIGINT (then SIGTERM 7.5 s later, then kills the
 * process). On either signal the bundled action must stop waiting, set the outputs it knows, write a
 * job summary that says the workflow cancelled it and which Datafold run keeps running, and exit
 * non-zero within 2 seconds, whether it was sleeping between checks, waiting on a hung request or
 * waiting out a Retry-After.
 */
import {
  API_KEY,
  keyLeaks,
  standInInputs,
  startAction,
  type ActionResult
} from '../__fixtures__/run-action.js'
import { startStandIn, type Scenario, type StandIn } from '../scripts/stand-in-datafold.js'

const EXIT_WITHIN_MS = 2000

/**
 * Runs the action against `scenario`; once its log matches `logged` and `ready` holds for the
 * stand-in, sends `signal`, and returns how the action ended.
 */
async function cancelMidRun(
  signal: NodeJS.Signals,
  scenario: Scenario,
  inputs: Record<string, string> = {},
  ready: (standIn: StandIn) => boolean = () => true,
  logged = /Datafold CI run 1000 is processing/
): Promise<{ result: ActionResult; standIn: StandIn }> {
  const standIn = await startStandIn({ apiKey: API_KEY, ...scenario })
  const action = startAction({
    inputs: { ...standInInputs(standIn.url), 'wait-timeout-minutes': '1', ...inputs },
    killAfterMs: 15_000
  })
  try {
    await action.waitForStdout(logged)
    await waitFor(() => ready(standIn))
    action.sendSignal(signal)
    return { result: await action.result, standIn }
  } finally {
    if (action.child.exitCode === null && action.child.signalCode === null)
      action.child.kill('SIGKILL')
    await action.result.catch(() => undefined)
    await standIn.close()
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function expectCancelledCleanly(result: ActionResult): void {
  expect(result.killed).toBe(false)
  expect(result.exitSignal).toBeNull()
  expect(result.code).not.toBe(0)
  expect(result.code).not.toBeNull()
  expect(result.exitAfterSignalMs).toBeLessThan(EXIT_WITHIN_MS)
  expect(result.summary).toMatch(/cancelled by the workflow/i)
  expect(result.summary).toContain('Datafold CI run 1000 keeps running')
  expect(result.summary).toContain('last status processing')
  expect(result.outputs).toMatchObject({
    'ci-run-id': '1000',
    'trigger-run-id': '6000',
    status: 'processing'
  })
  expect(keyLeaks(result)).toEqual([])
}

const processing: Scenario = { statuses: ['processing'] }

describe.each<NodeJS.Signals>(['SIGINT', 'SIGTERM'])('on %s from the runner', (signal) => {
  it('while sleeping between status checks: stops, reports, exits within 2 s', async () => {
    // A long interval: the signal lands in the sleep between two checks.
    const { result, standIn } = await cancelMidRun(signal, processing, {
      'poll-interval': '20',
      'max-poll-interval': '20'
    })
    expectCancelledCleanly(result)
    const checks = standIn.requests.filter((r) => r.method === 'GET').length
    expect(checks).toBe(2) // before the trigger, then the check that saw processing; none after
  })

  it('while a status check hangs: abandons the request at once', async () => {
    // The 4th request (the second status check) never gets an answer.
    const { result, standIn } = await cancelMidRun(
      signal,
      { ...processing, faults: { runs: [null, null, { kind: 'hang' }] } },
      { 'request-timeout': '60' },
      (standIn) => standIn.requests.length >= 4
    )
    expectCancelledCleanly(result)
    expect(standIn.requests).toHaveLength(4)
  })

  it('while waiting out a Retry-After of 30 s: does not sleep it through', async () => {
    const { result, standIn } = await cancelMidRun(
      signal,
      {
        ...processing,
        faults: { runs: [null, null, { status: 503, headers: { 'Retry-After': '30' } }] }
      },
      {},
      (standIn) => standIn.requests.length >= 4
    )
    expectCancelledCleanly(result)
    expect(standIn.requests).toHaveLength(4)
  })

  it('while the trigger hangs: stops at once and says what is known', async () => {
    const { result, standIn } = await cancelMidRun(
      signal,
      { ...processing, faults: { trigger: [{ kind: 'hang', process: true }] } },
      { 'request-timeout': '60' },
      (standIn) => standIn.requests.length >= 2,
      /Triggering CI config/
    )
    expect(result.killed).toBe(false)
    expect(result.code).toBe(1)
    expect(result.exitAfterSignalMs).toBeLessThan(EXIT_WITHIN_MS)
    expect(result.summary).toMatch(/cancelled by the workflow/i)
    expect(result.summary).toContain('Datafold may have started a CI run for this commit')
    expect(result.outputs).toEqual({})
    expect(standIn.requests.map((r) => r.method)).toEqual(['GET', 'POST'])
    expect(keyLeaks(result)).toEqual([])
  })

  it('before the trigger: says nothing was started in Datafold', async () => {
    // The list of existing runs, sent before the trigger, never gets an answer.
    const { result, standIn } = await cancelMidRun(
      signal,
      { ...processing, faults: { runs: [{ kind: 'hang' }] } },
      { 'request-timeout': '60' },
      (standIn) => standIn.requests.length >= 1,
      /Pull request #2/
    )
    expect(result.killed).toBe(false)
    expect(result.code).toBe(1)
    expect(result.exitAfterSignalMs).toBeLessThan(EXIT_WITHIN_MS)
    expect(result.summary).toContain(
      'Cancelled by the workflow before Datafold CI was triggered; nothing was started in Datafold.'
    )
    expect(result.summary).toContain('not triggered')
    expect(result.outputs).toEqual({})
    expect(standIn.requests.map((r) => r.method)).toEqual(['GET'])
  })
})
