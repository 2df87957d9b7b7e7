import type { CiRun } from '../src/datafold-client.js'
import { DatafoldError } from '../src/datafold-client.js'
import { nextPollDelayMs } from '../src/schedule.js'
import { findRun, waitForRun, type RunTarget, type WaitOptions } from '../src/wait-for-run.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'

const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
const MIN = 60_000

type Step = CiRun[] | Error

/**
 * A client whose listRuns answers from a script, one entry per call; the last entry repeats.
 * Records the SHA and the virtual time of each call.
 */
function scriptedClient(clock: VirtualClock, script: Step[]) {
  const calls: { sha: string; at: number }[] = []
  let index = 0
  return {
    calls,
    listRuns: async (sha: string): Promise<CiRun[]> => {
      calls.push({ sha, at: clock.now() })
      const step = script[Math.min(index++, script.length - 1)]
      if (step instanceof Error) throw step
      return step.map((run) => ({ ...run }))
    }
  }
}

const run = (id: number, status: string, pr_num: string | undefined = '2'): CiRun => ({
  id,
  status,
  pr_num,
  pr_sha: SHA
})

function setup(
  script: Step[],
  target: RunTarget = { ciRunId: 11 },
  overrides: Partial<WaitOptions> = {}
) {
  const clock = new VirtualClock()
  const log = new FakeToolkit()
  const client = scriptedClient(clock, script)
  const options: WaitOptions = {
    client,
    prSha: SHA,
    target,
    clock,
    schedule: { pollIntervalMs: 5_000, maxPollIntervalMs: 30_000 },
    startedAtMs: clock.now(),
    deadlineMs: clock.now() + 60 * MIN,
    startDeadlineMs: clock.now() + 2 * MIN,
    log,
    // The middle of the jitter band: the schedule's exact delays.
    random: () => 0.5,
    ...overrides
  }
  return { clock, log, client, options }
}

const statusLines = (log: FakeToolkit): string[] =>
  log.logs('info').filter((line) => /^Datafold CI run \d+ is /.test(line))

describe('waitForRun: following the run the trigger named', () => {
  it('follows ci_run_id, not an older run of the same commit', async () => {
    const { options, client, log } = setup([
      [run(10, 'failed'), run(11, 'queued')],
      [run(10, 'failed'), run(11, 'processing')],
      [run(10, 'failed'), run(11, 'done')]
    ])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(11, 'done'),
      conclusion: 'success'
    })
    expect(result.polls).toBe(3)
    expect(client.calls.map((c) => c.sha)).toEqual([SHA, SHA, SHA])
    expect(log.everything()).not.toMatch(/run 10/)
  })

  it.each([
    ['done', 'success'],
    ['failed', 'failure'],
    ['cancelled', 'cancelled'],
    ['DONE', 'success']
  ])('ends on %p with conclusion %p', async (status, conclusion) => {
    const { options } = setup([[run(11, 'processing')], [run(11, status)]])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'finished', run: run(11, status), conclusion })
    expect(result.polls).toBe(2)
  })

  it('keeps waiting while the run shows up a few polls late', async () => {
    const { options, log } = setup([
      [],
      [run(10, 'done')],
      [],
      [run(11, 'queued')],
      [run(11, 'done')]
    ])
    const result = await waitForRun(options)
    expect(result.outcome.kind).toBe('finished')
    expect(result.polls).toBe(5)
    expect(log.logs('debug')).toEqual(
      [1, 2, 3].map(
        (check) => `Datafold CI run 11 is not in the list for ${SHA} yet (check ${check}); waiting.`
      )
    )
  })

  it('keeps waiting when the run drops out of the list for a poll', async () => {
    const { options } = setup([
      [run(11, 'processing')],
      [],
      [run(11, 'processing')],
      [run(11, 'done')]
    ])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(11, 'done'),
      conclusion: 'success'
    })
    expect(result.polls).toBe(4)
  })

  it('does not give up at the start deadline when the trigger named the run', async () => {
    const { options } = setup(
      [[]],
      { ciRunId: 11 },
      { deadlineMs: new VirtualClock().now() + 5 * MIN }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'timed_out', run: undefined })
  })
})

