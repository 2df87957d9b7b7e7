/**
 * The runner's output and summary files for tests that use the real toolkit. @actions/core writes
 * to the paths in process.env (and caches the summary path), so they are set once for the calling
 * test file (or describe block) and restored after it; `empty()` clears both between tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface RunnerFiles {
  outputFile: string
  summaryFile: string
  /** GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, for the toolkit's own `env`. */
  env: () => NodeJS.ProcessEnv
  empty: () => void
}

export function useRunnerFiles(prefix: string): RunnerFiles {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const saved = { output: process.env.GITHUB_OUTPUT, summary: process.env.GITHUB_STEP_SUMMARY }
  const restore = (name: string, value: string | undefined): void => {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  beforeAll(() => {
    process.env.GITHUB_OUTPUT = outputFile
    process.env.GITHUB_STEP_SUMMARY = summaryFile
  })
  afterAll(() => {
    restore('GITHUB_OUTPUT', saved.output)
    restore('GITHUB_STEP_SUMMARY', saved.summary)
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    outputFile,
    summaryFile,
    env: () => ({ GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile }),
    empty() {
      writeFileSync(outputFile, '')
      writeFileSync(summaryFile, '')
    }
  }
}
