/**
 * Entry for GitHub's local runner, @github/local-action (`npm run local-action`): it imports this
 * module, calls run(), and shows what went through @actions/core. The bundled action starts from
 * index.ts instead, which adds the fail-closed guard and the runner's cancel signals.
 */
import { systemClock } from './clock.js'
import { run as runStep } from './main.js'
import { createToolkit } from './toolkit.js'

export async function run(): Promise<void> {
  const exitCode = await runStep({ toolkit: createToolkit(), env: process.env, clock: systemClock })
  if (exitCode !== 0) process.exitCode = exitCode
}
