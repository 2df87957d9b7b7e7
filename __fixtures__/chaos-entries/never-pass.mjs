/**
 * A broken action for __tests__/fault-chaos.test.ts: the real bundle (dist/index.js) behind a gate
 * that never opens. It runs as it would, and an exit 0 becomes an exit 1 with an error.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const action = spawn(
  process.execPath,
  [fileURLToPath(new URL('../../dist/index.js', import.meta.url))],
  {
    stdio: 'inherit'
  }
)
action.on('exit', (code) => {
  if (code === 0) {
    console.log('::error::The data gate stays closed.')
    process.exit(1)
  }
  process.exit(code ?? 1)
})
