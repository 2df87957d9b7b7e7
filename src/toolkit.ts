/**
 * The runner's side of the step: inputs, masks, log lines, groups, outputs and the job summary,
 * through @actions/core's public API. What this module adds is the project's own safety around it:
 *
 * - every line, output and summary passes through `scrub`, so a registered secret (in every form a
 *   server may echo it in, see redact.ts) never leaves the process, even in text Datafold sent back;
 *   the runner's own masking covers the log only;
 * - text from outside can never issue a workflow command (`defuse`), nor reorder a line with bidi
 *   controls (written out as `<U+202E>`);
 * - a log message is cut at LOG_MESSAGE_CHARS, and an output GitHub would refuse (over 1 MB) is
 *   left unset with a warning (limits.ts);
 * - outputs are best effort: a missing or unwritable output file is warned about once.
 */
import * as core from '@actions/core'
import type { AnnotationProperties } from '@actions/core'
import { formatCount, visibleBidi } from './format.js'
import { cutText, fitsOutput, LOG_MESSAGE_CHARS, OUTPUT_MAX_BYTES } from './limits.js'
import { redact, secretForms, secretRuns } from './redact.js'

export interface Log {
  debug(message: string): void
  info(message: string): void
  notice(message: string): void
  /**
   * `properties` place the annotation: its title (what failed, at a glance on the checks page), file
   * and line; passed to @actions/core.
   */
  warning(message: string, properties?: AnnotationProperties): void
  error(message: string, properties?: AnnotationProperties): void
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
 * and the older `##[name]` anywhere in a line; both are broken up here. @actions/core escapes line
 * breaks in command messages, but writes `info` lines as they are.
 */
function defuse(text: string): string {
  return text.replace(/^([\s\u0085]*)::/gm, '$1: :').replace(/##\[/g, '# #[')
}

export function createToolkit(): Toolkit {
  const secrets: string[] = []
  const scrub = (text: string): string => redact(text, secrets)
  // Scrubbed before it is cut, so a cut never leaves part of a secret.
  const clean = (text: string): string =>
    cutText(visibleBidi(defuse(scrub(text))), LOG_MESSAGE_CHARS)
  let outputFailed = false

  return {
    input: (name) => core.getInput(name),
    mask(secret) {
      if (secret === '' || secrets.includes(secret)) return
      secrets.push(secret)
      // The rows of letters and digits too: the runner then masks an echo in any escaping, even in
      // text that never passes through this toolkit.
      for (const form of new Set([...secretForms(secret), ...secretRuns(secret)]))
        core.setSecret(form)
    },
    redact: scrub,
    debug: (message) => core.debug(clean(message)),
    info: (message) => core.info(clean(message)),
    notice: (message) => core.notice(clean(message)),
    warning: (message, properties) => core.warning(clean(message), properties),
    error: (message, properties) => core.error(clean(message), properties),
    group: (name, work) => core.group(clean(name), work),
    // Synchronous underneath (@actions/core appends to the file at once); a promise for the port.
    setOutput(name, raw) {
      const value = scrub(raw)
      if (!fitsOutput(value)) {
        core.warning(
          `Output ${name} is left unset: it is ${formatCount(Buffer.byteLength(value))} bytes, more than the ${formatCount(OUTPUT_MAX_BYTES)} bytes GitHub takes for one output. The job summary shows what it holds.`,
          { title: 'Output too large' }
        )
        return Promise.resolve()
      }
      try {
        core.setOutput(name, value)
      } catch (error) {
        if (outputFailed) return Promise.resolve()
        outputFailed = true
        core.warning(
          clean(
            `Could not set output ${name} (GITHUB_OUTPUT is ${process.env.GITHUB_OUTPUT ?? 'not set'}): ${(error as Error).message}. Outputs are left unset; the verdict and the job summary still follow.`
          ),
          { title: 'Outputs not set' }
        )
      }
      return Promise.resolve()
    },
    async appendSummary(markdown) {
      // core.summary refuses to work without the file; a runner without one gets no summary.
      if (!process.env.GITHUB_STEP_SUMMARY) return
      await core.summary.addRaw(scrub(markdown), true).write()
      core.summary.emptyBuffer()
    }
  }
}
