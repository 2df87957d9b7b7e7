/**
 * How long to wait before the next status check. The wait starts at `poll-interval` and grows with
 * the time already waited, so a short run is noticed within seconds and a long one costs few calls:
 * the delay between a run finishing and the action noticing stays under
 * max(poll-interval, GROWTH x the run's duration), and never above `max-poll-interval`, give or
 * take JITTER.
 */
import { LAST_ATTEMPT_MS } from './retry.js'

export const GROWTH = 0.1
/**
 * Each wait is drawn from ±JITTER around the schedule's, so steps started together (a mass rebase,
 * a bot updating many pull requests) drift apart instead of polling Datafold in the same second
 * for the whole run. The band is centred, so a single run costs the same calls on average.
 */
export const JITTER = 0.2

export interface PollSchedule {
  pollIntervalMs: number
  maxPollIntervalMs: number
}

export function nextPollDelayMs(
  waitedMs: number,
  schedule: PollSchedule,
  random: () => number = Math.random
): number {
  const grown = Math.max(schedule.pollIntervalMs, waitedMs * GROWTH)
  const planned = Math.min(grown, schedule.maxPollIntervalMs)
  return Math.round(planned * (1 + JITTER * (2 * random() - 1)))
}

/**
 * When the last status check starts: a little before the deadline (a second, or a twentieth of a
 * very short timeout), so a run that finishes just before wait-timeout-minutes ends is still seen.
 */
export function lastCheckMs(startedAtMs: number, deadlineMs: number): number {
  return deadlineMs - Math.min(LAST_ATTEMPT_MS, (deadlineMs - startedAtMs) / 20)
}
