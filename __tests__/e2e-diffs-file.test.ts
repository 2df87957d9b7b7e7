/**
 * The `diffs` input as a pull request can shape it, end to end: the bundled action (dist/index.js)
 * run the runner's way against the stand-in Datafold, with a workspace the test builds (a committed
 * symbolic link, a FIFO, a file in another encoding, a YAML alias bomb). Each is an input error
 * naming `diffs`, the step fails at once, and not one request is sent.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  commands,
  keyLeaks,
  runAgainstStandIn as run,
  type StandInRunResult
} from '../__fixtures__/run-action.js'

/** An API integration: the run waits for its pairs (they never come here). */
const API_SCENARIO = { apiIntegration: true, statuses: ['processing', 'done'] }
const SECRET = 'runner-credential: s3cr3t-value'
/** Long enough for a slow machine, short enough that a step blocked for ever shows as killed. */
const GUARD_MS = 20_000

let workspace: string
let outside: string
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'diffs-workspace-'))
  outside = mkdtempSync(join(tmpdir(), 'runner-files-'))
  writeFileSync(join(outside, 'credentials.yml'), SECRET)
})

const runWith = (diffs: string): Promise<StandInRunResult> =>
  run(API_SCENARIO, { diffs }, { env: { GITHUB_WORKSPACE: workspace }, killAfterMs: GUARD_MS })

/** Failed at once with exactly these errors, nothing sent, nothing of the file or the key shown. */
function expectRefused(outcome: StandInRunResult, errors: (string | RegExp)[]): void {
  const { result, requests } = outcome
  expect(result.killed).toBe(false)
  expect(result.code).toBe(1)
  expect(requests).toEqual([])
  const shown = commands(result.stdout, 'error')
  expect(shown).toHaveLength(errors.length)
  errors.forEach((error, index) =>
    typeof error === 'string'
      ? expect(shown[index]).toBe(error)
      : expect(shown[index]).toMatch(error)
  )
  // An input error is a message, not a crash.
  expect(result.stdout + result.stderr).not.toMatch(/Unexpected error|\n\s+at /)
  expect(result.stdout + result.stderr + result.summary).not.toMatch(/s3cr3t|runner-credential/)
  expect(keyLeaks(result)).toEqual([])
}

describe('diffs: a file the pull request controls', () => {
  it('a committed link to a runner file is refused and its content never shown', async () => {
    symlinkSync(join(outside, 'credentials.yml'), join(workspace, 'datafold-diffs.yml'))
    expectRefused(await runWith('datafold-diffs.yml'), [
      new RegExp(
        `^Input diffs is "datafold-diffs.yml": ${join(workspace, 'datafold-diffs.yml')}, which leads to ${join(outside, 'credentials.yml')}, is outside the workspace ${workspace}: only files inside GITHUB_WORKSPACE are read\\. Expected the path of a JSON or YAML file inside GITHUB_WORKSPACE, or the list itself, for example \\[`
      )
    ])
  })

  it('a path out of the workspace, relative or absolute, is refused', async () => {
    expectRefused(await runWith(join(outside, 'credentials.yml')), [/is outside the workspace/])
    expectRefused(await runWith(`../${outside.split('/').pop()}/credentials.yml`), [
      /is outside the workspace/
    ])
  })

  it('a FIFO is refused at once instead of blocking the step for ever', async () => {
    execFileSync('mkfifo', [join(workspace, 'datafold-diffs.yml')])
    expectRefused(await runWith('datafold-diffs.yml'), [
      /^Input diffs is "datafold-diffs.yml": .* is a FIFO \(named pipe\), not a regular file\. Expected /
    ])
  })

  it('a link to /dev/zero or /dev/stdin is refused at once', async () => {
    symlinkSync('/dev/zero', join(workspace, 'zero.yml'))
    symlinkSync('/dev/stdin', join(workspace, 'stdin.yml'))
    expectRefused(await runWith('zero.yml'), [/^Input diffs is "zero.yml": .*\/dev\/zero/])
    expectRefused(await runWith('stdin.yml'), [/^Input diffs is "stdin.yml": /])
  })

  it('a file that is not UTF-8 is refused rather than uploaded with U+FFFD in its names', async () => {
    writeFileSync(
      join(workspace, 'datafold-diffs.yml'),
      Buffer.concat([
        Buffer.from('- prod: analytics.prod.r'),
        Buffer.from([0xe9]),
        Buffer.from('sum\u00e9\n  pr: analytics.pr_2.resume\n', 'latin1')
      ])
    )
    expectRefused(await runWith('datafold-diffs.yml'), [
      'Input diffs (file datafold-diffs.yml) is not UTF-8 text: expected a JSON or YAML file saved as UTF-8 (the table names would reach Datafold garbled).'
    ])
  })

  it('YAML aliases, one anchor used a hundred times, are an input error, not a crash', async () => {
    const bomb = `- &pair {prod: analytics.prod.orders, pr: analytics.pr_2.orders}\n${'- *pair\n'.repeat(100)}`
    expectRefused(await runWith(bomb), [
      'Input diffs uses a YAML alias (*name): expected every value written out, without anchors reused as aliases, so that what is checked is what is sent.'
    ])
  })
})
