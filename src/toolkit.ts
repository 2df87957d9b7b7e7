/**
 * The runner's side of the step: inputs, masks, log lines, groups, outputs and the job summary.
 *
 * It uses @actions/core's own leaf modules (command escaping, the output-file delimiter, the
 * summary writer) rather than the package entry point: the entry point also loads the OIDC client
 * and with it undici, about 0.9 MB whose evaluation costs more than starting Node itself, for code
 * this action never calls. The package's `exports` map hides these files, hence the plain paths.
 * The output and summary writers load node:crypto and more, so they are imported when first used:
 * a step that stops on a bad input never pays for them.
 *
 * Every line, output and summary passes through `scrub`, so a registered secret never leaves the
 * process, even in text Datafold sent back (the runner's own masking covers the log only).
 */
import { issue, issueCommand } from '../node_modules/@actions/core/lib/command.js'

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
  /** Masks a secret in the runner's log and scrubs it from everything this toolkit writes. */
  mask(secret: string): void
  group<T>(name: string, work: () => Promise<T>): Promise<T>
  setOutput(name: string, value: string): Promise<void>
  /** Appends markdown to the job summary; a no-op when the runner gives no summary file. */
  appendSummary(markdown: string): Promise<void>
}

const REDACTED = '***'

/**
 * A plain log line that starts with `::` would be read by the runner as a workflow command; text
 * from Datafold or GitHub (a status, an error body) must never be able to issue one.
 */
function defuse(text: string): string {
  return text.replace(/^(\s*)::/gm, '$1: :')
}

export function createToolkit(env: NodeJS.ProcessEnv = process.env): Toolkit {
  const secrets: string[] = []
  const scrub = (text: string): string =>
    secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text)

  return {
    input: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
    mask(secret) {
      if (secret === '' || secrets.includes(secret)) return
      secrets.push(secret)
      // Longest first, so a secret that contains another is scrubbed whole.
      secrets.sort((a, b) => b.length - a.length)
      issueCommand('add-mask', {}, secret)
    },
    debug: (message) => issueCommand('debug', {}, scrub(message)),
    info: (message) => process.stdout.write(`${defuse(scrub(message))}\n`),
    notice: (message) => issueCommand('notice', {}, scrub(message)),
    warning: (message) => issueCommand('warning', {}, scrub(message)),
    error: (message) => issueCommand('error', {}, scrub(message)),
    async group(name, work) {
      issue('group', scrub(name))
      try {
        return await work()
      } finally {
        issue('endgroup')
      }
    },
    async setOutput(name, value) {
      if (env.GITHUB_OUTPUT) {
        const { issueFileCommand, prepareKeyValueMessage } = await fileCommands()
        issueFileCommand('OUTPUT', prepareKeyValueMessage(name, scrub(value)))
      } else {
        // Runners older than the output file read this command from the log instead.
        issueCommand('set-output', { name }, scrub(value))
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
