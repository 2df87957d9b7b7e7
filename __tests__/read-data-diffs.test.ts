/**
 * readDataDiffs with a scripted client on a virtual clock: what it logs about the run's diffs, when
 * it lists them again, and how each ending (a list, a problem, a cancel) comes back as a value.
 */
import { expect } from '@jest/globals'
import type { DataDiffList } from '../src/datafold-client.js'
import { DatafoldError } from '../src/datafold-client.js'
import type { DataDiff } from '../src/data-diffs.js'
import { readDataDiffs, type DiffReadOptions } from '../src/read-data-diffs.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'

const RUN = 1000
const HOST = new URL('https://app.datafold.com')

const diff = (id: number, overrides: Partial<DataDiff> = {}): DataDiff => ({
  id,
  table: `analytics.pr_2.table_${String(id).padStart(3, '0')}`,
  status: 'done',
  result: 'identical',
  rowsAdded: null,
  rowsRemoved: null,
  rowsChanged: null,
  matchRatio: null,
  ...overrides
})

const list = (diffs: DataDiff[], extra: Partial<DataDiffList> = {}): DataDiffList => ({
  diffs,
  others: 0,
  pages: 1,
  ...extra
})

/** Runs readDataDiffs against answers given in order (the last repeats); an Error is thrown. */
async function read(
  answers: (DataDiffList | Error)[],
  options: Partial<DiffReadOptions> & { onCall?: (n: number) => void } = {}
) {
  const clock = (options.clock as VirtualClock | undefined) ?? new VirtualClock()
  const log = new FakeToolkit()
  let calls = 0
  const outcome = await readDataDiffs({
    client: {
      listDataDiffs: async (ciRunId: number) => {
        expect(ciRunId).toBe(RUN)
        const answer = answers[Math.min(calls, answers.length - 1)]
        calls++
        options.onCall?.(calls)
        if (answer instanceof Error) throw answer
        return answer
      }
    },
    ciRunId: RUN,
    untilSettled: false,
    host: HOST,
    clock,
    schedule: { pollIntervalMs: 5_000, maxPollIntervalMs: 30_000 },
    startedAtMs: clock.now(),
    deadlineMs: clock.now() + 60 * 60_000,
    log,
    // The middle of the jitter band: the schedule's exact delays.
    random: () => 0.5,
    ...options
  })
  return { outcome, log, clock, calls: () => calls }
}

describe('readDataDiffs: the log', () => {
  it('one diff: "1 data diff", its result, table, counts and link', async () => {
    const { outcome, log } = await read([
      list([
        diff(12, {
          result: 'different',
          rowsAdded: 12,
          rowsRemoved: 3,
          rowsChanged: 1340,
          matchRatio: 0.9821
        })
      ])
    ])
    expect(log.logs()).toEqual([
      'Datafold lists 1 data diff for CI run 1000: 1 different.',
      '  different: analytics.pr_2.table_012 (12 added, 3 removed, 1,340 with changed values, 98.21 % match): https://app.datafold.com/datadiffs/12/overview'
    ])
    expect(outcome).toEqual({ diffs: [expect.objectContaining({ id: 12 })], incomplete: undefined })
  })

  it('a diff without a result shows its status, or "no status"', async () => {
    const { log } = await read([
      list([
        diff(1, { result: null, status: 'processing' }),
        diff(2, { result: null, status: null })
      ])
    ])
    expect(log.logs()).toEqual([
      'Datafold lists 2 data diffs for CI run 1000: 2 no result yet.',
      '  no result (processing): analytics.pr_2.table_001: https://app.datafold.com/datadiffs/1/overview',
      '  no result (no status): analytics.pr_2.table_002: https://app.datafold.com/datadiffs/2/overview'
    ])
  })

  it('a result on a diff that is not done is shown as not final', async () => {
    const { log } = await read([list([diff(3, { result: 'identical', status: 'processing' })])])
    expect(log.logs()[1]).toBe(
      '  identical, not final (processing): analytics.pr_2.table_003: https://app.datafold.com/datadiffs/3/overview'
    )
  })

  it('lists the first 50 diffs one by one and counts the rest', async () => {
    const many = Array.from({ length: 53 }, (_, i) => diff(i + 1))
    const { log } = await read([list(many)])
    const lines = log.logs('info')
    expect(lines).toHaveLength(1 + 50 + 1)
    expect(lines[0]).toBe('Datafold lists 53 data diffs for CI run 1000: 53 identical.')
    expect(lines[50]).toBe(
      '  identical: analytics.pr_2.table_050: https://app.datafold.com/datadiffs/50/overview'
    )
    expect(lines[51]).toBe('  and 3 more.')
  })

  it('exactly 50 diffs: every one listed, no "more" line', async () => {
    const fifty = Array.from({ length: 50 }, (_, i) => diff(i + 1))
    const { log } = await read([list(fifty)])
    expect(log.logs('info')).toHaveLength(51)
    expect(log.logs('info').at(-1)).toMatch(/^ {2}identical: analytics\.pr_2\.table_050: /)
  })

  it('says how many entries of other runs it left out, and when the list may be incomplete', async () => {
    const { log, outcome } = await read([
      list([diff(1)], {
        others: 1234,
        incomplete: 'Datafold lists more pages than the action reads.'
      })
    ])
    expect(log.logs('debug')).toEqual([
      'Left out 1,234 data diffs of other runs that Datafold listed too (it did not filter by ci_run_id).'
    ])
    expect(log.logs('notice')).toEqual(['Datafold lists more pages than the action reads.'])
    expect(outcome).toMatchObject({
      incomplete: 'Datafold lists more pages than the action reads.'
    })
  })

  it('no entries of other runs: nothing said about them', async () => {
    const { log } = await read([list([diff(1)])])
    expect(log.logs('debug')).toEqual([])
    expect(log.logs('notice')).toEqual([])
  })
})

