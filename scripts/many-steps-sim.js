/**
 * Many steps at once (issue 19): N steps of the action, started in the same instant (a mass rebase,
 * a bot updating many pull requests), each listing the runs of its commit, triggering and waiting,
 * against one Datafold that answers at most `limit` requests a second and 429 with
 * `Retry-After: 1` beyond that. The real DatafoldClient (its retries) and waitForRun (its schedule),
 * compiled from src/ into .bench-build/ by `tsc -p tsconfig.bench.json`, run on one shared virtual
 * clock: nothing really sleeps, and a seeded random source makes every figure the same on every
 * machine.
 *
 * Used by scripts/bench.js; importable on its own once .bench-build/ exists.
 */
import { setImmediate } from 'node:timers'

/**
 * @typedef {object} ManySteps
 * @property {number} steps
 * @property {number} busiest most requests Datafold received in one second, from `settleMs` to
 *   the end of the runs
 * @property {number} mean requests per second over the same seconds
 * @property {number} limited429 requests answered 429, in all
 * @property {number} limited429Late those from `settleMs` on
 * @property {number} firstMinute requests in the first minute, 429s included
 * @property {number[]} noticeMs per step, from its run finishing to the step seeing it finished
 * @property {number} rightVerdicts steps whose outcome is the conclusion of their run
 */

/** A deterministic uniform [0, 1) source (mulberry32), so runs of the benchmark can be compared. */
function seededRandom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * One virtual clock for many waiting loops: `sleep` queues a wake-up, and `drive` moves the time to
 * the earliest one each time every loop is blocked on a sleep.
 */
function sharedClock() {
  let now = 0
  let order = 0
  /** @type {{at: number, order: number, wake: () => void}[]} */
  const timers = []
  const settle = () => new Promise((resolve) => setImmediate(resolve))
  return {
    now: () => now,
    sleep: (ms, signal) =>
      signal?.aborted
        ? Promise.resolve()
        : new Promise((wake) => timers.push({ at: now + Math.max(0, ms), order: order++, wake })),
    async drive(done) {
      for (;;) {
        await settle()
        if (timers.length === 0) {
          if (await done) return
          throw new Error('The simulated steps stopped without finishing.')
        }
        timers.sort((a, b) => a.at - b.at || a.order - b.order)
        const next = timers.shift()
        now = next.at
        next.wake()
      }
    }
  }
}

const silentLog = { debug() {}, info() {}, notice() {}, warning() {}, error() {} }

/**
 * @param {{DatafoldClient: Function}} client the compiled src/datafold-client.js module
 * @param {{waitForRun: Function}} loop the compiled src/wait-for-run.js module
 * @param {{steps: number, runMs: number, limit: number, pollIntervalMs: number,
 *   maxPollIntervalMs: number, jitter: boolean, seed: number, latencyMs?: number,
 *   settleMs?: number}} options `jitter: false` gives the schedule's exact delays (the random
 *   source of the schedule then always answers the middle of the band)
 * @returns {Promise<ManySteps>}
 */
export async function simulateManySteps(client, loop, options) {
  const { steps, runMs, limit, seed } = options
  const latencyMs = options.latencyMs ?? 100
  const settleMs = options.settleMs ?? 10_000
  const clock = sharedClock()
  const random = seededRandom(seed)
  const scheduleRandom = options.jitter ? random : () => 0.5
  /** @type {{at: number, status: number}[]} */
  const arrivals = []
  const accepted = new Map()
  /** Run id -> when it finishes; odd runs fail, so a verdict is checked both ways. */
  const finishesAt = new Map()
  const statusOf = (id) =>
    clock.now() < finishesAt.get(id) ? 'processing' : id % 2 ? 'failed' : 'done'

  const transport = async (request) => {
    const at = clock.now()
    const second = Math.floor(at / 1000)
    const count = accepted.get(second) ?? 0
    const limited = count >= limit
    if (!limited) accepted.set(second, count + 1)
    arrivals.push({ at, status: limited ? 429 : 200 })
    await clock.sleep(latencyMs)
    if (limited) return { status: 429, headers: { 'retry-after': '1' }, body: '', url: request.url }
    const path = request.url.pathname
    const step = Number(request.url.searchParams.get('pr_sha')?.slice(-6) ?? -1)
    let body
    if (request.method === 'POST') {
      const id = Number(JSON.parse(request.body).pr_sha.slice(-6))
      if (!finishesAt.has(id)) finishesAt.set(id, clock.now() + runMs)
      body = { ci_run_id: id, run_id: id }
    } else if (path.endsWith('/runs')) {
      body = finishesAt.has(step)
        ? [{ id: step, status: statusOf(step), pr_num: String(step) }]
        : []
    } else {
      throw new Error(`Unexpected request ${request.method} ${path}`)
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      url: request.url
    }
  }

  const host = new URL('https://app.datafold.com')
  const deadlineMs = 30 * 60_000
  const one = async (index) => {
    const sha = `${'a'.repeat(34)}${String(index).padStart(6, '0')}`
    const api = new client.DatafoldClient({
      host,
      apiKey: 'bench-key',
      ciConfigId: 42,
      clock,
      log: silentLog,
      deadlineMs,
      requestTimeoutMs: 30_000,
      transport,
      random
    })
    await api.listRuns(sha, { firstContact: true })
    const trigger = await api.trigger({
      pr_number: index,
      pr_branch: `branch-${index}`,
      base_branch: 'main',
      pr_sha: sha,
      base_sha: 'b'.repeat(40)
    })
    const result = await loop.waitForRun({
      client: api,
      prSha: sha,
      target: { ciRunId: trigger.ciRunId },
      clock,
      schedule: {
        pollIntervalMs: options.pollIntervalMs,
        maxPollIntervalMs: options.maxPollIntervalMs
      },
      random: scheduleRandom,
      startedAtMs: 0,
      deadlineMs,
      startDeadlineMs: deadlineMs,
      log: silentLog
    })
    const expected = index % 2 ? 'failure' : 'success'
    return {
      right: result.outcome.kind === 'finished' && result.outcome.conclusion === expected,
      noticeMs: clock.now() - finishesAt.get(index)
    }
  }

  const all = Promise.all(Array.from({ length: steps }, (_, i) => one(i + 1)))
  await clock.drive(all.then(() => true))
  const results = await all

  const endMs = Math.min(...finishesAt.values())
  const perSecond = new Map()
  for (const { at } of arrivals) {
    const second = Math.floor(at / 1000)
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
  }
  const window = []
  for (let s = Math.floor(settleMs / 1000); s < Math.floor(endMs / 1000); s++)
    window.push(perSecond.get(s) ?? 0)
  return {
    steps,
    busiest: Math.max(...window),
    mean: window.reduce((sum, n) => sum + n, 0) / window.length,
    limited429: arrivals.filter((a) => a.status === 429).length,
    limited429Late: arrivals.filter((a) => a.status === 429 && a.at >= settleMs).length,
    firstMinute: arrivals.filter((a) => a.at < 60_000).length,
    noticeMs: results.map((r) => r.noticeMs),
    rightVerdicts: results.filter((r) => r.right).length
  }
}

/** The `p`-th percentile (0 to 100) of `values`, nearest rank. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]
}