describe('waitForRun: when the trigger named no run', () => {
  const target = (existing: number[]): RunTarget => ({
    existingRunIds: new Set(existing),
    prNumber: 2
  })

  it('follows the newest new run of this pull request', async () => {
    const { options, log } = setup(
      [
        [run(10, 'done')],
        [run(10, 'done'), run(12, 'queued'), run(13, 'queued', '5'), run(11, 'queued')],
        [run(10, 'done'), run(12, 'processing'), run(13, 'done', '5'), run(11, 'failed')],
        [run(10, 'done'), run(12, 'done'), run(13, 'done', '5'), run(11, 'failed')]
      ],
      target([10])
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(12, 'done'),
      conclusion: 'success'
    })
    expect(result.polls).toBe(4)
    expect(log.logs('info')).toContain(
      'Following Datafold CI run 12, the one created for this commit by the trigger.'
    )
  })

  it.each([
    ['oldest first', [run(10, 'done'), run(11, 'queued'), run(12, 'queued')]],
    ['newest first', [run(12, 'queued'), run(11, 'queued'), run(10, 'done')]],
    ['in no order', [run(11, 'queued'), run(10, 'done'), run(12, 'queued')]]
  ])('picks the highest new id whatever the order of the list (%s)', async (_order, runs) => {
    const { options, log } = setup([runs, [run(11, 'failed'), run(12, 'done')]], target([10]))
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(12, 'done'),
      conclusion: 'success'
    })
    expect(log.logs('info')[0]).toBe(
      'Following Datafold CI run 12, the one created for this commit by the trigger.'
    )
  })

  it('accepts a new run that does not say its pull request number', async () => {
    const unnumbered: CiRun = { id: 14, status: 'done', pr_sha: SHA }
    const { options } = setup([[run(10, 'done'), unnumbered]], target([10]))
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'finished', run: unnumbered, conclusion: 'success' })
  })

  it('skips a new run of another pull request, even when it is the only one', async () => {
    const { options, log } = setup(
      [[run(14, 'done', '5')], [run(14, 'done', '5'), run(15, 'done', '2')]],
      target([])
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(15, 'done'),
      conclusion: 'success'
    })
    expect(result.polls).toBe(2)
    expect(log.everything()).not.toMatch(/run 14/)
  })

  it('keeps following its run when a newer one appears later', async () => {
    const { options, log } = setup(
      [
        [run(10, 'done'), run(12, 'queued')],
        [run(10, 'done'), run(12, 'processing'), run(13, 'failed')],
        [run(10, 'done'), run(12, 'done'), run(13, 'failed')]
      ],
      target([10])
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(12, 'done'),
      conclusion: 'success'
    })
    expect(result.polls).toBe(3)
    expect(log.logs('info').filter((line) => line.startsWith('Following'))).toEqual([
      'Following Datafold CI run 12, the one created for this commit by the trigger.'
    ])
    expect(log.everything()).not.toMatch(/run 13/)
  })

  it('says in the debug log what it is still waiting for', async () => {
    const { options, log } = setup(
      [[run(10, 'done')], [run(10, 'done'), run(11, 'done')]],
      target([10])
    )
    await waitForRun(options)
    expect(log.logs('debug')).toEqual([`No new Datafold CI run for ${SHA} yet (check 1).`])
  })

  it('never follows a run that existed before the trigger, and concludes not_started', async () => {
    const { options, clock, log } = setup([[run(10, 'failed'), run(9, 'done')]], target([9, 10]))
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'not_started' })
    // Polls every 5 s up to 50 s, then every 10% of the time waited (55, 60.5, 66.6, 73.2, 80.5,
    // 88.6, 97.4, 107.2, 117.9 s), and a last time at the start deadline (120 s).
    expect(result.polls).toBe(21)
    expect(clock.elapsed()).toBe(2 * MIN)
    expect(log.everything()).not.toMatch(/Following|run (9|10) is/)
  })

  it('decides not_started only on a list asked for after the start deadline', async () => {
    // The first list is asked for at once but answered (after retries) only past the start
    // deadline, empty: it shows the world as it was before the deadline, so one more look is due.
    const { options, clock, client } = setup(
      [[run(10, 'done')], [run(10, 'done'), run(11, 'done')]],
      target([10])
    )
    const listRuns = client.listRuns
    options.client = {
      listRuns: async (sha: string) => {
        const answer = await listRuns(sha)
        if (client.calls.length === 1) clock.advance(3 * MIN)
        return answer
      }
    }
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(11, 'done'),
      conclusion: 'success'
    })
    expect(client.calls.map((call) => call.at - options.startedAtMs)).toEqual([0, 3 * MIN])
  })

  it('picks up a run that appears just before the start deadline', async () => {
    // The 21st check is the one at the start deadline (see above).
    const script: Step[] = Array.from({ length: 20 }, () => [run(10, 'done')])
    script.push([run(10, 'done'), run(15, 'queued')], [run(10, 'done'), run(15, 'done')])
    const { options } = setup(script, target([10]))
    const result = await waitForRun(options)
    expect(result.outcome).toMatchObject({ kind: 'finished', run: { id: 15 } })
    expect(result.polls).toBe(22)
  })
})

