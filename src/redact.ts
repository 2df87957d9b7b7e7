/**
 * Removing secrets from text. A server that echoes a request back (an error page, a debug answer)
 * may return the key escaped for its own format, or for several in turn (JSON quoting JSON, HTML
 * quoting a URL), so a key is found by what no escaping changes: its ASCII letters and digits, in
 * order, whatever stands for the punctuation between them. A JSON answer is also decoded, so a key
 * whose letters were escaped too (`\u0064\u0066…`) is found in its strings.
 */
import { isObject, parseJson } from './json.js'

const REDACTED = '***'

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** The secret as sent, JSON-escaped (also with `\/`), URL-encoded (both hex cases), HTML-escaped. */
export function secretForms(secret: string): string[] {
  if (secret === '') return []
  const json = JSON.stringify(secret).slice(1, -1)
  const url = encodeURIComponent(secret)
  const forms = [
    secret,
    json,
    json.replace(/\//g, '\\/'),
    url,
    url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    secret.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char])
  ]
  return [...new Set(forms)]
}

/** The `&` of an HTML entity escaped again, any number of times: `&amp;#38;`, `&#38;#38;`. */
const AMP = String.raw`(?:amp;|#0*38;|#[xX]0*26;)*`
/**
 * What may stand for one character of a key that is not an ASCII letter or digit, in any escaping:
 * the character itself or any punctuation (backslashes doubled at each JSON level), a \uXXXX or
 * \xXX escape, a URL escape (`%26`, `%2526` once more), an HTML entity (`&amp;`, `&#38;`, `&#x26;`,
 * `&amp;amp;`, `&#38;#38;`).
 */
const ESCAPED_CHAR = String.raw`(?:\\+u[0-9A-Fa-f]{4}|\\+x[0-9A-Fa-f]{2}|%(?:25)*[0-9A-Fa-f]{2}|&${AMP}#?[0-9A-Za-z]+;|[^A-Za-z0-9])`
/** Escaped characters one character of a key may become (UTF-8 bytes, each escaped twice over). */
const ESCAPES_PER_CHAR = 12
/**
 * Letters and digits of a key in a row that identify it: 12 of 62 possible characters are over 70
 * bits, and no word of a message is a piece of a random key. A row of fewer than 6 different
 * characters (`000000000000` in a test token) identifies nothing and is left alone.
 */
const IDENTIFYING_RUN = 12
const IDENTIFYING_DISTINCT = 6
/** A key with fewer letters and digits is only removed in the forms secretForms lists. */
const MIN_SKELETON = 8
/** JSON strings that hold JSON text are decoded this many levels deep. */
const MAX_JSON_DEPTH = 4

/**
 * An ASCII letter or digit of a key as itself or escaped (an encoder that escapes every character,
 * at any depth): `\u0064`, `\x64`, `%64`, `&#100;`, `&#x64;`, hex digits in either case.
 */
function letterPattern(char: string): string {
  const code = char.charCodeAt(0)
  const hex = (width: number): string =>
    code
      .toString(16)
      .padStart(width, '0')
      .replace(/[a-f]/g, (digit) => `[${digit}${digit.toUpperCase()}]`)
  return String.raw`(?:${char}|\\+u${hex(4)}|\\+x${hex(2)}|%(?:25)*${hex(2)}|&${AMP}#(?:[xX]0*${hex(1)}|0*${code});)`
}

interface Matcher {
  /** The key's letters and digits in order, anything escaped between them. */
  whole?: RegExp
  /** The key's rows of letters and digits, as they stand in it. */
  letters: string[]
  /** Every identifying row of the key's letters and digits. */
  runs: Set<string>
}

/**
 * Text where a letter or digit may be escaped (`\u0064`, `%64`, `&#100;`). Without any, a key can
 * only be there with its letters as they are, which `includes` finds without running `whole`: that
 * large pattern costs milliseconds to compile, and most log lines hold no escape at all.
 */
const ESCAPED_LETTER = new RegExp(String.raw`\\[ux]|%(?:25)*[3-7][0-9A-Fa-f]|&${AMP}#`)

function mayHold(text: string, matcher: Matcher): boolean {
  return ESCAPED_LETTER.test(text) || matcher.letters.every((run) => text.includes(run))
}

const matchers = new Map<string, Matcher>()

