/**
 * Removing secrets from text. The rule: no 12 of a key's letters and digits in order may appear in
 * anything the step writes, whatever spaces, line breaks, punctuation or escapes stand between
 * them. A server that echoes a request back (an error page, a debug answer) may return the key
 * escaped for its own format, or for several in turn (JSON quoting JSON, HTML quoting a URL), cut
 * short, or broken over lines, so a key is found by what none of that changes: its ASCII letters
 * and digits, in order, each as itself or escaped, at any depth (`\\u0064` in JSON quoting
 * JSON, `%2564` in a URL encoded twice).
 */
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

/**
 * Letters and digits of a key in order that identify it: 12 of 62 possible characters are over 70
 * bits, and no run of a message's letters is a piece of a random key. A row of fewer than 6
 * different characters (`000000000000` in a test token) identifies nothing and is left alone.
 */
const IDENTIFYING_RUN = 12
const IDENTIFYING_DISTINCT = 6
/**
 * A key with fewer letters and digits than IDENTIFYING_RUN is looked for whole (all of them in
 * order), down to this many; below it, only in the forms secretForms lists.
 */
const MIN_SKELETON = 8

/** The `&` of an HTML entity escaped again, any number of times: `&amp;#38;`, `&#38;#38;`. */
const AMP = String.raw`(?:amp;|#0*38;|#[xX]0*26;)*`
/**
 * One character written as an escape, at a given position (sticky): `\u0064` or `\x64` (backslashes
 * doubled at each JSON level), a JSON escape of punctuation or a line break (`\n`, `\"`, `\\`), a
 * URL escape (`%64`, `%2564` once more), an HTML entity (`&#100;`, `&#x64;`, `&amp;`, `&amp;#38;`).
 * Groups: 1 \u hex, 2 \x hex, 3 % hex, 4 &#x hex, 5 &# decimal; none for punctuation and named
 * entities, which never stand for a letter or digit.
 */
const ESCAPE = new RegExp(
  String.raw`\\+(?:u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2})|[nrtbfv0'"/\\])|%(?:25)*([0-9A-Fa-f]{2})|&${AMP}(?:#(?:[xX]0*([0-9A-Fa-f]{1,6})|0*([0-9]{1,7}))|[A-Za-z][A-Za-z0-9]*);`,
  'y'
)

/** Code points of the ASCII letters and digits: the characters a key is found by. */
function isLetterOrDigit(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
}

/**
 * The escape at `position` in `text`: its length and the code point it stands for (-1 for one that
 * stands for no letter or digit, or for anything that is not a letter or digit); undefined when
 * no escape starts there.
 */
function escapeAt(text: string, position: number): { length: number; code: number } | undefined {
  ESCAPE.lastIndex = position
  const match = ESCAPE.exec(text)
  if (!match) return undefined
  const hex = match[1] ?? match[2] ?? match[3] ?? match[4]
  // Punctuation and named entities have no number: NaN, which is no letter or digit.
  const code = hex === undefined ? parseInt(match[5], 10) : parseInt(hex, 16)
  return { length: match[0].length, code: isLetterOrDigit(code) ? code : -1 }
}

/** Where one character of `text` may begin an escape: `\`, `%`, `&`. */
const ESCAPE_STARTS = new Set([92, 37, 38])

/** The letters and digits of `text`, escapes read as what they stand for (the first reading). */
function lettersOf(text: string): string {
  let letters = ''
  for (let position = 0; position < text.length;) {
    const escape = ESCAPE_STARTS.has(text.charCodeAt(position))
      ? escapeAt(text, position)
      : undefined
    const code = escape ? escape.code : text.charCodeAt(position)
    if (isLetterOrDigit(code)) letters += String.fromCharCode(code)
    position += escape ? escape.length : 1
  }
  return letters
}

/** A key's letters and digits in order, and what finding a piece of them takes. */
interface Skeleton {
  letters: string
  /** Where each character stands in `letters`. */
  at: Map<string, number[]>
  /** How many of them in order are a piece worth removing: IDENTIFYING_RUN, or all of a short key. */
  need: number
}

function skeletonOf(letters: string): Skeleton {
  const at = new Map<string, number[]>()
  Array.from(letters).forEach((char, i) => {
    const positions = at.get(char)
    if (positions) positions.push(i)
    else at.set(char, [i])
  })
  return { letters, at, need: Math.min(IDENTIFYING_RUN, letters.length) }
}

const skeletons = new Map<string, Skeleton[]>()

/**
 * The key's letters and digits as they stand in it (`%64` is `6`, `4`), and as its escapes read
 * (`%64` is `d`): a server may echo either. None for a key too short to be found by them.
 */