describe('waitForRun: what is logged', () => {
  it('logs each status change once, with the elapsed time', async () => {
    const { options, log } = setup([
      [run(11, 'queued')],
      [run(11, 'queued')],
      [run(11, 'queued')],
      [run(11, 'processing')],
      [run(11, 'processing')],
      [run(11, 'done')]
    ])
    await waitForRun(options)
    expect(statusLines(log)).toEqual([
      'Datafold CI run 11 is queued (after 0s).',
      'Datafold CI run 11 is processing (after 15s).',
      'Datafold CI run 11 is done (after 25s).'
    ])
  })

  it('notes an unknown status once, however often it comes back', async () => {
    const { options, log } = setup([
      [run(11, 'running')],
      [run(11, 'running')],
      [run(11, 'queued')],
      [run(11, 'running')],
      [run(11, 'running')],
      [run(11, 'done')]
    ])
    const result = await waitForRun(options)
    expect(result.outcome.kind).toBe('finished')
    expect(log.logs('notice')).toEqual([
      'Datafold reported status "running", which this action does not know; treating the run as still in progress.'
    ])
    expect(statusLines(log)).toHaveLength(4)
    expect(log.logs('warning')).toEqual([])
    expect(log.logs('error')).toEqual([])
  })

  it('does not note the documented running statuses', async () => {
    const { options, log } = setup([
      [run(11, 'waiting')],
      [run(11, 'queued')],
      [run(11, 'processing')],
      [run(11, 'done')]
    ])
    await waitForRun(options)
    expect(log.logs('notice')).toEqual([])
  })
})

