/** Entry point of the bundled action: wires the real runner, clock and signals into main.run. */
import { systemClock } from './clock.js'
import { failClosed } from './fail-closed.js'
import { run } from './main.js'
import { createToolkit } from './toolkit.js'

const toolkit = createToolkit()
// Exit code 1 from here on; only a verdict from run() changes it (fail-closed.ts).
const guard = failClosed(process, (message) => toolkit.error(message, { title: 'No verdict' }))

// The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it. Stop waiting at
// the first signal; main writes the outputs and summary it can, and the timer below bounds that.
const CANCEL_GRACE_MS = 1_500
// After the verdict, anything still holding the event loop (a socket a server keeps open, say)
// gets this long before the process exits anyway.
const EXIT_GRACE_MS = 2_000
const cancelled = new AbortController()
const onSignal = (): void => {
  if (cancelled.signal.aborted) return
  cancelled.abort()
  setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

try {
  const exitCode = await run({
    toolkit,
    env: process.env,
    clock: systemClock,
    signal: cancelled.signal,
    phase: guard.phase
  })
  guard.conclude(cancelled.signal.aborted ? exitCode || 1 : exitCode)
  if (cancelled.signal.aborted) process.exit()
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref()
} catch (error) {
  toolkit.error(
    `Unexpected error; failing the step. ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    { title: 'Unexpected error' }
  )
  guard.conclude(1)
  process.exit()
}
