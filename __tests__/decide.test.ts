/**
 * decide.ts, the verdict as a pure function of how the step ended, what it learned and the
 * settings: no process, no toolkit, no clock. main.test.ts checks that run() delivers it.
 */
import type { DataDiff, DiffsReading } from '../src/data-diffs.js'
import { decide, type Ending, type Progress, type VerdictSettings } from '../src/decide.js'
import { settledDiff } from '../__fixtures__/data-diffs.js'

const HOST = new URL('https://app.datafold.com')
const SETTINGS: VerdictSettings = {
  failOnSkip: false,
  failOnDataChanges: false,
  timeoutMs: 30 * 60_000,
  startTimeoutMs: 2 * 60_000,
  host: HOST
}
const GATE: VerdictSettings = { ...SETTINGS, failOnDataChanges: true }
const RUN = { id: 501, status: 'done' }
const DONE: Ending = {
  kind: 'waited',
  outcome: { kind: 'finished', run: RUN, conclusion: 'success' }
}

const diff = (id: number, overrides: Partial<DataDiff> = {}): DataDiff =>
  settledDiff({ id, ...overrides })

const progress = (dataDiffs?: DiffsReading): Progress => ({
  polls: 2,
  run: RUN,
  trigger: { ciRunId: 501, runId: 77 },
  triggerSent: true,
  dataDiffs
})

describe('decide: a skip', () => {
  const notStarted: Ending = { kind: 'waited', outcome: { kind: 'not_started' } }
  const noPullRequest: Ending = { kind: 'no_pull_request', reason: 'The push has no open PR.' }

  it.each<[string, Ending]>([
    ['Datafold started no run', notStarted],
    ['the event has no pull request', noPullRequest]
  ])('%s: skipped, passes by default, fails under fail-on-skip and under the gate', (_, ending) => {
    const empty: Progress = { polls: 0 }
    expect(decide(ending, empty, SETTINGS, 0)).toMatchObject({
      conclusion: 'skipped',
      passed: true,
      outputs: [['verdict', 'skipped']]
    })
    expect(decide(ending, empty, { ...SETTINGS, failOnSkip: true }, 0)).toMatchObject({
      conclusion: 'skipped',
      passed: false
    })
    const gated = decide(ending, empty, GATE, 0)
    expect(gated).toMatchObject({ conclusion: 'skipped', passed: false })
    expect(gated.message).toMatch(
      /\nfail-on-data-changes is true and no run is no proof that the data is unchanged, so the step fails\.$/
    )
  })
})

describe('decide: the data gate', () => {
  it('passes a proven reading of unchanged diffs; data-diffs in order of id', () => {
    const reading = { diffs: [diff(2, { result: 'empty' }), diff(1)] }
    const decision = decide(DONE, progress(reading), GATE, 1_000)
    expect(decision).toMatchObject({ conclusion: 'success', passed: true })
    const outputs = Object.fromEntries(decision.outputs)
    expect((JSON.parse(outputs['data-diffs']) as DataDiff[]).map((d) => d.id)).toEqual([1, 2])
    expect(outputs['data-diffs-changed']).toBe('0')
  })

  it.each<[string, DiffsReading | undefined, RegExp]>([
    ['no reading', undefined, /- the data diffs were not read\./],
    [
      'an unproven reading',
      { diffs: [diff(1)], incomplete: 'Pages overlapped.' },
      /- Pages overlapped\./
    ],
    ['a problem', { problem: 'HTTP 403' }, /- the data diffs could not be read: HTTP 403/],
    [
      'a diff still processing with a result',
      { diffs: [diff(1, { status: 'processing' })] },
      /had no result when the step ended: db\.t1 \(processing\)/
    ],
    [
      'a failed diff with a result',
      { diffs: [diff(1, { status: 'failed' })] },
      /could not be compared: db\.t1 \(failed\)/
    ],
    [
      'identical with rows added',
      { diffs: [diff(1, { rowsAdded: 5 })] },
      /1 result disagrees with its row counts: db\.t1 \(identical, but 5 added\)/
    ]
  ])('fails %s: not proven, saying what is missing', (_, reading, reason) => {
    const decision = decide(DONE, progress(reading), GATE, 1_000)
    expect(decision).toMatchObject({
      conclusion: 'failure',
      passed: false,
      title: 'Datafold CI could not show the data unchanged'
    })
    expect(decision.message).toMatch(reason)
  })

  it('withholds data-diffs when the reading is not proven whole, with or without the gate', () => {
    const reading = { diffs: [diff(1)], incomplete: 'Too many pages.' }
    for (const settings of [SETTINGS, GATE]) {
      const names = decide(DONE, progress(reading), settings, 0).outputs.map(([name]) => name)
      expect(names).toEqual(['status', 'verdict'])
    }
  })

  it('counts a changed table, and its title says so', () => {
    const reading = { diffs: [diff(1, { result: 'different', rowsChanged: 3 }), diff(2)] }
    const decision = decide(DONE, progress(reading), GATE, 0)
    expect(decision.title).toBe('Datafold CI found data changes')
    expect(Object.fromEntries(decision.outputs)['data-diffs-changed']).toBe('1')
  })

  // As README and action.yml say: only a done diff with result different counts.
  it('counts in data-diffs-changed only done diffs whose result is different', () => {
    const reading = {
      diffs: [
        diff(1, { result: 'different', rowsChanged: 3 }),
        diff(2, { status: 'processing', result: 'different' }),
        diff(3, { status: 'failed', result: 'different' }),
        diff(4, { status: 'cancelled', result: 'different' }),
        diff(5, { result: 'error' }),
        diff(6)
      ]
    }
    const outputs = Object.fromEntries(decide(DONE, progress(reading), SETTINGS, 0).outputs)
    expect(outputs['data-diffs-changed']).toBe('1')
  })

  it('without the gate the run verdict stands', () => {
    const reading = { diffs: [diff(1, { result: 'different' })] }
    expect(decide(DONE, progress(reading), SETTINGS, 0)).toMatchObject({
      conclusion: 'success',
      passed: true
    })
  })
})

