/**
 * The input `trigger` end to end: the bundled action (dist/index.js) against the stand-in Datafold,
 * whose repository integration may have started the commit's run on its own (a webhook) before the
 * step. One run per commit: the exact requests say how many triggers each mode sends, and which run
 * the step follows.
 */
import { specViolations } from '../__fixtures__/openapi.js'
import {
  commands,
  OPENED_PR,
  keyLeaks,
  runAgainstStandIn as run,
  type StandInRunResult
} from '../__fixtures__/run-action.js'
import type { Scenario, Webhook } from '../scripts/stand-in-datafold.js'

const PR = OPENED_PR
const OTHER_SHA = 'b'.repeat(40)
const TRIGGER = 'POST /api/v1/ci/42/trigger'
const LIST = 'GET /api/v1/ci/42/runs'
const UPLOAD = `POST /api/v1/ci/42/${PR.pr_number}`
const PAIRS = [{ prod: 'analytics.prod.orders', pr: 'analytics.pr_2.orders', pk: ['id'] }]

/** Datafold's own run of the head commit, started from GitHub's webhook before the step. */
const webhook = (state: Webhook['state'], extra: Partial<Webhook> = {}): Scenario => ({
  webhook: { pr: PR, state, ...extra }
})

const calls = ({ requests }: StandInRunResult): string[] =>
  requests.map((r) => `${r.method} ${r.path}`)
const count = (outcome: StandInRunResult, call: string): number =>
  calls(outcome).filter((c) => c === call).length

/** Every request as the spec says, every trigger for the head commit, every list asks for it. */
function expectWellBehaved(outcome: StandInRunResult): void {
  expect(outcome.result.killed).toBe(false)
  for (const request of outcome.requests) {
    expect(specViolations(request)).toEqual([])
    if (`${request.method} ${request.path}` === TRIGGER) expect(request.body).toStrictEqual(PR)
    if (`${request.method} ${request.path}` === LIST) expect(request.query.pr_sha).toBe(PR.pr_sha)
  }
  expect(keyLeaks(outcome.result)).toEqual([])
}

describe('trigger: auto (the default)', () => {
  it.each(['waiting', 'processing'] as const)(
    "follows Datafold's own unfinished run (%s) and sends no trigger",
    async (state) => {
      const outcome = await run(webhook(state))
      const { result } = outcome
      expect(result.code).toBe(0)
      expect(count(outcome, TRIGGER)).toBe(0)
      expect(calls(outcome).every((c) => c === LIST || c === 'GET /api/v1/datadiffs')).toBe(true)
      expect(result.outputs).toMatchObject({
        'ci-run-id': '1000',
        'ci-run-started-by': 'datafold',
        status: 'done',
        verdict: 'success'
      })
      expect(result.stdout).toContain(
        `Following Datafold CI run 1000, started by Datafold on its own for ${PR.pr_sha.slice(0, 7)} (trigger: auto): it is the newest run of the commit, ${state}. No trigger is sent.`
      )
      expect(result.summary).toContain('| Started by | Datafold on its own |')
      expect(outcome.runs).toHaveLength(1)
      expectWellBehaved(outcome)
    }
  )

  it("follows a finished run on the job's first attempt: its verdict, no trigger", async () => {
    const outcome = await run(webhook('done'))
    expect(outcome.result.code).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(0)
    expect(calls(outcome)).toEqual([LIST, LIST, 'GET /api/v1/datadiffs'])
    expect(outcome.result.outputs).toMatchObject({
      'ci-run-id': '1000',
      'ci-run-started-by': 'datafold',
      verdict: 'success'
    })
    expectWellBehaved(outcome)
  })

  it('triggers once on a re-run (GITHUB_RUN_ATTEMPT 2) whose commit has a finished run', async () => {
    const outcome = await run(webhook('done'), {}, { env: { GITHUB_RUN_ATTEMPT: '2' } })
    const { result } = outcome
    expect(result.code).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(1)
    expect(calls(outcome).slice(0, 2)).toEqual([LIST, TRIGGER])
    expect(result.outputs).toMatchObject({ 'ci-run-id': '1001', 'ci-run-started-by': 'trigger' })
    expect(result.stdout).toContain(
      'is done and this job is a re-run (attempt 2), which asks for a fresh verdict.'
    )
    expect(result.summary).toContain("| Started by | this step's trigger |")
    expectWellBehaved(outcome)
  })

  it('triggers once when the newest run of the commit was cancelled', async () => {
    const outcome = await run({
      existingRuns: [{ id: 900, status: 'cancelled', pr_num: '2', pr_sha: PR.pr_sha }]
    })
    expect(outcome.result.code).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(1)
    expect(outcome.result.outputs).toMatchObject({
      'ci-run-id': '1000',
      'ci-run-started-by': 'trigger'
    })
    expect(outcome.result.stdout).toContain('the newest run of the commit, 900, was cancelled')
    expectWellBehaved(outcome)
  })

  it('triggers once when the commit has no run', async () => {
    const outcome = await run({})
    expect(outcome.result.code).toBe(0)
    expect(calls(outcome).slice(0, 2)).toEqual([LIST, TRIGGER])
    expect(count(outcome, TRIGGER)).toBe(1)
    expect(outcome.result.outputs['ci-run-started-by']).toBe('trigger')
    expectWellBehaved(outcome)
  })

  it("never follows another commit's run, even when the list ignores pr_sha: it triggers", async () => {
    // A done run of another commit, newest of all; the filter that would hide it is ignored.
    const outcome = await run({
      ignoreShaFilter: true,
      statuses: ['processing', 'failed'],
      existingRuns: [{ id: 2000, status: 'done', pr_num: '2', pr_sha: OTHER_SHA }]
    })
    const { result } = outcome
    expect(count(outcome, TRIGGER)).toBe(1)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({
      'ci-run-id': '1000',
      'ci-run-started-by': 'trigger',
      verdict: 'failure'
    })
    expect(result.stdout).not.toContain('Datafold CI run 2000')
    expectWellBehaved(outcome)
  })
})

