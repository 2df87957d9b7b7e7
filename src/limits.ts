/**
 * How much GitHub takes, and cutting text to fit it. Text from Datafold (table names, statuses,
 * error bodies) has no length limit of its own; past GitHub's limits an output is refused and a
 * job summary is dropped whole, verdict included. Whatever is cut says so.
 */
import { formatCount } from './format.js'

/** A log line or annotation message (the `::error::` line carries the whole verdict message). */
export const LOG_MESSAGE_CHARS = 16_000
/** One output: GitHub takes at most 1 MB per output. */
export const OUTPUT_MAX_BYTES = 1_000_000
/**
 * The step's job summary: GitHub drops a summary over 1 MiB (1,048,576 bytes) whole; this leaves
 * room for the secrets scrubbed after rendering to come out longer than they went in (`***`).
 */
export const SUMMARY_MAX_BYTES = 1_000_000

/** `text` cut to `maxChars`, ending with how much was cut; whole when it fits. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  // Never between the two halves of a surrogate pair (an emoji in a table name).
  const end = /[\ud800-\udbff]/.test(text[maxChars - 1]) ? maxChars - 1 : maxChars
  return `${text.slice(0, end)}… (${formatCount(text.length - end)} more characters cut)`
}

/** Whether GitHub takes `value` as one output. */
export function fitsOutput(value: string): boolean {
  return Buffer.byteLength(value) <= OUTPUT_MAX_BYTES
}

/**
 * `text` whole when it fits in `maxBytes`; else its whole lines from the start while they fit,
 * then `note` of what was left out (its line and byte counts). The start holds the heading and the
 * verdict.
 */
export function fitLines(
  text: string,
  maxBytes: number,
  note: (left: { lines: number; bytes: number }) => string
): string {
  if (Buffer.byteLength(text) <= maxBytes) return text
  const lines = text.split('\n')
  // Room for the note itself, whatever the counts in it.
  const budget = maxBytes - Buffer.byteLength(note({ lines: 1e9, bytes: 1e12 })) - 2
  let used = 0
  let kept = 0
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the whole text did not fit, so a line is always left over before kept reaches the end
  while (kept < lines.length) {
    const size = Buffer.byteLength(lines[kept]) + 1
    if (used + size > budget) break
    used += size
    kept++
  }
  const left = lines.slice(kept)
  const leftBytes = Buffer.byteLength(left.join('\n'))
  return [...lines.slice(0, kept), '', note({ lines: left.length, bytes: leftBytes })].join('\n')
}