describe('waitForRun: deadlines and the schedule', () => {
  it('makes a last check a second before the deadline, then times out with the last run', async () => {
    const deadline = new VirtualClock().now() + 62_500
    const { options, clock } = setup(
      [[run(11, 'processing')]],
      { ciRunId: 11 },
      { deadlineMs: deadline }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'timed_out', run: run(11, 'processing') })
    expect(clock.now()).toBe(deadline - 1_000)
    clock.sleeps.forEach((ms, i) => {
      expect(clock.sleptAt[i] + ms).toBeLessThanOrEqual(deadline)
    })
    // Checks at 0, 5, ... 50 s, 55 s and 60.5 s, then the last wait shortened to a last check at
    // 61.5 s, a second before the deadline.
    expect(clock.sleeps.slice(-3)).toEqual([5_000, 5_500, 1_000])
    expect(result.polls).toBe(14)
  })

  it('keeps a twentieth of a very short time limit for the last check, not a whole second', async () => {
    const clock = new VirtualClock()
    const { options } = setup(
      [[run(11, 'processing')]],
      { ciRunId: 11 },
      { clock, startedAtMs: clock.now(), deadlineMs: clock.now() + 10_000 }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'timed_out', run: run(11, 'processing') })
    // Checks at 0 and 5 s, and the last at 9.5 s: half a second before the deadline.
    expect(clock.sleeps).toEqual([5_000, 4_500])
    expect(result.polls).toBe(3)
  })

  it('sees a run that finishes just before the deadline finished, not timed out', async () => {
    const clock = new VirtualClock()
    const deadline = clock.now() + 62_500
    const client = {
      listRuns: async (): Promise<CiRun[]> => [
        run(11, clock.now() >= deadline - 1_500 ? 'done' : 'processing')
      ]
    }
    const { options } = setup([], { ciRunId: 11 }, { clock, client, deadlineMs: deadline })
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(11, 'done'),
      conclusion: 'success'
    })
    expect(clock.now()).toBe(deadline - 1_000)
  })

  it('waits on a schedule that grows with the time waited, up to max-poll-interval', async () => {
    const runMs = 20 * MIN
    const clock = new VirtualClock()
    const start = clock.now()
    const client = {
      listRuns: async (): Promise<CiRun[]> => [
        run(11, clock.now() - start >= runMs ? 'done' : 'processing')
      ]
    }
    const schedule = { pollIntervalMs: 5_000, maxPollIntervalMs: 30_000 }
    const result = await waitForRun({
      client,
      prSha: SHA,
      target: { ciRunId: 11 },
      clock,
      schedule,
      startedAtMs: start,
      deadlineMs: start + 60 * MIN,
      startDeadlineMs: start + 2 * MIN,
      log: new FakeToolkit(),
      random: () => 0.5
    })
    expect(result.outcome.kind).toBe('finished')
    // Each wait is the schedule's delay for the time waited so far.
    clock.sleeps.forEach((ms, i) => {
      expect(ms).toBe(nextPollDelayMs(clock.sleptAt[i] - start, schedule, () => 0.5))
    })
    // The waits never shrink, start at poll-interval and reach max-poll-interval.
    for (let i = 1; i < clock.sleeps.length; i++) {
      expect(clock.sleeps[i]).toBeGreaterThanOrEqual(clock.sleeps[i - 1])
    }
    expect(clock.sleeps[0]).toBe(5_000)
    expect(Math.max(...clock.sleeps)).toBe(30_000)
    // poll-interval until 10% of the time waited exceeds it (after 50 s): 11 waits of 5 s.
    expect(clock.sleeps.filter((ms) => ms === 5_000)).toHaveLength(11)
    // Far fewer checks than a fixed 5 s interval (240), and the run noticed within 30 s.
    expect(result.polls).toBe(clock.sleeps.length + 1)
    expect(result.polls).toBeLessThan(70)
    expect(clock.now() - start - runMs).toBeLessThanOrEqual(30_000)
    expect(clock.now() - start - runMs).toBeGreaterThanOrEqual(0)
  })

  it('draws each wait from the jitter band with the random source it is given', async () => {
    const draws = [0, 0.75, 0.5]
    const { options, clock } = setup(
      [[run(11, 'queued')], [run(11, 'queued')], [run(11, 'queued')], [run(11, 'done')]],
      { ciRunId: 11 },
      { random: () => draws[clock.sleeps.length] }
    )
    const result = await waitForRun(options)
    expect(result.outcome.kind).toBe('finished')
    expect(clock.sleeps).toEqual([4_000, 5_500, 5_000])
  })

  it('shortens the wait to the start deadline while no run is followed', async () => {
    const clock = new VirtualClock()
    const { options } = setup(
      [[]],
      { existingRunIds: new Set(), prNumber: 2 },
      {
        clock,
        startedAtMs: clock.now(),
        deadlineMs: clock.now() + 60 * MIN,
        startDeadlineMs: clock.now() + 12_000,
        schedule: { pollIntervalMs: 5_000, maxPollIntervalMs: 30_000 }
      }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'not_started' })
    expect(clock.sleeps).toEqual([5_000, 5_000, 2_000])
    expect(result.polls).toBe(4)
  })
})

