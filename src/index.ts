/** Entry point of the bundled action: wires the real runner, clock and signals into main.run. */
import { systemClock } from './clock.js'
import { run } from './main.js'
import { createToolkit } from './toolkit.js'

// The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it. Stop waiting at
// the first signal; main writes the outputs and summary it can, and the timer below bounds that.
const CANCEL_GRACE_MS = 1_500
const cancelled = new AbortController()
const onSignal = (): void => {
  if (cancelled.signal.aborted) return
  cancelled.abort()
  setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

// No top-level await: the bundle is CommonJS (see src/index.cjs).
void run({
  toolkit: createToolkit(),
  env: process.env,
  clock: systemClock,
  signal: cancelled.signal
}).then((exitCode) => {
  if (cancelled.signal.aborted) process.exit(exitCode || 1)
  process.exitCode = exitCode
})
