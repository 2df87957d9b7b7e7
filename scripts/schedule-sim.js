/**
 * The action's real waiting loop (`waitForRun` from src/wait-for-run.ts, compiled by
 * `tsc -p tsconfig.bench.json` into .bench-build/) on a virtual clock, against a fake Datafold whose
 * run finishes at a chosen time. Nothing really sleeps, so an hour of polling takes milliseconds and
 * the figures are the same on every machine.
 *
 * Used by scripts/bench.js; importable on its own once .bench-build/ exists.
 */

/**
 * @typedef {object} Simulation
 * @property {number} calls status checks (list-runs calls) the loop made
 * @property {number} delayMs time from the run finishing to the check that saw it finished
 * @property {number} worstDelayMs the delay had the run finished just after the check before that
 *   one: the gap between the last two checks, the most a run finishing around then can wait
 * @property {string} outcome how waitForRun ended (`finished` when the run was seen done)
 * @property {number[]} checkTimesMs when each check happened, from the trigger
 */

/** A clock whose time moves only when the code under test sleeps. */
function virtualClock(startMs = 0) {
  let now = startMs
  return {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms)
    }
  }
}

const silentLog = { debug() {}, info() {}, notice() {}, warning() {}, error() {} }

/**
 * Runs waitForRun until a run that finishes `runMs` after the trigger is seen finished.
 * @param {{waitForRun: Function}} loop the compiled src/wait-for-run.js module
 * @param {{runMs: number, pollIntervalMs: number, maxPollIntervalMs: number, timeoutMs: number}} options
 * @returns {Promise<Simulation>}
 */
export async function simulate(loop, { runMs, pollIntervalMs, maxPollIntervalMs, timeoutMs }) {
  const clock = virtualClock(0)
  const checkTimesMs = []
  const prSha = 'a'.repeat(40)
  const client = {
    listRuns: async () => {
      const now = clock.now()
      checkTimesMs.push(now)
      return [{ id: 1, status: now >= runMs ? 'done' : 'processing', pr_num: '1', pr_sha: prSha }]
    }
  }
  const result = await loop.waitForRun({
    client,
    prSha,
    target: { ciRunId: 1 },
    clock,
    schedule: { pollIntervalMs, maxPollIntervalMs },
    startedAtMs: 0,
    deadlineMs: timeoutMs,
    startDeadlineMs: timeoutMs,
    log: silentLog,
    // The middle of the jitter band: the schedule's exact delays, the same figures on every run.
    random: () => 0.5
  })
  const seenAt = checkTimesMs[checkTimesMs.length - 1]
  const before = checkTimesMs.length > 1 ? checkTimesMs[checkTimesMs.length - 2] : seenAt
  return {
    calls: result.polls,
    delayMs: seenAt - runMs,
    worstDelayMs: seenAt - before,
    outcome: result.outcome.kind,
    checkTimesMs
  }
}
