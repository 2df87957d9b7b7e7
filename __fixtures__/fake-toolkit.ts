/**
 * A Toolkit (src/toolkit.ts) that records instead of talking to the runner: inputs come from a plain
 * object, and every log line, group, output and summary is kept in order in `events`.
 *
 * Like the real toolkit it scrubs masked secrets from everything it records (that is the Toolkit
 * contract), so a test can check both that the code masked the key (`secrets`) and that nothing
 * recorded contains it (`everything()`).
 */
import type { AnnotationProperties } from '@actions/core'
import { redact } from '../src/redact.js'
import type { Toolkit } from '../src/toolkit.js'

export type LogLevel = 'debug' | 'info' | 'notice' | 'warning' | 'error'

export type ToolkitEvent =
  | { type: 'log'; level: LogLevel; message: string; properties?: AnnotationProperties }
  | { type: 'group'; name: string }
  | { type: 'endgroup'; name: string }
  | { type: 'output'; name: string; value: string }
  | { type: 'summary'; markdown: string }

export class FakeToolkit implements Toolkit {
  readonly events: ToolkitEvent[] = []
  /** Secrets passed to mask(), in order. */
  readonly secrets: string[] = []

  /** `inputs` uses the action.yml names: { 'ci-config-id': '7', ... }. */
  constructor(readonly inputs: Record<string, string> = {}) {}

  input = (name: string): string => (this.inputs[name] ?? '').trim()

  mask = (secret: string): void => {
    if (secret !== '' && !this.secrets.includes(secret)) this.secrets.push(secret)
  }

  redact = (text: string): string => this.scrub(text)

  debug = (message: string): void => this.log('debug', message)
  info = (message: string): void => this.log('info', message)
  notice = (message: string): void => this.log('notice', message)
  warning = (message: string, properties?: AnnotationProperties): void =>
    this.log('warning', message, properties)
  error = (message: string, properties?: AnnotationProperties): void =>
    this.log('error', message, properties)

  group = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    this.events.push({ type: 'group', name: this.scrub(name) })
    try {
      return await work()
    } finally {
      this.events.push({ type: 'endgroup', name: this.scrub(name) })
    }
  }

  setOutput = (name: string, value: string): Promise<void> => {
    this.events.push({ type: 'output', name, value: this.scrub(value) })
    return Promise.resolve()
  }

  appendSummary = (markdown: string): Promise<void> => {
    this.events.push({ type: 'summary', markdown: this.scrub(markdown) })
    return Promise.resolve()
  }

  /** The last value set for each output. */
  get outputs(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const e of this.events) if (e.type === 'output') out[e.name] = e.value
    return out
  }

  /** The title of each annotation of a level, in order ('' where none was given). */
  titles(level: 'warning' | 'error'): string[] {
    return this.events.flatMap((e) =>
      e.type === 'log' && e.level === level ? [e.properties?.title ?? ''] : []
    )
  }

  /** Log messages, optionally of one level only. */
  logs(level?: LogLevel): string[] {
    return this.events.flatMap((e) =>
      e.type === 'log' && (level === undefined || e.level === level) ? [e.message] : []
    )
  }

  /** Every summary appended, joined. '' when none was written. */
  get summary(): string {
    return this.events.flatMap((e) => (e.type === 'summary' ? [e.markdown] : [])).join('')
  }

  /** Index in `events` of the first event that matches, -1 if none. */
  indexOf(match: (e: ToolkitEvent) => boolean): number {
    return this.events.findIndex(match)
  }

  /** All recorded text (logs, group names, output values, summaries), for leak checks. */
  everything(): string {
    return this.events
      .map((e) => {
        switch (e.type) {
          case 'log':
            return e.properties?.title ? `${e.properties.title}\n${e.message}` : e.message
          case 'group':
          case 'endgroup':
            return e.name
          case 'output':
            return `${e.name}=${e.value}`
          case 'summary':
            return e.markdown
        }
      })
      .join('\n')
  }

  private log(level: LogLevel, message: string, properties?: AnnotationProperties): void {
    this.events.push({
      type: 'log',
      level,
      message: this.scrub(message),
      ...(properties ? { properties } : {})
    })
  }

  private scrub(text: string): string {
    return redact(text, this.secrets)
  }
}