describe('decide: other endings', () => {
  // Whether Datafold cancels a superseded commit's run is not documented: the words claim no cause.
  it('a cancelled run fails, saying only what is known', () => {
    const run = { id: 501, status: 'cancelled' }
    const ending: Ending = {
      kind: 'waited',
      outcome: { kind: 'finished', run, conclusion: 'cancelled' }
    }
    const withPr: Progress = {
      ...progress(),
      run,
      pr: {
        pr_number: 2,
        pr_branch: 'changes',
        base_branch: 'main',
        pr_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        base_sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'
      }
    }
    expect(decide(ending, withPr, SETTINGS, 0)).toMatchObject({
      conclusion: 'cancelled',
      passed: false,
      title: 'Datafold CI run was cancelled',
      message:
        'Datafold CI run 501 for pull request #2 (changes at ec26c3e) was cancelled in Datafold (status cancelled). If a newer commit was pushed, its own check carries the verdict.'
    })
  })

  it('a trigger without waiting passes without a conclusion', () => {
    const decision = decide({ kind: 'triggered' }, { polls: 0 }, GATE, 0)
    expect(decision).toMatchObject({ passed: true, conclusion: undefined, outputs: [] })
  })

  it('a run found in the list after a trigger that named none sets ci-run-id', () => {
    const found: Progress = { ...progress(), trigger: { ciRunId: null, runId: null } }
    expect(decide(DONE, found, SETTINGS, 0).outputs[0]).toEqual(['ci-run-id', '501'])
  })

  it('an error fails without a conclusion', () => {
    const decision = decide({ kind: 'error', message: 'boom' }, { polls: 0 }, GATE, 0)
    expect(decision).toMatchObject({ passed: false, conclusion: undefined, message: 'boom' })
  })
})

describe('decide: a run started earlier (input ci-run-id)', () => {
  const earlier: Progress = { polls: 3, earlierRunId: 812, startedBy: 'ci-run-id' }

  it('a cancel says that run keeps running, not that nothing was started', () => {
    const decision = decide({ kind: 'workflow_cancelled' }, earlier, SETTINGS, 0)
    expect(decision.message).toBe(
      'Cancelled by the workflow; Datafold CI run 812 (input ci-run-id) keeps running in Datafold, last status unknown.'
    )
    expect(decision.passed).toBe(false)
  })

  it('a timeout names that run', () => {
    const ending: Ending = { kind: 'waited', outcome: { kind: 'timed_out' } }
    expect(decide(ending, earlier, SETTINGS, 60_000).message).toMatch(
      /^Datafold CI run 812 \(input ci-run-id\) for the pull request had no final status after /
    )
  })
})