describe('trigger: always', () => {
  it('triggers a second run where Datafold started one, and follows its own', async () => {
    const outcome = await run(webhook('waiting'), { trigger: 'always' })
    expect(outcome.result.code).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(1)
    expect(outcome.runs.map((r) => r.id)).toEqual([1000, 1001])
    expect(outcome.result.outputs).toMatchObject({
      'ci-run-id': '1001',
      'ci-run-started-by': 'trigger'
    })
    expectWellBehaved(outcome)
  })

  it("says so when Datafold's own run appears only after the trigger, and follows the trigger's", async () => {
    const outcome = await run(webhook('processing', { appearAfter: 1 }), { trigger: 'always' })
    expect(outcome.result.code).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(1)
    expect(outcome.result.outputs['ci-run-id']).toBe('1001')
    expect(outcome.result.stdout).toContain(
      'The commit has another Datafold CI run, 1000, that was not listed before the trigger'
    )
    expectWellBehaved(outcome)
  })
})

describe('trigger: never', () => {
  it('waits for a run that appears late, sends no trigger, and follows it', async () => {
    const outcome = await run(webhook('processing', { appearAfter: 3 }), { trigger: 'never' })
    const { result } = outcome
    expect(result.code).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(0)
    expect(result.outputs).toMatchObject({
      'ci-run-id': '1000',
      'ci-run-started-by': 'datafold',
      verdict: 'success'
    })
    expect(result.stdout).toContain(
      'No trigger is sent: trigger is never and Datafold lists no run of the commit yet.'
    )
    expect(result.stdout).toContain(
      'Following Datafold CI run 1000, the one Datafold started for this commit on its own.'
    )
    expectWellBehaved(outcome)
  })

  it('a run that never appears: skipped at start-timeout-minutes, no trigger', async () => {
    const outcome = await run({}, { trigger: 'never', 'start-timeout-minutes': '0.01' })
    const { result } = outcome
    expect(result.code).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(0)
    expect(count(outcome, LIST)).toBeGreaterThanOrEqual(2)
    expect(result.outputs).toEqual({ verdict: 'skipped' })
    expect(outcome.runs).toEqual([])
    expectWellBehaved(outcome)
  })

  it.each([['fail-on-skip'], ['fail-on-data-changes']])(
    'a run that never appears fails the step under %s',
    async (input) => {
      const outcome = await run(
        {},
        { trigger: 'never', 'start-timeout-minutes': '0.01', [input]: 'true' }
      )
      expect(outcome.result.code).toBe(1)
      expect(count(outcome, TRIGGER)).toBe(0)
      expect(outcome.result.outputs.verdict).toBe('skipped')
    }
  )
})