describe('readDataDiffs: until every diff has a result', () => {
  it('one diff running: "1 of 2 data diffs has no result yet", then lists again', async () => {
    const { log, calls, clock } = await read(
      [list([diff(1), diff(2, { result: null, status: 'processing' })]), list([diff(1), diff(2)])],
      { untilSettled: true }
    )
    expect(calls()).toBe(2)
    expect(clock.sleeps).toEqual([5_000])
    expect(log.logs('info')[0]).toBe(
      '1 of 2 data diffs has no result yet; fail-on-data-changes needs every result, so they are checked again in 5.0 s.'
    )
  })

  it('a list that may be incomplete is not listed again', async () => {
    const { calls } = await read(
      [list([diff(1, { result: null, status: 'processing' })], { incomplete: 'too many pages' })],
      { untilSettled: true }
    )
    expect(calls()).toBe(1)
  })
})

describe('readDataDiffs: endings other than a list', () => {
  it('a DatafoldError is a problem, in a notice that says whether the verdict stands', async () => {
    const error = new DatafoldError('Datafold refused the API key (HTTP 403).')
    const informational = await read([error])
    expect(informational.outcome).toEqual({ problem: 'Datafold refused the API key (HTTP 403).' })
    expect(informational.log.logs()).toEqual([
      "The data diffs of Datafold CI run 1000 could not be read: Datafold refused the API key (HTTP 403). The run's own verdict stands."
    ])
    const gate = await read([error], { untilSettled: true })
    expect(gate.log.logs()).toEqual([
      'The data diffs of Datafold CI run 1000 could not be read: Datafold refused the API key (HTTP 403). fail-on-data-changes needs them, so the step fails.'
    ])
  })

  it('a problem on a later list keeps the diffs read before it', async () => {
    const running = list([diff(1, { result: null, status: 'processing' })])
    const { outcome } = await read([running, new DatafoldError('HTTP 503')], {
      untilSettled: true
    })
    expect(outcome).toEqual({ diffs: running.diffs, incomplete: undefined, problem: 'HTTP 503' })
  })

  it('any other exception is a bug: it propagates', async () => {
    await expect(read([new TypeError('boom')])).rejects.toThrow(TypeError)
  })

  it('cancelled before the first list: aborted, nothing asked', async () => {
    const controller = new AbortController()
    controller.abort()
    const { outcome, calls, log } = await read([list([diff(1)])], { signal: controller.signal })
    expect(outcome).toEqual({ aborted: true })
    expect(calls()).toBe(0)
    expect(log.logs()).toEqual([])
  })

  it('cancelled while a list was on its way (it then fails): aborted, not a problem', async () => {
    const controller = new AbortController()
    const { outcome, log } = await read([new DatafoldError('request cancelled')], {
      signal: controller.signal,
      onCall: () => controller.abort()
    })
    expect(outcome).toEqual({ aborted: true })
    expect(log.logs()).toEqual([])
  })

  it('cancelled while a list was on its way (it still came): aborted, nothing logged', async () => {
    const controller = new AbortController()
    const { outcome, log } = await read([list([diff(1)])], {
      signal: controller.signal,
      onCall: () => controller.abort()
    })
    expect(outcome).toEqual({ aborted: true })
    expect(log.logs()).toEqual([])
  })

  it('cancelled during the wait for the next list: aborted', async () => {
    const controller = new AbortController()
    const clock = new VirtualClock()
    clock.onSleep = () => controller.abort()
    const { outcome, calls } = await read([list([diff(1, { result: null, status: 'queued' })])], {
      untilSettled: true,
      clock,
      signal: controller.signal
    })
    expect(outcome).toEqual({ aborted: true })
    expect(calls()).toBe(1)
  })
})