function matcherFor(secret: string): Matcher {
  const known = matchers.get(secret)
  if (known) return known
  const parts = secret.split(/([A-Za-z0-9]+)/)
  // parts alternate: punctuation (maybe ''), letters and digits, punctuation, ...
  const letters = parts.filter((_, i) => i % 2 === 1)
  const skeleton = letters.join('')
  let whole: RegExp | undefined
  if (skeleton.length >= MIN_SKELETON) {
    const pattern = letters
      .map((run, i) => {
        const between = parts[2 * i + 2]
        const gap =
          i < letters.length - 1 ? `${ESCAPED_CHAR}{1,${between.length * ESCAPES_PER_CHAR}}` : ''
        return Array.from(run, letterPattern).join('') + gap
      })
      .join('')
    whole = new RegExp(pattern, 'g')
  }
  const runs = new Set<string>()
  for (let i = 0; i + IDENTIFYING_RUN <= skeleton.length; i++) {
    const run = skeleton.slice(i, i + IDENTIFYING_RUN)
    if (new Set(run).size >= IDENTIFYING_DISTINCT) runs.add(run)
  }
  const matcher = { whole, letters, runs }
  matchers.set(secret, matcher)
  return matcher
}

/** Whether a row of letters and digits from the text holds an identifying piece of a key. */
function holdsPiece(row: string, runs: Set<string>): boolean {
  for (let i = 0; i + IDENTIFYING_RUN <= row.length; i++) {
    if (runs.has(row.slice(i, i + IDENTIFYING_RUN))) return true
  }
  return false
}

/**
 * `text` with every secret replaced by ***: the forms secretForms lists (longest first), then the
 * key's letters and digits with anything escaped between them, then any row of letters and digits
 * that holds an identifying piece of a key (an echo cut short, a key with its punctuation dropped).
 */
export function redact(text: string, secrets: readonly string[]): string {
  const present = secrets.filter((secret) => secret !== '')
  if (present.length === 0) return text
  const forms = present.flatMap(secretForms).sort((a, b) => b.length - a.length)
  let out = forms.reduce((result, form) => result.split(form).join(REDACTED), text)
  const found = present.map(matcherFor)
  for (const matcher of found) {
    if (matcher.whole && mayHold(out, matcher)) out = out.replace(matcher.whole, REDACTED)
  }
  const runs = found.filter((matcher) => matcher.runs.size > 0).map((matcher) => matcher.runs)
  if (runs.length === 0) return out
  return out.replace(new RegExp(`[A-Za-z0-9]{${IDENTIFYING_RUN},}`, 'g'), (row) =>
    runs.some((set) => holdsPiece(row, set)) ? REDACTED : row
  )
}

/**
 * A server's answer without the secrets: as text (redact), and, when it is JSON, in every decoded
 * string, where escapes of the key's letters themselves are undone. An answer with a secret in a
 * decoded string is written out again from the scrubbed value; any other comes back as it was.
 */
export function redactAnswer(body: string, secrets: readonly string[]): string {
  // Without a backslash, no JSON string in the body is escaped: each decodes to the text as it
  // stands, which redact() already reads. Decoding is needed only where an escape could hide a key.
  if (!body.includes('\\')) return redact(body, secrets)
  const value = parseJson(body)
  if (value !== undefined) {
    const scrubbed = redactValue(value, secrets, 0)
    if (scrubbed !== value) return redact(JSON.stringify(scrubbed), secrets)
  }
  return redact(body, secrets)
}

/** `value` with the secrets removed from its strings; the same object when it had none. */
function redactValue(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (typeof value === 'string') {
    let out = redact(value, secrets)
    // A string that is itself JSON text (a body quoting another body) is decoded as well.
    const inner = depth < MAX_JSON_DEPTH ? parseJson(out) : undefined
    if (typeof inner === 'string' || (typeof inner === 'object' && inner !== null)) {
      const scrubbed = redactValue(inner, secrets, depth + 1)
      if (scrubbed !== inner) out = JSON.stringify(scrubbed)
    }
    return out === value ? value : out
  }
  if (Array.isArray(value)) {
    const items = value.map((item) => redactValue(item, secrets, depth))
    return items.some((item, i) => item !== value[i]) ? items : value
  }
  if (isObject(value)) {
    const entries = Object.entries(value).map(
      ([key, item]) => [redact(key, secrets), redactValue(item, secrets, depth)] as const
    )
    const changed = entries.some(([key, item], i) => {
      const [oldKey, oldItem] = Object.entries(value)[i]
      return key !== oldKey || item !== oldItem
    })
    return changed ? Object.fromEntries(entries) : value
  }
  return value
}

/** The identifying rows of a secret's letters and digits, as they stand in it, for the runner's mask. */
export function secretRuns(secret: string): string[] {
  return (secret.match(new RegExp(`[A-Za-z0-9]{${IDENTIFYING_RUN},}`, 'g')) ?? []).filter(
    (run) => new Set(run).size >= IDENTIFYING_DISTINCT
  )
}
