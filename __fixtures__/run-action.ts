/**
 * Runs the bundled action (`node dist/index.js`) as a child process the way the Actions runner does:
 * an `INPUT_*` variable for every input of action.yml (its default, overridden by the test's inputs),
 * the event payload in a file, and empty files for outputs and the job summary. The environment is
 * built from scratch (PATH plus what the runner sets), so nothing leaks in from the developer's
 * machine: no DATAFOLD_* variables, no proxy settings, no real token.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import {
  startStandIn,
  type RecordedRequest,
  type Scenario,
  type StandInRun
} from '../scripts/stand-in-datafold.js'

const root = fileURLToPath(new URL('..', import.meta.url))
export const EVENTS_DIR = join(root, '__fixtures__', 'events')

/** The pull request of the real `pull_request.opened` payload, as the action sends it to Datafold. */
export const OPENED_PR = (() => {
  const event = JSON.parse(readFileSync(join(EVENTS_DIR, 'pull_request.opened.json'), 'utf8')) as {
    number: number
    pull_request: { head: { ref: string; sha: string }; base: { ref: string; sha: string } }
  }
  return {
    pr_number: event.number,
    pr_branch: event.pull_request.head.ref,
    base_branch: event.pull_request.base.ref,
    pr_sha: event.pull_request.head.sha,
    base_sha: event.pull_request.base.sha
  }
})()

/** What `${{ github.token }}` becomes: a token-shaped string that works nowhere. */
export const FAKE_GITHUB_TOKEN = 'ghs_faketokenfortests000000000000000000'
/** The merge commit the runner puts in GITHUB_SHA on pull_request events; the action must ignore it. */
export const MERGE_SHA = 'feedfacefeedfacefeedfacefeedfacefeedface'
export const REPOSITORY = 'Codertocat/Hello-World'
const SERVER_URL = 'https://github.com'

interface ActionYml {
  inputs: Record<string, { default?: string; required?: boolean }>
  runs: { using: string; main: string }
}

const readActionYml = (): ActionYml =>
  parse(readFileSync(join(root, 'action.yml'), 'utf8')) as ActionYml

/** The file the runner starts: `runs.main` of action.yml (dist/index.js). */
const ACTION_ENTRY = join(root, readActionYml().runs.main)

/** Every input of action.yml with the value the runner gives it when the workflow does not. */
function actionDefaults(): Record<string, string> {
  const action = readActionYml()
  const defaults: Record<string, string> = {}
  for (const [name, spec] of Object.entries(action.inputs)) {
    if (spec.default === undefined) continue
    defaults[name] = String(spec.default).replace(
      /\$\{\{\s*github\.token\s*\}\}/g,
      FAKE_GITHUB_TOKEN
    )
  }
  return defaults
}

/** The runner's name for an input's variable: spaces become _, letters upper case, hyphens stay. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

export interface RunOptions {
  /** Inputs as a workflow's `with:` gives them; they override action.yml's defaults. */
  inputs?: Record<string, string>
  /** GITHUB_EVENT_NAME (default pull_request). */
  eventName?: string
  /** A file in __fixtures__/events (default pull_request.opened.json)... */
  eventFile?: string
  /** ...or the payload itself. */
  payload?: unknown
  /** Extra variables (or overrides of the runner's), for example DATAFOLD_HOST. */
  env?: Record<string, string>
  /** The script to run instead of the one action.yml names (for example a trimmed copy of dist/). */
  entry?: string
  /** Kill the action with SIGKILL after this long (a test guard; default 30 s). */
  killAfterMs?: number
  /** The node binary to run it with (default the one running the tests). */
  node?: string
}

export interface ActionResult {
  /** Exit code, or null when a signal ended the process. */
  code: number | null
  /** The signal that ended the process, when one did. */
  exitSignal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** Outputs written to GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** The job summary file's text ('' when nothing was written). */
  summary: string
  /** Wall time from spawning the process to its exit. */
  durationMs: number
  /** When a signal was sent: ms from sending it to the process exiting. */
  exitAfterSignalMs?: number
  /** Whether the guard had to kill the process. */
  killed: boolean
}

export interface RunningAction {
  child: ChildProcess
  /** Resolves once stdout (so far) matches, rejects after `timeoutMs`. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** Sends a signal now, as the runner does when a workflow is cancelled. */
  sendSignal(signal: NodeJS.Signals): void
  result: Promise<ActionResult>
}

