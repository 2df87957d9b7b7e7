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
  // Rounded to 1e-8 first, so 0.29 (28.999999999999996 %) is not cut to 28.99.
  const hundredths = Math.floor(Math.round(ratio * 1e8) / 1e4)
  return `${hundredths / 100} %`
}

/** Control characters and line breaks (including U+0085, U+2028, U+2029) become spaces. */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  return text.replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]/g, ' ')
}
