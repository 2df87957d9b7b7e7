/**
 * The runner's side of the step: inputs, masks, log lines, groups, outputs and the job summary.
 *
 * Workflow commands (`::error::`, `::group::`, `::add-mask::` ...) are formatted here, escaped the
 * way @actions/core escapes them, and written straight to file descriptor 1: @actions/core writes
 * through process.stdout, which on the runner's pipe builds a socket and Node's stream machinery at
 * first use, a cost paid by every step. Outputs and the job summary use @actions/core's own writers
 * (the output file's random delimiter, the summary file), imported when first used, so a step that
 * stops on a bad input never loads them or node:crypto. They are imported from their files, not the
 * package entry point, which would also load the OIDC client and undici (about 0.9 MB) for code this
 * action never calls; the package's `exports` map hides those files, hence the plain paths.
 *
 * Every line, output and summary passes through `scrub`, so a registered secret never leaves the
 * process, even in text Datafold sent back (the runner's own masking covers the log only).
 */
import { writeSync } from 'node:fs'
import { redact, secretForms } from './redact.js'

const fileCommands = () => import('../node_modules/@actions/core/lib/file-command.js')
const summaryWriter = () => import('../node_modules/@actions/core/lib/summary.js')

export interface Log {
  debug(message: string): void
  info(message: string): void
  notice(message: string): void
  warning(message: string): void
  error(message: string): void
}

export interface Toolkit extends Log {
  /** The raw value of an input, trimmed; '' when not given. */
  input(name: string): string
  /**
   * Masks a secret in the runner's log, in every form a server may echo it in (redact.ts), and
   * scrubs it from everything this toolkit writes.
   */
  mask(secret: string): void
  /** `text` without any masked secret: for text that is escaped before it is written. */
  redact(text: string): string
  group<T>(name: string, work: () => Promise<T>): Promise<T>
  /**
   * Sets an output. Best effort: a missing or unwritable output file is warned about once and
   * never stops the step, which still owes a verdict and a summary.
   */
  setOutput(name: string, value: string): Promise<void>
  /** Appends markdown to the job summary; a no-op when the runner gives no summary file. */
  appendSummary(markdown: string): Promise<void>
}

/**
 * Text from Datafold or GitHub (a status, an error body) must never issue a workflow command. The
 * runner reads `::name::` at the start of a line (after any .NET whitespace, which includes U+0085)
 * and the older `##[name]` anywhere in a line; both are broken up here.
 */
function defuse(text: string): string {
  return text.replace(/^([\s\u0085]*)::/gm, '$1: :').replace(/##\[/g, '# #[')
}

/** `::name key=value::message`, escaped like @actions/core so a message is always one line. */
export function workflowCommand(
  name: string,
  message = '',
  properties: Record<string, string> = {}
): string {
  const escapeData = (text: string): string =>
    text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
  const escapeProperty = (text: string): string =>
    escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
  const props = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',')
  return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`
}

/** Writes all of `text` to stdout's descriptor, waiting out a full non-blocking pipe. */
function writeToStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  for (let offset = 0; offset < bytes.length;) {
    try {
      offset += writeSync(1, bytes, offset)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
    }
  }
}

/**
 * `env` supplies the inputs and says whether the runner gave output and summary files; the files
 * themselves are written by @actions/core, which reads their paths from process.env, so the two
 * must agree (they are the same object in the action; tests set both).
 */
export function createToolkit(
  env: NodeJS.ProcessEnv = process.env,
  write: (text: string) => void = writeToStdout
): Toolkit {
  const secrets: string[] = []
  const scrub = (text: string): string => redact(text, secrets)
  let outputFailed = false
  const line = (text: string): void => write(`${text}\n`)
  const command = (name: string, message: string, properties?: Record<string, string>): void =>
    line(workflowCommand(name, defuse(scrub(message)), properties))

  return {
    input: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    mask(secret) {
      if (secret === '' || secrets.includes(secret)) return
      secrets.push(secret)
      for (const form of secretForms(secret)) line(workflowCommand('add-mask', form))
    },
    redact: scrub,
    debug: (message) => command('debug', message),
    info: (message) => line(defuse(scrub(message))),
    notice: (message) => command('notice', message),
    warning: (message) => command('warning', message),
    error: (message) => command('error', message),
    async group(name, work) {
      command('group', name)
      try {
        return await work()
      } finally {
        command('endgroup', '')
      }
    },
    async setOutput(name, value) {
      try {
        if (env.GITHUB_OUTPUT) {
          const { issueFileCommand, prepareKeyValueMessage } = await fileCommands()
          issueFileCommand('OUTPUT', prepareKeyValueMessage(name, scrub(value)))
        } else {
          // Runners older than the output file read this command from the log instead.
          command('set-output', value, { name })
        }
      } catch (error) {
        if (outputFailed) return
        outputFailed = true
        command(
          'warning',
          `Could not set output ${name} (GITHUB_OUTPUT is ${env.GITHUB_OUTPUT ?? 'not set'}): ${(error as Error).message}. Outputs are left unset; the verdict and the job summary still follow.`
        )
      }
    },
    async appendSummary(markdown) {
      if (!env.GITHUB_STEP_SUMMARY) return
      const { summary } = await summaryWriter()
      await summary.addRaw(scrub(markdown), true).write()
      summary.emptyBuffer()
    }
  }
}
