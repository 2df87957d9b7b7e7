/**
 * `npm run local-action`: GitHub's own local runner (@github/local-action) runs the action from
 * src/local-action.ts against the stand-in Datafold, and sees the outputs through @actions/core.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

it('runs the action from source with @github/local-action and shows verdict success', () => {
  const run = spawnSync(process.execPath, ['scripts/local-action.js'], {
    cwd: root,
    encoding: 'utf8',
    timeout: 90_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root }
  })
  expect(run.status).toBe(0)
  const out = run.stdout
  // local-action's "Action Outputs" table, one row per output set through @actions/core.
  const outputs = out.slice(out.indexOf('Action Outputs'))
  expect(outputs).toMatch(/'ci-run-id'\s*│\s*'1000'/)
  expect(outputs).toMatch(/'status'\s*│\s*'done'/)
  expect(outputs).toMatch(/'verdict'\s*│\s*'success'/)
  expect(outputs).toMatch(/'data-diffs-changed'\s*│\s*'0'/)
  expect(out).toContain(
    'local-action exited 0; the stand-in Datafold (success) answered 7 requests.'
  )
}, 120_000)
