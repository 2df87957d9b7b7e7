import { GROWTH, JITTER, nextPollDelayMs } from '../src/schedule.js'

const schedule = { pollIntervalMs: 5_000, maxPollIntervalMs: 30_000 }
/** The middle of the jitter band: the schedule's exact delays. */
const middle = (): number => 0.5

describe('nextPollDelayMs', () => {
  it('starts at poll-interval', () => {
    expect(nextPollDelayMs(0, schedule, middle)).toBe(5_000)
    expect(nextPollDelayMs(49_000, schedule, middle)).toBe(5_000)
  })

  it('grows with the time already waited', () => {
    expect(nextPollDelayMs(100_000, schedule, middle)).toBe(100_000 * GROWTH)
    expect(nextPollDelayMs(200_000, schedule, middle)).toBe(20_000)
  })

  it('never exceeds max-poll-interval', () => {
    expect(nextPollDelayMs(300_000, schedule, middle)).toBe(30_000)
    expect(nextPollDelayMs(10 * 3_600_000, schedule, middle)).toBe(30_000)
  })

  it('draws each delay from ±20 % around the schedule, so steps started together drift apart', () => {
    expect(JITTER).toBe(0.2)
    expect(nextPollDelayMs(0, schedule, () => 0)).toBe(4_000)
    expect(nextPollDelayMs(0, schedule, () => 0.25)).toBe(4_500)
    expect(nextPollDelayMs(0, schedule, () => 0.75)).toBe(5_500)
    expect(nextPollDelayMs(0, schedule, () => 0.999_999)).toBe(6_000)
    expect(nextPollDelayMs(100_000, schedule, () => 0)).toBe(8_000)
    expect(nextPollDelayMs(10 * 3_600_000, schedule, () => 0.999_999)).toBe(36_000)
  })

  it('uses Math.random when no source is given', () => {
    const delays = new Set(Array.from({ length: 50 }, () => nextPollDelayMs(0, schedule)))
    expect(delays.size).toBeGreaterThan(1)
    for (const ms of delays) {
      expect(ms).toBeGreaterThanOrEqual(4_000)
      expect(ms).toBeLessThanOrEqual(6_000)
    }
  })

  it('keeps a detection delay within max(poll-interval, 10% of the run), give or take the band, on a simulated clock', () => {
    for (const random of [middle, () => 0, () => 0.999_999]) {
      for (const runMs of [60_000, 300_000, 1_200_000, 3_600_000]) {
        let t = 0
        while (t < runMs) t += nextPollDelayMs(t, schedule, random)
        const band = 1 + JITTER
        expect(t - runMs).toBeLessThanOrEqual(
          Math.max(schedule.pollIntervalMs, runMs * GROWTH) * band
        )
        expect(t - runMs).toBeLessThanOrEqual(schedule.maxPollIntervalMs * band)
      }
    }
  })

  it('costs a single run about the calls of the exact schedule', () => {
    // A seeded uniform source (the step uses Math.random): over an hour the jittered schedule
    // makes the exact one's calls within a few per cent.
    let state = 19
    const uniform = (): number => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31
      return state / 2 ** 31
    }
    const calls = (random: () => number): number => {
      let t = 0
      let n = 0
      while (t < 3_600_000) {
        t += nextPollDelayMs(t, schedule, random)
        n++
      }
      return n
    }
    const exact = calls(middle)
    expect(Math.abs(calls(uniform) - exact)).toBeLessThanOrEqual(exact * 0.05)
  })
})
