/** Small text helpers shared by log lines and the summary. */

/** 75_000 → "1m 15s"; 4_000 → "4s"; 3_725_000 → "1h 2m 5s". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h > 0) return `${h}h ${m}m ${s}s`
  if (m > 0) return `${m}m ${s}s`
  return `${s}s`
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7)
}

const EXCERPT_CHARS = 300

/** The start of a body, on one line, for error messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat === '') return '(empty body)'
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat
}

/** 1234567 → "1,234,567": counts of rows and diffs, the same on every machine (no locale). */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n)
}

/**
 * A match ratio (0 to 1) as a percentage, cut (never rounded up) to two decimals, so a table that
 * is not a full match never shows 100 %: 0.982 → "98.2 %", 0.99999 → "99.99 %". A value outside
 * 0 to 1 is shown as it came.
 */
export function formatRatio(ratio: number): string {
  if (!(ratio >= 0 && ratio <= 1)) return String(ratio)
  // ratio * 1e4 may land just below a whole number (0.29 → 2899.9999999999995), so the next
  // hundredth is taken when its own value is not above the ratio. Comparing against k / 1e4, not
  // rounding the product, keeps 1 - 1/3e8 at 99.99: it is below 1, so 10000 is never reached.
  let hundredths = Math.floor(ratio * 1e4)
  if ((hundredths + 1) / 1e4 <= ratio) hundredths++
  return `${hundredths / 100} %`
}

/**
 * Characters that reorder the text around them without being seen (bidi embeddings, overrides,
 * isolates and the implicit marks): in a table name or a status they can make a line read
 * differently from what it says.
 */
const BIDI_CONTROLS = '\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069'

const ONE_LINE_UNSAFE = new RegExp(`[\x00-\x1f\x7f\u0085\u2028\u2029${BIDI_CONTROLS}]`, 'g')

/** Control characters, line breaks (including U+0085, U+2028, U+2029) and bidi controls become spaces. */
export function oneLine(text: string): string {
  return text.replace(ONE_LINE_UNSAFE, ' ')
}

const BIDI = new RegExp(`[${BIDI_CONTROLS}]`, 'g')

/** Bidi controls written out as their code points (`<U+202E>`), for log lines that keep their breaks. */
export function visibleBidi(text: string): string {
  return text.replace(
    BIDI,
    (char) => `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`
  )
}