describe('waitForRun: a start window longer than the step', () => {
  it('ends a second before the deadline with a last check, and concludes timed_out: the window never closed', async () => {
    const clock = new VirtualClock()
    const { options } = setup(
      [[]],
      { existingRunIds: new Set(), prNumber: 2 },
      {
        clock,
        client: scriptedClient(clock, [[]]),
        startedAtMs: clock.now(),
        deadlineMs: clock.now() + 20_000,
        startDeadlineMs: clock.now() + 2 * MIN
      }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'timed_out' })
    expect(clock.sleeps).toEqual([5_000, 5_000, 5_000, 4_000])
    expect(result.polls).toBe(5)
    expect(clock.elapsed()).toBe(19_000)
  })

  it('still follows a run that appears at that last check', async () => {
    const clock = new VirtualClock()
    const { options } = setup(
      [],
      { existingRunIds: new Set(), prNumber: 2 },
      {
        clock,
        client: scriptedClient(clock, [[], [], [], [], [run(15, 'done')]]),
        startedAtMs: clock.now(),
        deadlineMs: clock.now() + 20_000,
        startDeadlineMs: clock.now() + 2 * MIN
      }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toMatchObject({ kind: 'finished', run: { id: 15 } })
  })
})

describe('waitForRun: cancellation and errors', () => {
  it('stops with the last run when the workflow is cancelled mid-wait', async () => {
    const controller = new AbortController()
    const { options, clock } = setup(
      [[run(11, 'queued')], [run(11, 'processing')]],
      { ciRunId: 11 },
      {
        signal: controller.signal
      }
    )
    clock.onSleep = () => {
      if (clock.sleeps.length === 3) controller.abort()
    }
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'aborted', run: run(11, 'processing') })
    expect(result.polls).toBe(3)
  })

  it('does not poll at all with an already aborted signal', async () => {
    const { options, client } = setup(
      [[run(11, 'done')]],
      { ciRunId: 11 },
      {
        signal: AbortSignal.abort()
      }
    )
    const result = await waitForRun(options)
    expect(result).toEqual({ outcome: { kind: 'aborted', run: undefined }, polls: 0 })
    expect(client.calls).toHaveLength(0)
  })

  it('reports aborted, not error, when the poll fails because of the cancellation', async () => {
    const controller = new AbortController()
    const { options } = setup([], { ciRunId: 11 }, { signal: controller.signal })
    let calls = 0
    options.client = {
      listRuns: async () => {
        calls++
        if (calls === 1) return [run(11, 'queued')]
        // The signal arrives while the request is in flight; the client gives up with an error.
        controller.abort()
        throw new DatafoldError('GET /api/v1/ci/42/runs was cancelled.')
      }
    }
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'aborted', run: run(11, 'queued') })
    expect(result.polls).toBe(1)
  })

  it('turns a thrown out-of-time error into timed_out, with the reason', async () => {
    const { options } = setup([
      [run(11, 'processing')],
      new DatafoldError(
        'Datafold had a server error (HTTP 503). The time limit leaves no room for another try.',
        { outOfTime: true }
      )
    ])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'timed_out',
      run: run(11, 'processing'),
      reason:
        'Datafold had a server error (HTTP 503). The time limit leaves no room for another try.'
    })
    expect(result.polls).toBe(1)
  })

  it.each([
    new DatafoldError('Datafold refused the API key (HTTP 401) at https://app.datafold.com.'),
    new Error('something else')
  ])('turns any other thrown error into error, with the last run (%p)', async (error) => {
    const { options } = setup([[run(11, 'queued')], error])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'error',
      run: run(11, 'queued'),
      message: error.message
    })
    expect(result.polls).toBe(1)
  })
})

describe('waitForRun: pr_num compared as a number (issue 15, defect 7)', () => {
  it.each(['#2', ' 2', '2 ', '02'])(
    'follows a new run listed with pr_num %p for pull request 2',
    async (prNum) => {
      const { options } = setup([[run(15, 'done', prNum)]], {
        existingRunIds: new Set(),
        prNumber: 2
      })
      const result = await waitForRun(options)
      expect(result.outcome).toMatchObject({ kind: 'finished', run: { id: 15 } })
    }
  )

  it.each(['#12', '2a', '', '#'])('does not follow one listed with pr_num %p', async (prNum) => {
    const { options } = setup([[run(15, 'done', prNum)]], {
      existingRunIds: new Set(),
      prNumber: 2
    })
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'not_started' })
  })
})