/** Starts the action; the caller may signal it before awaiting `result`. */
export function startAction(options: RunOptions = {}): RunningAction {
  const dir = mkdtempSync(join(tmpdir(), 'datafold-action-'))
  const eventPath = join(dir, 'event.json')
  const outputPath = join(dir, 'github_output')
  const summaryPath = join(dir, 'step_summary')
  const runnerTemp = join(dir, 'runner_temp')
  const payload =
    options.payload !== undefined
      ? JSON.stringify(options.payload)
      : readFileSync(join(EVENTS_DIR, options.eventFile ?? 'pull_request.opened.json'), 'utf8')
  writeFileSync(eventPath, payload)
  writeFileSync(outputPath, '')
  writeFileSync(summaryPath, '')
  const eventName = options.eventName ?? 'pull_request'

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_SERVER_URL: SERVER_URL,
    // A closed local port: a lookup that should not happen cannot reach the real GitHub API.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: eventName.startsWith('pull_request') ? 'refs/pull/2/merge' : 'refs/heads/main',
    GITHUB_WORKSPACE: root,
    RUNNER_TEMP: runnerTemp,
    RUNNER_OS: 'Linux'
  }
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...options.inputs })) {
    env[inputVariable(name)] = value
  }
  Object.assign(env, options.env)

  const started = Date.now()
  const child = spawn(options.node ?? process.execPath, [options.entry ?? ACTION_ENTRY], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  const listeners = new Set<() => void>()
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    listeners.forEach((listener) => listener())
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))

  let signalledAt: number | undefined
  let killed = false
  const guard = setTimeout(() => {
    killed = true
    child.kill('SIGKILL')
  }, options.killAfterMs ?? 30_000)

  const result = new Promise<ActionResult>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(guard)
      reject(error)
    })
    child.on('close', (code, exitSignal) => {
      clearTimeout(guard)
      const ended = Date.now()
      const read = (path: string): string => readFileSync(path, 'utf8')
      const outcome: ActionResult = {
        code,
        exitSignal,
        stdout,
        stderr,
        outputs: parseFileCommands(read(outputPath)),
        summary: read(summaryPath),
        durationMs: ended - started,
        exitAfterSignalMs: signalledAt === undefined ? undefined : ended - signalledAt,
        killed
      }
      rmSync(dir, { recursive: true, force: true })
      resolve(outcome)
    })
  })

  return {
    child,
    result,
    sendSignal(signal) {
      signalledAt = Date.now()
      child.kill(signal)
    },
    waitForStdout(pattern, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (!pattern.test(stdout)) return
          done()
          resolve()
        }
        const timer = setTimeout(() => {
          done()
          reject(new Error(`stdout did not match ${pattern} within ${timeoutMs} ms:\n${stdout}`))
        }, timeoutMs)
        const onExit = (): void => {
          done()
          reject(new Error(`the action exited before stdout matched ${pattern}:\n${stdout}`))
        }
        const done = (): void => {
          clearTimeout(timer)
          listeners.delete(check)
          child.off('exit', onExit)
        }
        listeners.add(check)
        child.on('exit', onExit)
        check()
      })
    }
  }
}

/** Runs the action to the end. */
export function runAction(options: RunOptions = {}): Promise<ActionResult> {
  return startAction(options).result
}

/**
 * The runner's file-command format: `name<<DELIMITER\nvalue\nDELIMITER` (what @actions/core
 * writes), or the older single-line `name=value`.
 */
function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    if (line === '') continue
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`output ${name}: no closing delimiter ${delimiter}`)
      values[name] = lines.slice(i + 1, end).join('\n')
      i = end
      continue
    }
    const eq = line.indexOf('=')
    if (eq <= 0) throw new Error(`not a file command: ${JSON.stringify(line)}`)
    values[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return values
}

/** Workflow commands (`::name::message`) of one kind from a log, in order. */
export function commands(log: string, name: string): string[] {
  const prefix = new RegExp(`^::${name}(?: [^:]*)?::`)
  return log
    .split('\n')
    .filter((line) => prefix.test(line))
    .map((line) => unescapeCommand(line.replace(prefix, '')))
}

/** Reverses @actions/core's escaping of command data (%, CR, LF). */
function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** The key the stand-in accepts in the end-to-end tests: long and unusual, so any leak is found. */
export const API_KEY = 'dfk_e2e_Zq7Lw3Xv9Rt2Mn8Kp4'

/** Inputs for a run against a stand-in at `host`: its key and config, and a fast schedule. */
export function standInInputs(host: string): Record<string, string> {
  return {
    'api-key': API_KEY,
    'ci-config-id': '42',
    'datafold-host': host,
    'poll-interval': '0.05',
    'max-poll-interval': '0.2',
    'wait-timeout-minutes': '0.5',
    'request-timeout': '5'
  }
}

/** Every place the key must never appear, with the one `::add-mask::` line the runner needs removed. */
export function keyLeaks(result: ActionResult, key = API_KEY): string[] {
  const maskLine = `::add-mask::${key}`
  const places: [string, string][] = [
    [
      'stdout',
      result.stdout
        .split('\n')
        .filter((line) => line !== maskLine)
        .join('\n')
    ],
    ['stderr', result.stderr],
    ['outputs', JSON.stringify(result.outputs)],
    ['summary', result.summary]
  ]
  return places.filter(([, text]) => text.includes(key)).map(([where]) => where)
}

export interface StandInRunResult {
  result: ActionResult
  /** Every request the stand-in received, in order. */
  requests: RecordedRequest[]
  /** The stand-in's runs afterwards (`created` marks the ones a trigger made). */
  runs: StandInRun[]
  /** The stand-in's base URL. */
  host: string
}

/**
 * Starts a stand-in Datafold with `scenario` (accepting API_KEY), runs the action against it with
 * standInInputs overridden by `inputs`, and closes the stand-in.
 */
export async function runAgainstStandIn(
  scenario: Scenario = {},
  inputs: Record<string, string> = {},
  options: Omit<RunOptions, 'inputs'> = {}
): Promise<StandInRunResult> {
  const standIn = await startStandIn({ apiKey: API_KEY, ...scenario })
  try {
    const result = await runAction({
      ...options,
      inputs: { ...standInInputs(standIn.url), ...inputs }
    })
    return { result, requests: standIn.requests, runs: standIn.runs, host: standIn.url }
  } finally {
    await standIn.close()
  }
}
