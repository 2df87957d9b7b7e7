/**
 * src/local-action.ts, the module @github/local-action imports: its run() runs the step with the real
 * toolkit, the process environment and the real clock, and turns a failing exit code into the
 * process's. (local-action.test.ts runs it through GitHub's local runner.)
 */
import { jest } from '@jest/globals'
import type { Dependencies } from '../src/main.js'

let exitCode = 0
const calls: Dependencies[] = []
jest.unstable_mockModule('../src/main.js', () => ({
  run: async (deps: Dependencies) => {
    calls.push(deps)
    return exitCode
  }
}))
const { run } = await import('../src/local-action.js')
const { systemClock } = await import('../src/clock.js')

let savedExitCode: typeof process.exitCode
beforeEach(() => {
  calls.length = 0
  savedExitCode = process.exitCode
  process.exitCode = undefined
})
afterEach(() => {
  process.exitCode = savedExitCode
})

it('runs the step with the real toolkit, the process environment and the real clock', async () => {
  await run()
  expect(calls).toHaveLength(1)
  const [deps] = calls
  expect(Object.keys(deps).sort()).toEqual(['clock', 'env', 'toolkit'])
  expect(deps.env).toBe(process.env)
  expect(deps.clock).toBe(systemClock)
  expect(typeof deps.toolkit.input).toBe('function')
  expect(typeof deps.toolkit.appendSummary).toBe('function')
})

it('leaves the exit code alone when the step passes', async () => {
  exitCode = 0
  await run()
  expect(process.exitCode).toBeUndefined()
})

it('sets the exit code when the step fails', async () => {
  exitCode = 1
  await run()
  const failed = process.exitCode
  process.exitCode = undefined
  expect(failed).toBe(1)
})
