/**
 * Fail closed, proven on the bundled action with faults injected into its own process (node
 * --require a preload from __fixtures__/preload/): the step passes only on a verdict that says
 * pass. A promise that never settles, a log that breaks while the verdict is reported, and output
 * files that cannot be written each end with the right exit code and an error that says why.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commands, keyLeaks, runAgainstStandIn } from '../__fixtures__/run-action.js'

const preload = (name: string): string =>
  fileURLToPath(new URL(`../__fixtures__/preload/${name}`, import.meta.url))

describe('the bundled action fails closed', () => {
  it('when everything it awaits never settles, it exits 1 saying where it stopped', async () => {
    const { result, requests } = await runAgainstStandIn(
      {},
      {},
      { env: { NODE_OPTIONS: `--require ${preload('never-settle.cjs')}` } }
    )
    expect(result.killed).toBe(false)
    expect(result.code).toBe(1)
    expect(result.outputs.verdict ?? '').toBe('')
    expect(commands(result.stdout, 'error')).toEqual([
      'The step stopped without a verdict while listing the runs of the commit: that part of the action never finished. Failing the step, since only a verdict can pass it.'
    ])
    // The swallowed request never reached the stand-in; nothing was triggered.
    expect(requests).toEqual([])
    expect(keyLeaks(result)).toEqual([])
  })

  it('when the log breaks while a passing verdict is reported, it exits 1 with an error', async () => {
    const { result } = await runAgainstStandIn(
      { statuses: ['queued', 'done'] },
      {},
      { env: { NODE_OPTIONS: `--require ${preload('fail-while-reporting.cjs')}` } }
    )
    expect(result.killed).toBe(false)
    expect(result.code).toBe(1)
    const errors = commands(result.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^The step failed while writing its outputs and summary, so it fails rather than pass without a verdict: Error: EPIPE: broken pipe, write/
    )
  })

  describe('outputs are best effort', () => {
    let dir: string
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'output-faults-'))
    })
    afterEach(() => {
      chmodSync(dir, 0o700)
      rmSync(dir, { recursive: true, force: true })
    })

    it.each<[string, () => string]>([
      ['in a directory that does not exist', () => join(dir, 'missing', 'output')],
      ['a directory, not a file', () => dir]
    ])(
      'GITHUB_OUTPUT %s: one warning, then the verdict and the summary as usual',
      async (_name, path) => {
        const { result, requests } = await runAgainstStandIn(
          { statuses: ['queued', 'done'] },
          {},
          { env: { GITHUB_OUTPUT: path() } }
        )
        expect(result.killed).toBe(false)
        expect(result.code).toBe(0)
        expect(result.stderr).toBe('')
        const warnings = commands(result.stdout, 'warning')
        expect(warnings).toHaveLength(1)
        expect(warnings[0]).toMatch(
          /^Could not set output ci-run-id \(GITHUB_OUTPUT is .*\): .*Outputs are left unset; the verdict and the job summary still follow\.$/
        )
        expect(commands(result.stdout, 'error')).toEqual([])
        expect(result.summary).toContain('Datafold CI passed')
        // It kept waiting after the failed output: the trigger, then status checks to the end.
        expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1)
        expect(result.stdout).toContain('Datafold CI run 1000 is done')
      }
    )
  })
})
