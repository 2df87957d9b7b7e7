import { GROWTH, nextPollDelayMs } from '../src/schedule.js'

const schedule = { pollIntervalMs: 5_000, maxPollIntervalMs: 30_000 }

describe('nextPollDelayMs', () => {
  it('starts at poll-interval', () => {
    expect(nextPollDelayMs(0, schedule)).toBe(5_000)
    expect(nextPollDelayMs(49_000, schedule)).toBe(5_000)
  })

  it('grows with the time already waited', () => {
    expect(nextPollDelayMs(100_000, schedule)).toBe(100_000 * GROWTH)
    expect(nextPollDelayMs(200_000, schedule)).toBe(20_000)
  })

  it('never exceeds max-poll-interval', () => {
    expect(nextPollDelayMs(300_000, schedule)).toBe(30_000)
    expect(nextPollDelayMs(10 * 3_600_000, schedule)).toBe(30_000)
  })

  it('keeps a detection delay within max(poll-interval, 10% of the run) on a simulated clock', () => {
    for (const runMs of [60_000, 300_000, 1_200_000, 3_600_000]) {
      let t = 0
      while (t < runMs) t += nextPollDelayMs(t, schedule)
      expect(t - runMs).toBeLessThanOrEqual(Math.max(schedule.pollIntervalMs, runMs * GROWTH))
      expect(t - runMs).toBeLessThanOrEqual(schedule.maxPollIntervalMs)
    }
  })
})