function skeletonsOf(secret: string): Skeleton[] {
  return skeletons.get(secret) ?? remember(secret)
}

function remember(secret: string): Skeleton[] {
  const found = [...new Set([secret.replace(/[^A-Za-z0-9]/g, ''), lettersOf(secret)])]
    .filter((letters) => letters.length >= MIN_SKELETON)
    .map(skeletonOf)
  skeletons.set(secret, found)
  return found
}

/** A piece of the key found in order: where it is in the key, where it began in the text. */
interface Piece {
  /** How many of the key's letters it holds. */
  length: number
  /** Where its first letter begins in the text. */
  start: number
}

/**
 * Every stretch of `text` that holds `need` or more of the key's letters and digits in order,
 * whatever stands between them (spaces, line breaks, punctuation, escapes of them), each letter
 * as itself or escaped, as [start, end) spans. Every reading of the text is followed at once (a
 * `%` or `\` may begin an escape or be punctuation): the pieces that reach each position are
 * kept by the key letter they wait for, the longest for each, so the walk is linear in the text.
 */
function piecesIn(text: string, skeleton: Skeleton): [number, number][] {
  const { letters, at, need } = skeleton
  const spans: [number, number][] = []
  /** Pieces that reach a position of the text, by the index of the key letter they wait for. */
  const arriving = new Map<number, Map<number, Piece>>()
  const arrive = (position: number, next: number, piece: Piece): void => {
    let pieces = arriving.get(position)
    if (!pieces) arriving.set(position, (pieces = new Map<number, Piece>()))
    const known = pieces.get(next)
    if (!known || known.length < piece.length) pieces.set(next, piece)
  }
  /** A character of the text read from `from` to `to`: a letter or digit, or -1 for anything else. */
  const read = (pieces: Map<number, Piece> | undefined, code: number, from: number, to: number) => {
    if (code < 0) {
      // Punctuation, a space, a line break, an escape of them: the pieces go on past it.
      pieces?.forEach((piece, next) => arrive(to, next, piece))
      return
    }
    const char = String.fromCharCode(code)
    const grow = (index: number, piece: Piece): void => {
      // The `need` letters that end here must hold enough different characters to identify it.
      if (
        piece.length >= need &&
        new Set(letters.slice(index + 1 - need, index + 1)).size >= IDENTIFYING_DISTINCT
      )
        spans.push([piece.start, to])
      arrive(to, index + 1, piece)
    }
    pieces?.forEach((piece, next) => {
      if (letters[next] === char) grow(next, { length: piece.length + 1, start: piece.start })
    })
    for (const index of at.get(char) ?? []) grow(index, { length: 1, start: from })
  }
  for (let position = 0; position < text.length; position++) {
    const pieces = arriving.get(position)
    arriving.delete(position)
    const code = text.charCodeAt(position)
    read(pieces, isLetterOrDigit(code) ? code : -1, position, position + 1)
    if (ESCAPE_STARTS.has(code)) {
      const escape = escapeAt(text, position)
      if (escape) read(pieces, escape.code, position, position + escape.length)
    }
  }
  return spans
}

/** `text` with each span (overlapping or not) replaced by one REDACTED. */
function replaceSpans(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text
  spans.sort((a, b) => a[0] - b[0])
  let out = ''
  let done = 0
  let [start, end] = spans[0]
  for (const [from, to] of spans) {
    if (from > end) {
      out += text.slice(done, start) + REDACTED
      done = end
      start = from
    }
    end = Math.max(end, to)
  }
  return out + text.slice(done, start) + REDACTED + text.slice(end)
}

/**
 * `text` with every secret replaced by ***: the forms secretForms lists (longest first), then every
 * stretch that holds 12 of a key's letters and digits in order (all of them for a shorter key),
 * whatever spaces, line breaks, punctuation or escapes stand between them: an echo escaped, cut
 * short, broken over lines or with its punctuation dropped.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const present = secrets.filter((secret) => secret !== '')
  if (present.length === 0) return text
  const forms = present.flatMap(secretForms).sort((a, b) => b.length - a.length)
  const out = forms.reduce((result, form) => result.split(form).join(REDACTED), text)
  const spans = present.flatMap(skeletonsOf).flatMap((skeleton) => piecesIn(out, skeleton))
  return replaceSpans(out, spans)
}

/** The identifying rows of a secret's letters and digits, as they stand in it, for the runner's mask. */
export function secretRuns(secret: string): string[] {
  return (secret.match(new RegExp(`[A-Za-z0-9]{${IDENTIFYING_RUN},}`, 'g')) ?? []).filter(
    (run) => new Set(run).size >= IDENTIFYING_DISTINCT
  )
}