describe('waitForRun: a run started earlier (ci-run-id)', () => {
  const earlier: RunTarget = { ciRunId: 11, startedEarlier: true }

  it('follows it like a run the trigger named', async () => {
    const { options } = setup([[run(11, 'processing')], [run(11, 'done')]], earlier)
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(11, 'done'),
      conclusion: 'success'
    })
  })

  it('is an error when Datafold does not list it for the commit by the start deadline', async () => {
    const { options, clock, client } = setup([[run(10, 'done')]], earlier)
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'error',
      message: `Datafold does not list CI run 11 (input ci-run-id) among the runs of commit ${SHA} within start-timeout-minutes. Check that ci-run-id names a run of this pull request's head commit under this CI config (the output ci-run-id of the step that triggered it).`
    })
    // The last check is at the start deadline, not past it.
    expect(clock.now()).toBe(options.startDeadlineMs)
    expect(client.calls.at(-1)?.at).toBe(options.startDeadlineMs)
  })

  it('once listed, it may leave the list later without ending the wait', async () => {
    const { options } = setup([[run(11, 'processing')], [], [run(11, 'done')]], earlier, {
      startDeadlineMs: 0
    })
    const result = await waitForRun(options)
    expect(result.outcome).toMatchObject({ kind: 'finished', conclusion: 'success' })
  })

  it('a run the trigger named waits past the start deadline, as before', async () => {
    const { options } = setup([[], [run(11, 'done')]], { ciRunId: 11 }, { startDeadlineMs: 0 })
    const result = await waitForRun(options)
    expect(result.outcome).toMatchObject({ kind: 'finished', conclusion: 'success' })
  })
})

describe('waitForRun: statuses that look final but are unknown, and contradicting answers', () => {
  it.each(['canceled', 'error', 'failure', 'succeeded', 'success', 'completed'])(
    'ends at once on %p, as an error that quotes it and asks to report it',
    async (status) => {
      const { options, client, log } = setup([
        [run(11, 'queued')],
        [run(11, status)],
        [run(11, 'done')]
      ])
      const result = await waitForRun(options)
      expect(result.outcome).toEqual({
        kind: 'error',
        run: run(11, status),
        message: `Datafold CI run 11 reported status "${status}", which this action does not know. It looks final, so the step stops here and fails rather than guess what it means or wait for a status that may never come. Open the run in Datafold for its result, and please report the status to the maintainers of this action so it can learn it.`
      })
      expect(client.calls).toHaveLength(2)
      expect(log.logs('notice')).toEqual([])
    }
  )

  it('still waits on an unknown status that does not look final, noting it once', async () => {
    const { options, log } = setup([[run(11, 'pending')], [run(11, 'pending')], [run(11, 'done')]])
    const result = await waitForRun(options)
    expect(result.outcome.kind).toBe('finished')
    expect(log.logs('notice')).toEqual([
      'Datafold reported status "pending", which this action does not know; treating the run as still in progress.'
    ])
  })

  it.each(['not_done', 'pending_done', 'undone', 'done_pending_review'])(
    'waits on %p, which negates or qualifies a final word, and follows the run to done',
    async (status) => {
      const { options, client } = setup([[run(11, 'queued')], [run(11, status)], [run(11, 'done')]])
      const result = await waitForRun(options)
      expect(result.outcome).toEqual({
        kind: 'finished',
        run: run(11, 'done'),
        conclusion: 'success'
      })
      expect(client.calls).toHaveLength(3)
    }
  )

  it('fails on a run listed twice with contradicting statuses, never passes on either', async () => {
    const { options, client } = setup([
      [run(11, 'processing')],
      [run(11, 'done'), run(10, 'failed'), run(11, 'failed')]
    ])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'error',
      run: run(11, 'done'),
      message:
        'Datafold listed CI run 11 more than once in one answer, with different statuses: "done", "failed". The step cannot tell which is true, so it fails rather than pass on a guess; look at the run in Datafold.'
    })
    expect(client.calls).toHaveLength(2)
  })

  it('reads a run listed twice with the same status as that status', async () => {
    const { options } = setup([[run(11, 'done'), run(11, 'done')]])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(11, 'done'),
      conclusion: 'success'
    })
  })

  it('fails on contradicting entries of the run it looks for by pull request, too', async () => {
    const { options } = setup([[run(12, 'failed'), run(12, 'done')]], {
      existingRunIds: new Set(),
      prNumber: 2
    })
    const result = await waitForRun(options)
    expect(result.outcome.kind).toBe('error')
  })
})