describe('readDataDiffs: lists that shrink (issue 15, defect 6)', () => {
  const running = (id: number) => diff(id, { result: null, status: 'processing' })

  it('an empty list under the gate is read again once after poll-interval before it is trusted', async () => {
    const { outcome, calls, clock } = await read(
      [list([]), list([diff(1, { result: 'different' })])],
      {
        untilSettled: true
      }
    )
    expect(calls()).toBe(2)
    expect(clock.sleeps).toEqual([5_000])
    expect(outcome).toMatchObject({ diffs: [expect.objectContaining({ id: 1 })] })
  })

  it('an empty list read twice is trusted; without the gate it is read once', async () => {
    const gated = await read([list([])], { untilSettled: true })
    expect(gated.calls()).toBe(2)
    expect(gated.outcome).toEqual({ diffs: [], incomplete: undefined })
    const informed = await read([list([])])
    expect(informed.calls()).toBe(1)
  })

  it('a diff seen processing that is missing from the next list: not proven', async () => {
    const { outcome } = await read([list([running(1), diff(2)]), list([diff(2)])], {
      untilSettled: true
    })
    expect(outcome).toMatchObject({
      incomplete: expect.stringMatching(/listed before but no longer.*table_001/)
    })
  })

  it('an empty list under the gate with no time left to read it again: not proven, saying so', async () => {
    const clock = new VirtualClock()
    const { outcome, calls } = await read([list([])], {
      untilSettled: true,
      clock,
      startedAtMs: clock.now() - 60 * 60_000,
      deadlineMs: clock.now()
    })
    expect(calls()).toBe(1)
    expect(outcome).toEqual({
      diffs: [],
      incomplete:
        'Datafold listed no data diffs for this run, and no time was left to read the list again to confirm it.'
    })
  })

  it('says in the log why an empty list is read again, and when', async () => {
    const { log } = await read([list([])], { untilSettled: true })
    expect(log.logs('info')[0]).toBe(
      `Datafold lists no data diffs for CI run ${RUN}; fail-on-data-changes trusts an empty list only when it is read twice, so it is read again in 5.0 s.`
    )
  })

  it('names one diff that went missing, in the singular', async () => {
    const { outcome } = await read([list([running(1), diff(2)]), list([diff(2)])], {
      untilSettled: true
    })
    expect(outcome).toMatchObject({
      incomplete:
        '1 data diff was listed before but no longer, so it never showed a final result: analytics.pr_2.table_001.'
    })
  })

  it('names the first ten of many diffs that went missing, and counts the rest', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => i + 1)
    const { outcome } = await read([list(ids.map(running)), list([])], { untilSettled: true })
    const names = ids
      .slice(0, 10)
      .map((id) => `analytics.pr_2.table_${String(id).padStart(3, '0')}`)
    expect(outcome).toMatchObject({
      incomplete: `12 data diffs were listed before but no longer, so they never showed a final result: ${names.join(', ')}, and 2 more.`
    })
  })

  it('names exactly ten missing diffs without "and more"', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => i + 1)
    const { outcome } = await read([list(ids.map(running)), list([])], { untilSettled: true })
    expect((outcome as { incomplete: string }).incomplete).toMatch(/table_010\.$/)
  })

  it('a momentarily empty re-list: not proven', async () => {
    const { outcome } = await read([list([running(1)]), list([])], { untilSettled: true })
    expect(outcome).toMatchObject({
      incomplete: expect.stringMatching(/listed before but no longer.*table_001/)
    })
  })
})
