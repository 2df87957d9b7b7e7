/**
 * The real toolkit writes through @actions/core, which reads inputs and the runner's files from
 * process.env and writes the log to process.stdout. These helpers set variables for one test and
 * capture what is written, then put both back.
 */
import { jest } from '@jest/globals'

/** Everything written to process.stdout until `restore()`, as one string and as writes. */
export function captureStdout(): { text(): string; writes: string[]; restore(): void } {
  const writes: string[] = []
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    writes.push(typeof chunk === 'string' ? chunk : String(chunk))
    return true
  })
  return { writes, text: () => writes.join(''), restore: () => spy.mockRestore() }
}

/** Sets `vars` in process.env (undefined deletes one); returns a function that restores them. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
  const apply = (values: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
  apply(vars)
  return () => apply(saved)
}
