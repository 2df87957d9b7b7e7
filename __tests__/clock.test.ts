/** The real clock: its sleep waits the time asked, or less when cancelled, and leaves nothing behind. */
import { jest } from '@jest/globals'
import { getEventListeners } from 'node:events'
import { systemClock } from '../src/clock.js'

describe('systemClock.now', () => {
  it('is the time of day in milliseconds', () => {
    jest.useFakeTimers({ now: Date.UTC(2024, 0, 15, 12) })
    try {
      expect(systemClock.now()).toBe(Date.UTC(2024, 0, 15, 12))
    } finally {
      jest.useRealTimers()
    }
  })
})

describe('systemClock.sleep (fake timers)', () => {
  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  it('resolves after the time, not before', async () => {
    let done = false
    const sleeping = systemClock.sleep(30_000).then(() => (done = true))
    await jest.advanceTimersByTimeAsync(29_999)
    expect(done).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    await sleeping
    expect(done).toBe(true)
  })

  it('resolves early, without error, when the signal aborts', async () => {
    const controller = new AbortController()
    let done = false
    const sleeping = systemClock.sleep(60_000, controller.signal).then(() => (done = true))
    await jest.advanceTimersByTimeAsync(1_000)
    expect(done).toBe(false)
    controller.abort()
    await jest.advanceTimersByTimeAsync(0)
    await sleeping
    expect(done).toBe(true)
    expect(jest.getTimerCount()).toBe(0)
  })

  it('resolves at once for an already aborted signal or a negative wait', async () => {
    const sleeping = systemClock.sleep(60_000, AbortSignal.abort())
    await jest.advanceTimersByTimeAsync(0)
    await expect(sleeping).resolves.toBeUndefined()
    let done = false
    const negative = systemClock.sleep(-5).then(() => (done = true))
    await jest.advanceTimersByTimeAsync(0)
    await negative
    expect(done).toBe(true)
  })

  it('leaves no timer and no abort listener behind', async () => {
    const controller = new AbortController()
    const sleeping = systemClock.sleep(1_000, controller.signal)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    await jest.advanceTimersByTimeAsync(1_000)
    await sleeping
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    expect(jest.getTimerCount()).toBe(0)
  })
})
