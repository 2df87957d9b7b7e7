/**
 * How long to wait before the next status check. The wait starts at `poll-interval` and grows with
 * the time already waited, so a short run is noticed within seconds and a long one costs few calls:
 * the delay between a run finishing and the action noticing stays under
 * max(poll-interval, GROWTH x the run's duration), and never above `max-poll-interval`.
 */
export const GROWTH = 0.1

export interface PollSchedule {
  pollIntervalMs: number
  maxPollIntervalMs: number
}

export function nextPollDelayMs(waitedMs: number, schedule: PollSchedule): number {
  const grown = Math.max(schedule.pollIntervalMs, waitedMs * GROWTH)
  return Math.min(grown, schedule.maxPollIntervalMs)
}
