import type { CiRun } from '../src/datafold-client.js'
import { chooseRun, newestRun, runsOfCommit, type ChoiceFacts } from '../src/which-run.js'

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
const OTHER = '0123456789abcdef0123456789abcdef01234567'
const run = (id: number, status: string, pr_sha = HEAD): CiRun => ({ id, status, pr_sha })
const facts = (over: Partial<ChoiceFacts>): ChoiceFacts => ({
  mode: 'auto',
  runs: [],
  runAttempt: 1,
  ...over
})
const kindOf = (over: Partial<ChoiceFacts>): string => {
  const choice = chooseRun(facts(over))
  return choice.kind === 'follow' ? `follow ${choice.ciRunId} (${choice.startedBy})` : choice.kind
}

describe('chooseRun: trigger auto', () => {
  it.each([
    ['no run listed', [], 1, 'trigger'],
    ['an unfinished run (waiting)', [run(7, 'waiting')], 1, 'follow 7 (datafold)'],
    [
      'an unfinished run (processing), on a re-run',
      [run(7, 'processing')],
      2,
      'follow 7 (datafold)'
    ],
    ['a finished run, first attempt', [run(7, 'done')], 1, 'follow 7 (datafold)'],
    ['a failed run, first attempt', [run(7, 'failed')], 1, 'follow 7 (datafold)'],
    ['a finished run, on a re-run', [run(7, 'done')], 2, 'trigger'],
    ['a failed run, on a re-run', [run(7, 'failed')], 3, 'trigger'],
    ['a cancelled run', [run(7, 'cancelled')], 1, 'trigger'],
    ['a cancelled run in other letters', [run(7, ' Cancelled ')], 1, 'trigger'],
    [
      'an older cancelled run and a newer one waiting',
      [run(6, 'cancelled'), run(9, 'waiting')],
      1,
      'follow 9 (datafold)'
    ],
    [
      'an older waiting run and a newer cancelled one',
      [run(9, 'cancelled'), run(6, 'waiting')],
      1,
      'trigger'
    ],
    [
      'an older done run and a newer processing one, re-run',
      [run(5, 'done'), run(8, 'processing')],
      2,
      'follow 8 (datafold)'
    ]
  ] as const)('%s: %s', (_, runs, runAttempt, expected) => {
    expect(kindOf({ runs: [...runs], runAttempt })).toBe(expected)
  })

  it('says why it triggers, naming the run', () => {
    expect(chooseRun(facts({ runs: [run(7, 'done')], runAttempt: 2 }))).toEqual({
      kind: 'trigger',
      why: 'the newest run of the commit, 7, is done and this job is a re-run (attempt 2), which asks for a fresh verdict'
    })
    expect(chooseRun(facts({ runs: [run(7, 'cancelled')] }))).toEqual({
      kind: 'trigger',
      why: 'the newest run of the commit, 7, was cancelled'
    })
    expect(chooseRun(facts({}))).toEqual({
      kind: 'trigger',
      why: 'Datafold lists no run of the commit'
    })
    expect(chooseRun(facts({ mode: 'never' }))).toEqual({
      kind: 'look',
      why: 'trigger is never and Datafold lists no run of the commit yet'
    })
    expect(chooseRun(facts({ ciRunId: 4 }))).toEqual({
      kind: 'follow',
      ciRunId: 4,
      startedBy: 'ci-run-id',
      why: 'input ci-run-id names it'
    })
    expect(chooseRun(facts({ runs: [run(7, 'queued')] }))).toEqual({
      kind: 'follow',
      ciRunId: 7,
      startedBy: 'datafold',
      why: 'it is the newest run of the commit, queued'
    })
  })
})

describe('chooseRun: trigger always and never', () => {
  it.each([
    [[], 1],
    [[run(7, 'waiting')], 1],
    [[run(7, 'done')], 1],
    [[run(7, 'cancelled')], 2]
  ] as const)('always triggers whatever is listed (%j, attempt %d)', (runs, runAttempt) => {
    expect(kindOf({ mode: 'always', runs: [...runs], runAttempt })).toBe('trigger')
  })

  it.each([
    [[run(7, 'waiting')], 1, 'follow 7 (datafold)'],
    [[run(7, 'done')], 2, 'follow 7 (datafold)'],
    [[run(7, 'cancelled')], 1, 'follow 7 (datafold)'],
    [[run(3, 'done'), run(7, 'processing')], 1, 'follow 7 (datafold)'],
    [[], 1, 'look'],
    [[], 2, 'look']
  ] as const)('never never triggers (%j, attempt %d): %s', (runs, runAttempt, expected) => {
    expect(kindOf({ mode: 'never', runs: [...runs], runAttempt })).toBe(expected)
  })
})

describe('chooseRun: ci-run-id', () => {
  it.each(['auto', 'never'] as const)('%s follows the input and sends no trigger', (mode) => {
    for (const runs of [[], [run(9, 'waiting')], [run(9, 'cancelled')]]) {
      expect(kindOf({ mode, runs, ciRunId: 4, runAttempt: 2 })).toBe('follow 4 (ci-run-id)')
    }
  })
})

describe('runsOfCommit and newestRun', () => {
  it("keeps only the head commit's entries, whatever the list held", () => {
    const listed: CiRun[] = [
      run(1, 'done'),
      run(2, 'done', OTHER),
      { id: 3, status: 'done' },
      run(4, 'waiting', HEAD.toUpperCase())
    ]
    expect(runsOfCommit(listed, HEAD).map((r) => r.id)).toEqual([1, 4])
  })

  it('the newest is the highest id, in any order', () => {
    expect(newestRun([run(5, 'done'), run(9, 'done'), run(7, 'done')])?.id).toBe(9)
    expect(newestRun([])).toBeUndefined()
  })
})
