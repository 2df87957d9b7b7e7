/** Time, made injectable so the waiting logic runs on a virtual clock in tests and the benchmark. */
export interface Clock {
  now(): number
  /** Resolves after `ms`, or early (without error) once `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const done = (): void => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: done() removes the listener itself, so `once` changes nothing
      signal?.addEventListener('abort', done, { once: true })
    })
}