describe('waitForRun: only runs of the head commit', () => {
  const OTHER = 'b'.repeat(40)
  const elsewhere = (id: number, status: string): CiRun => ({ ...run(id, status), pr_sha: OTHER })

  it('never follows a run the list shows under another commit, even with the id the trigger named', async () => {
    const { options } = setup([[elsewhere(11, 'done')], [elsewhere(11, 'done'), run(11, 'failed')]])
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'finished',
      run: run(11, 'failed'),
      conclusion: 'failure'
    })
    expect(result.polls).toBe(2)
  })

  it("a new run of another commit is not the trigger's run", async () => {
    const { options } = setup([[elsewhere(20, 'done')], [elsewhere(20, 'done'), run(15, 'done')]], {
      existingRunIds: new Set(),
      prNumber: 2
    })
    const result = await waitForRun(options)
    expect(result.outcome).toMatchObject({ kind: 'finished', run: run(15, 'done') })
  })

  it('an entry without pr_sha is not taken for the head commit', async () => {
    const { options } = setup(
      [[{ id: 11, status: 'done', pr_num: '2' }]],
      { ciRunId: 11 },
      {
        deadlineMs: 10 * MIN
      }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({ kind: 'timed_out', run: undefined })
  })

  it('ci-run-id listed under another commit is an error naming the input and both commits', async () => {
    const { options, client } = setup([[elsewhere(11, 'done')]], {
      ciRunId: 11,
      startedEarlier: true
    })
    const result = await waitForRun(options)
    expect(result.outcome).toEqual({
      kind: 'error',
      message: `Input ci-run-id is 11, but Datafold lists CI run 11 under commit ${OTHER}, not under the pull request's head commit ${SHA}. Its verdict is not this commit's, so the step fails; pass the ci-run-id output of the step that started a run for ${SHA}, or leave ci-run-id empty.`
    })
    expect(client.calls).toHaveLength(1)
  })
})

describe("waitForRun: another run of the commit besides the trigger's", () => {
  it('is mentioned once, and the run the trigger named is followed', async () => {
    const { options, log } = setup(
      [
        [run(11, 'queued')],
        [run(11, 'processing'), run(12, 'waiting')],
        [run(11, 'done'), run(12, 'processing')]
      ],
      { ciRunId: 11, existingRunIds: new Set([9]) }
    )
    const result = await waitForRun(options)
    expect(result.outcome).toMatchObject({ kind: 'finished', run: run(11, 'done') })
    expect(log.logs('info').filter((line) => line.startsWith('The commit has another'))).toEqual([
      "The commit has another Datafold CI run, 12, that was not listed before the trigger (most likely Datafold's own, started from GitHub's webhook); the step follows run 11, the one its trigger named."
    ])
  })

  it('runs listed before the trigger are not mentioned', async () => {
    const { options, log } = setup([[run(9, 'done'), run(11, 'done')]], {
      ciRunId: 11,
      existingRunIds: new Set([9])
    })
    await waitForRun(options)
    expect(log.logs('info').some((line) => line.startsWith('The commit has another'))).toBe(false)
  })
})

describe('findRun: the run Datafold starts, as soon as it is listed', () => {
  const look: RunTarget = { existingRunIds: new Set(), prNumber: 2, byDatafold: true }

  it('stops at the first list that shows it, whatever its status', async () => {
    const { options, log } = setup([[], [], [run(15, 'waiting')], [run(15, 'done')]], look)
    const result = await findRun(options)
    expect(result).toEqual({ found: run(15, 'waiting'), polls: 3 })
    expect(log.logs('info')).toEqual([
      'Following Datafold CI run 15, the one Datafold started for this commit on its own.'
    ])
  })

  it('ends not_started when none appears by the start deadline', async () => {
    const { options } = setup([[]], look)
    const result = await findRun(options)
    expect(result).toMatchObject({ outcome: { kind: 'not_started' } })
  })
})
