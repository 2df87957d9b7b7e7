import {
  CONCLUSION_ICONS,
  RUNNING_STATUSES,
  conclusionOf,
  isKnownStatus,
  looksFinal,
  passes,
  type Conclusion
} from '../src/verdict.js'

describe('conclusionOf', () => {
  it.each([
    ['done', 'success'],
    ['failed', 'failure'],
    ['cancelled', 'cancelled'],
    ['DONE', 'success'],
    [' Failed ', 'failure']
  ])('%p is final: %p', (status, conclusion) => {
    expect(conclusionOf(status)).toBe(conclusion)
  })

  it.each(['waiting', 'queued', 'processing', 'running', 'canceled', 'success', '', 'constructor'])(
    '%p is not final',
    (status) => {
      expect(conclusionOf(status)).toBeUndefined()
    }
  )
})

describe('isKnownStatus', () => {
  it('knows the documented statuses', () => {
    for (const status of [
      'done',
      'failed',
      'cancelled',
      ...RUNNING_STATUSES,
      'Queued',
      ' queued '
    ]) {
      expect(isKnownStatus(status)).toBe(true)
    }
    expect(RUNNING_STATUSES).toEqual(['waiting', 'queued', 'processing'])
  })

  it.each(['running', 'pending', 'canceled', '', 'toString', '__proto__'])(
    'does not know %p',
    (status) => {
      expect(isKnownStatus(status)).toBe(false)
    }
  )
})

describe('passes', () => {
  it.each<[Conclusion, boolean, boolean]>([
    ['success', false, true],
    ['success', true, true],
    ['skipped', false, true],
    ['skipped', true, false],
    ['failure', false, false],
    ['cancelled', false, false],
    ['timed_out', false, false]
  ])('%s with fail-on-skip %p passes: %p', (conclusion, failOnSkip, expected) => {
    expect(passes(conclusion, failOnSkip)).toBe(expected)
  })
})

describe('CONCLUSION_ICONS', () => {
  it('shows each conclusion by its icon', () => {
    expect(CONCLUSION_ICONS).toEqual({
      success: '✅',
      failure: '❌',
      cancelled: '🚫',
      timed_out: '⏱️',
      skipped: '⏭️'
    })
  })

  it('has a distinct icon for every conclusion', () => {
    const icons = Object.values(CONCLUSION_ICONS)
    expect(Object.keys(CONCLUSION_ICONS).sort()).toEqual(
      ['cancelled', 'failure', 'skipped', 'success', 'timed_out'].sort()
    )
    expect(new Set(icons).size).toBe(icons.length)
  })
})

describe('looksFinal: statuses this action does not know', () => {
  it.each([
    'error',
    'errored',
    'canceled',
    'Canceled',
    'failure',
    'succeeded',
    'success',
    'successful',
    'completed',
    'COMPLETE',
    'finished',
    'aborted',
    'terminated',
    'timed_out',
    'timeout',
    'rejected',
    'skipped',
    'stopped',
    'killed',
    'crashed',
    'expired',
    'passed',
    'done_with_errors',
    'failed-validation',
    ' canceled ',
    'cancelled_by_user',
    'fail',
    'Completed With Warnings'
  ])('%p looks final', (status) => {
    expect(isKnownStatus(status)).toBe(false)
    expect(looksFinal(status)).toBe(true)
  })

  it.each([
    'running',
    'pending',
    'started',
    'in_progress',
    'scheduled',
    'initializing',
    'retrying',
    // A word before the final word negates or qualifies it; a word that says the run goes on,
    // wherever it stands, keeps it going; a final word inside another word is not that word.
    'not_done',
    'pending_done',
    'Pending Done',
    'undone',
    'not-failed',
    'partially_done',
    'with_errors',
    'almost-complete',
    'done_pending_review',
    'failed_retrying',
    'cancel_pending',
    'odd\n::error::injected\n::set-output name=conclusion::success',
    'error: see log',
    'odd::x failed',
    'failed::odd',
    '',
    'constructor',
    '__proto__'
  ])('%p does not look final: it is waited on', (status) => {
    expect(looksFinal(status)).toBe(false)
  })
})