describe('diffs reach the run the step follows, whoever started it', () => {
  const api: Scenario = { apiIntegration: true, statuses: ['processing', 'done'] }
  it.each([
    ['auto', webhook('waiting'), 0, 1000, 'datafold'],
    ['never', webhook('waiting', { appearAfter: 2 }), 0, 1000, 'datafold'],
    ['always', webhook('waiting'), 1, 1001, 'trigger'],
    ['auto', {}, 1, 1000, 'trigger']
  ] as const)(
    'trigger: %s (%j): %d triggers, the pairs go to run %d',
    async (mode, scenario, triggers, runId, startedBy) => {
      const outcome = await run(
        { ...api, ...scenario },
        { trigger: mode, diffs: JSON.stringify(PAIRS) }
      )
      expect(outcome.result.code).toBe(0)
      expect(count(outcome, TRIGGER)).toBe(triggers)
      expect(count(outcome, UPLOAD)).toBe(1)
      expect(outcome.requests.find((r) => `${r.method} ${r.path}` === UPLOAD)?.body).toStrictEqual(
        PAIRS
      )
      expect(outcome.runs.find((r) => r.id === runId)?.pairs).toStrictEqual(PAIRS)
      expect(outcome.result.outputs).toMatchObject({
        'ci-run-id': String(runId),
        'ci-run-started-by': startedBy,
        verdict: 'success'
      })
      expectWellBehaved(outcome)
    }
  )

  it('trigger: never with wait: false uploads the pairs to the waiting run and ends', async () => {
    const outcome = await run(
      { ...api, ...webhook('waiting') },
      { trigger: 'never', wait: 'false', diffs: JSON.stringify(PAIRS) }
    )
    expect(outcome.result.code).toBe(0)
    expect(calls(outcome)).toEqual([LIST, UPLOAD])
    expect(outcome.runs[0].pairs).toStrictEqual(PAIRS)
    expect(outcome.result.outputs).toMatchObject({
      'ci-run-id': '1000',
      'ci-run-started-by': 'datafold'
    })
    expect(outcome.result.summary).toMatch(/^### ⚠️ Datafold CI run found/)
    expectWellBehaved(outcome)
  })
})

describe('trigger: never, wait: false, diffs: the run is found first', () => {
  it('a run that appears late gets the pairs once it is listed, and the step ends', async () => {
    const outcome = await run(
      { apiIntegration: true, ...webhook('waiting', { appearAfter: 2 }) },
      { trigger: 'never', wait: 'false', diffs: JSON.stringify(PAIRS) }
    )
    expect(outcome.result.code).toBe(0)
    expect(calls(outcome)).toEqual([LIST, LIST, LIST, UPLOAD])
    expect(outcome.runs[0].pairs).toStrictEqual(PAIRS)
    expect(outcome.result.outputs).toMatchObject({
      'ci-run-id': '1000',
      'ci-run-started-by': 'datafold'
    })
    expectWellBehaved(outcome)
  })

  it('a run that never appears: nothing is uploaded, skipped at start-timeout-minutes', async () => {
    const outcome = await run(
      { apiIntegration: true },
      {
        trigger: 'never',
        wait: 'false',
        diffs: JSON.stringify(PAIRS),
        'start-timeout-minutes': '0.01'
      }
    )
    expect(outcome.result.code).toBe(0)
    expect(count(outcome, UPLOAD)).toBe(0)
    expect(count(outcome, TRIGGER)).toBe(0)
    expect(outcome.result.outputs).toEqual({ verdict: 'skipped' })
  })
})

describe('ci-run-id: only a run of the head commit', () => {
  it.each([['false'], ['true']])(
    'a run Datafold lists under another commit fails the step, naming the input and both commits (fail-on-data-changes: %s)',
    async (gate) => {
      const outcome = await run(
        {
          ignoreShaFilter: true,
          statuses: ['done'],
          startedEarlier: { ...PR, pr_sha: OTHER_SHA }
        },
        { 'ci-run-id': '1000', 'fail-on-data-changes': gate }
      )
      const { result } = outcome
      expect(result.code).toBe(1)
      expect(count(outcome, TRIGGER)).toBe(0)
      expect(commands(result.stdout, 'error')).toEqual([
        `Input ci-run-id is 1000, but Datafold lists CI run 1000 under commit ${OTHER_SHA}, not under the pull request's head commit ${PR.pr_sha}. Its verdict is not this commit's, so the step fails; pass the ci-run-id output of the step that started a run for ${PR.pr_sha}, or leave ci-run-id empty.`
      ])
      expect(result.outputs.verdict ?? '').toBe('')
      expect(result.outputs.status ?? '').toBe('')
    }
  )
})

describe('trigger: bad values', () => {
  it.each(['sometimes', 'TRUE'])(
    'trigger: %s is an input error, and nothing is sent',
    async (value) => {
      const outcome = await run(webhook('waiting'), { trigger: value })
      expect(outcome.result.code).toBe(1)
      expect(outcome.requests).toEqual([])
      expect(commands(outcome.result.stdout, 'error')).toEqual([
        `Input trigger is "${value}": expected auto, always or never.`
      ])
    }
  )

  it('trigger: always with ci-run-id is an input error, and nothing is sent', async () => {
    const outcome = await run(webhook('waiting'), { trigger: 'always', 'ci-run-id': '1000' })
    expect(outcome.result.code).toBe(1)
    expect(outcome.requests).toEqual([])
    expect(commands(outcome.result.stdout, 'error')[0]).toMatch(
      /^Input trigger is always but ci-run-id is set/
    )
  })
})
