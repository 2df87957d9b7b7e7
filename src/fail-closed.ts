/**
 * The step is a merge gate, so it fails unless a verdict says it passes. The process starts with
 * exit code 1 and only a verdict changes it; whatever else ends the process (an exception nobody
 * caught, a promise that never settles so the event loop drains, a hang past the step's time)
 * ends it with 1 and an error that says what the step was doing.
 */

/** The parts of `process` the guard uses, so tests can hand it a stand-in. */
export interface GuardedProcess {
  exitCode?: number | string | null
  on(event: 'beforeExit', listener: () => void): unknown
  on(event: 'uncaughtException' | 'unhandledRejection', listener: (error: unknown) => void): unknown
  exit(code?: number): never
}

export interface StepGuard {
  /** What the step is doing now ("waiting for the answer to the trigger"), for the error. */
  phase: (text: string) => void
  /** The verdict's exit code. Until this is called the process can only exit 1. */
  conclude(exitCode: number): void
  /** Whether a verdict was given. */
  readonly concluded: boolean
}

/**
 * Arms the guard: exit code 1 from now on, and the handlers that turn a silent ending into a
 * failure. `report` writes the error line; it must not throw (the guard catches it if it does).
 */
export function failClosed(proc: GuardedProcess, report: (message: string) => void): StepGuard {
  let phase = 'starting'
  let concluded = false
  proc.exitCode = 1
  const say = (message: string): void => {
    try {
      report(message)
    } catch {
      // Nowhere left to say it; the exit code still fails the step.
    }
  }
  proc.on('beforeExit', () => {
    if (concluded) return
    concluded = true
    say(
      `The step stopped without a verdict while ${phase}: that part of the action never finished. Failing the step, since only a verdict can pass it.`
    )
    proc.exitCode = 1
  })
  const crash = (error: unknown): void => {
    concluded = true
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    say(`Unexpected error while ${phase}; failing the step. ${detail}`)
    proc.exit(1)
  }
  proc.on('uncaughtException', crash)
  proc.on('unhandledRejection', crash)
  return {
    phase(text) {
      phase = text
    },
    conclude(exitCode) {
      concluded = true
      proc.exitCode = exitCode
    },
    get concluded() {
      return concluded
    }
  }
}

/** The step took longer than its time limit: a wait somewhere was not bounded as it should be. */
export class TimeLimitError extends Error {
  override name = 'TimeLimitError'
}

/**
 * `work`, or a TimeLimitError after `ms` of real time, whichever comes first. A real timer, not the
 * step's Clock: this guards against faults in everything, the clock included. The timer is cleared
 * as soon as the work settles, and never keeps the process alive by itself.
 */
export function withinTimeLimit<T>(work: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeLimitError(what())), ms)
    timer.unref?.()
  })
  return Promise.race([work, limit]).finally(() => clearTimeout(timer))
}
