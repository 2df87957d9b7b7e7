/**
 * A Clock (src/clock.ts) on virtual time: `sleep` advances the time at once and records the wait,
 * so waiting loops and retries run instantly and their schedule can be inspected afterwards.
 */
import type { Clock } from '../src/clock.js'

/** 2024-01-15T12:00:00Z: a realistic epoch, so HTTP dates in Retry-After make sense. */
const VIRTUAL_EPOCH_MS = Date.UTC(2024, 0, 15, 12, 0, 0)

export class VirtualClock implements Clock {
  /** Every wait asked of `sleep`, in order (ms, negative waits recorded as 0). */
  readonly sleeps: number[] = []
  /** The virtual time at which each sleep started. */
  readonly sleptAt: number[] = []
  /** Runs after each sleep moved the time on: a hook to abort a signal or change the world. */
  onSleep?: (ms: number, clock: VirtualClock) => void
  private time: number

  constructor(readonly startMs: number = VIRTUAL_EPOCH_MS) {
    this.time = startMs
  }

  now = (): number => this.time

  sleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
    if (signal?.aborted) return
    const wait = Math.max(0, ms)
    this.sleeps.push(wait)
    this.sleptAt.push(this.time)
    this.time += wait
    this.onSleep?.(wait, this)
    // Yield like a real timer would, so other promise chains get to run.
    await Promise.resolve()
  }

  /** Moves the time on without a sleep (for example to simulate a slow request). */
  advance(ms: number): void {
    this.time += ms
  }

  /** Virtual milliseconds since the clock was created. */
  elapsed(): number {
    return this.time - this.startMs
  }

  /** Sum of all recorded sleeps. */
  totalSlept(): number {
    return this.sleeps.reduce((sum, ms) => sum + ms, 0)
  }
}
