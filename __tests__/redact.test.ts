/**
 * Every form a server may echo a secret back in (JSON, URL, HTML escaping), and removing them all
 * from text, longest first.
 */
import fc from 'fast-check'
import { parseJson } from '../src/json.js'
import { redact, secretForms, secretRuns } from '../src/redact.js'

describe('secretForms', () => {
  it('has no forms for an empty secret', () => {
    expect(secretForms('')).toEqual([])
  })

  it('gives a plain key once: every escaping leaves it as it is', () => {
    expect(secretForms('dfk_plainKey123')).toEqual(['dfk_plainKey123'])
  })

  it('gives each form once, in order: as sent, JSON, JSON with \\/, URL, URL in lower case, HTML', () => {
    expect(secretForms('k%ey/"q<')).toEqual([
      'k%ey/"q<',
      'k%ey/\\"q<',
      'k%ey\\/\\"q<',
      'k%25ey%2F%22q%3C',
      'k%25ey%2f%22q%3c',
      'k%ey/&quot;q&lt;'
    ])
  })

  it('escapes every character HTML escapes, and each as HTML does', () => {
    expect(secretForms(`a&b<c>d"e'f`).at(-1)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f')
    expect(secretForms(`&&<<`)).toContain('&amp;&amp;&lt;&lt;')
  })

  it('escapes every slash and every URL escape, not just the first', () => {
    const forms = secretForms('a/b/c é?')
    expect(forms).toContain('a\\/b\\/c é?')
    expect(forms).toContain('a%2Fb%2Fc%20%C3%A9%3F')
    expect(forms).toContain('a%2fb%2fc%20%c3%a9%3f')
  })

  it('lowers only the hex digits of URL escapes, never the secret itself', () => {
    expect(secretForms('AB/CD')).toEqual(['AB/CD', 'AB\\/CD', 'AB%2FCD', 'AB%2fCD'])
  })

  it('escapes control characters the JSON way', () => {
    expect(secretForms('a\nb')).toEqual(['a\nb', 'a\\nb', 'a%0Ab', 'a%0ab'])
  })
})

describe('redact', () => {
  it('replaces every occurrence of every form with ***', () => {
    const secret = 'k%ey/"q<'
    const text = [
      `raw ${secret}`,
      `json ${JSON.stringify({ key: secret })}`,
      `slash "k%ey\\/\\"q<"`,
      `url ?key=${encodeURIComponent(secret)}&again=${encodeURIComponent(secret)}`,
      `lower ?key=k%25ey%2f%22q%3c`,
      `html <td>k%ey/&quot;q&lt;</td>`
    ].join('\n')
    expect(redact(text, [secret])).toBe(
      [
        'raw ***',
        'json {"key":"***"}',
        'slash "***"',
        'url ?key=***&again=***',
        'lower ?key=***',
        'html <td>***</td>'
      ].join('\n')
    )
  })

  it('removes the longest form first, so no part of a longer secret is left', () => {
    expect(redact('x abcdef y abc z', ['abc', 'abcdef'])).toBe('x *** y *** z')
    expect(redact('x abcdef y abc z', ['abcdef', 'abc'])).toBe('x *** y *** z')
    // The JSON form of \/ (\\/) contains the secret as sent; removed first, no backslash is left.
    expect(redact('{"k":"\\\\/"}', ['\\/'])).toBe('{"k":"***"}')
  })

  it('leaves text alone without secrets, or with only an empty one', () => {
    expect(redact('nothing to hide', [])).toBe('nothing to hide')
    expect(redact('nothing to hide', [''])).toBe('nothing to hide')
  })
})

/** The JSON string escaping of `text`, without the quotes. */
const json = (text: string): string => JSON.stringify(text).slice(1, -1)
/** Every UTF-16 unit of `text` that `pattern` matches, as \uXXXX. */
const uEscape = (text: string, pattern: RegExp, upper = false): string =>
  text.replace(pattern, (char) => {
    const hex = char.charCodeAt(0).toString(16).padStart(4, '0')
    return `\\u${upper ? hex.toUpperCase() : hex}`
  })
const go = (text: string): string => uEscape(json(text), /[&<>]/g)
const ensureAscii = (text: string): string => uEscape(json(text), /[^ -~]/g)
const html = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!
  )
const entities = (text: string, hex: boolean): string =>
  Array.from(text)
    .map((char) =>
      /[A-Za-z0-9]/.test(char)
        ? char
        : hex
          ? `&#x${char.codePointAt(0)!.toString(16)};`
          : `&#${char.codePointAt(0)};`
    )
    .join('')
/** Python's repr of the UTF-8 bytes: non-ASCII bytes and the quote as \xNN. */
const bytesRepr = (text: string): string =>
  Array.from(Buffer.from(text, 'utf8'))
    .map((byte) =>
      byte < 0x80 && byte !== 0x27 && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`
    )
    .join('')

/** Every escaping a server (or a proxy, or a body quoting another body) may apply. */
const ESCAPINGS: [string, (text: string) => string][] = [
  ['as sent', (text) => text],
  ['JSON', json],
  ['JSON with \\/', (text) => json(text).replace(/\//g, '\\/')],
  ['Go (\\u0026 \\u003c \\u003e)', go],
  ['ensure-ASCII (\\u00e9, surrogate pairs)', ensureAscii],
  ['ensure-ASCII in upper-case hex', (text) => uEscape(json(text), /[^ -~]/g, true)],
  ['every character \\u-escaped', (text) => uEscape(text, /[\s\S]/g)],
  ['JSON inside JSON (backslashes escaped twice)', (text) => json(json(text))],
  ['Go inside JSON', (text) => json(go(text))],
  ['ensure-ASCII inside ensure-ASCII', (text) => ensureAscii(ensureAscii(text))],
  ['URL', encodeURIComponent],
  [
    'URL in lower-case hex',
    (text) => encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase())
  ],
  ['URL twice', (text) => encodeURIComponent(encodeURIComponent(text))],
  ['a form field', (text) => new URLSearchParams({ k: text }).toString().slice(2)],
  ['JSON of a URL', (text) => json(encodeURIComponent(text))],
  ['HTML', html],
  ['HTML twice', (text) => html(html(text))],
  ['HTML decimal entities', (text) => entities(text, false)],
  ['HTML hex entities', (text) => entities(text, true)],
  ['HTML decimal entities, escaped again', (text) => html(entities(text, false))],
  ['HTML decimal entities, twice', (text) => entities(text, false).replace(/&/g, '&#38;')],
  ['HTML of JSON', (text) => html(json(text))],
  ['bytes repr (\\xNN)', bytesRepr]
]

// Punctuation every escaper touches, a backslash, and letters beyond ASCII.
const ODD_KEY = `dfk_Zq7&Lw3<Xv9>Rt2"Mn8\\Kp4/é'✓😀=Hs5`
// A key as Datafold issues them: letters, digits, an underscore.
const PLAIN_KEY = 'dfk_e2e_Zq7Lw3Xv9Rt2Mn8Kp4'

describe('redact: the key through every escaping a server might apply', () => {
  describe.each([
    ['an odd key', ODD_KEY],
    ['a plain key', PLAIN_KEY]
  ])('%s', (_, key) => {
    it.each(ESCAPINGS)('%s, in text', (_, escape) => {
      const text = `Datafold answered 500: ${escape(key)} (request echoed)`
      expect(redact(text, [key])).toBe('Datafold answered 500: *** (request echoed)')
    })

    it.each(ESCAPINGS)('%s, in a JSON answer', (_, escape) => {
      const pieces = key.match(/[A-Za-z0-9]{3,}/g)!.slice(1)
      // The escaped key as a JSON value; and, where the escaping is itself a JSON string escaping
      // (Go, ensure-ASCII, every character), as the encoder wrote the string.
      const bodies = [JSON.stringify({ detail: `echo: ${escape(key)}`, id: 1 })]
      const written = `{"detail": "echo: ${escape(key)}", "id": 1.0}`
      if (parseJson(written) !== undefined) bodies.push(written)
      for (const body of bodies) {
        const scrubbed = redact(body, [key])
        for (const piece of pieces) expect(scrubbed).not.toContain(piece)
        expect(scrubbed).toContain('***')
      }
    })
  })

  it("leaves punctuation at the key's ends, which identifies nothing, when it was escaped", () => {
    expect(redact('echo \\u0022dfk_Zq7Lw3Xv9\\u0022!', ['"dfk_Zq7Lw3Xv9"'])).toBe(
      'echo \\u0022***\\u0022!'
    )
  })

  it('removes a cut-off echo of the key: 12 of its letters and digits in a row are enough', () => {
    expect(redact('Authorization: Key dfk_e2e_Zq7Lw3Xv9Rt2… (cut)', [PLAIN_KEY])).toBe(
      'Authorization: Key ***… (cut)'
    )
    expect(redact('key=dfke2eZq7Lw3Xv9Rt2Mn8Kp4', [PLAIN_KEY])).toBe('key=***')
  })

  it('leaves alone text that only shares short pieces or a row of one character with the key', () => {
    const zeros = 'ghs_fake000000000000000000000000000'
    // `elsewhere, Zq7Lw3Xv9R`: e, Z, q, ... are 11 of the key's letters in order, one short.
    const text = 'base 0000000000000000000000000000000000000000, dfk_e2e_ elsewhere, Zq7Lw3Xv9R'
    expect(redact(text, [zeros, PLAIN_KEY])).toBe(text)
  })

  it('finds the key in a JSON answer that quotes it inside a JSON text inside a string', () => {
    const inner = JSON.stringify({
      headers: { authorization: `Key ${uEscape(ODD_KEY, /[\s\S]/g)}` }
    })
    const body = JSON.stringify({ detail: 'bad gateway', upstream: inner })
    const scrubbed = redact(body, [ODD_KEY])
    expect(scrubbed).not.toMatch(/Zq7|Lw3|Xv9|Rt2|Mn8|Kp4|Hs5/)
    expect((JSON.parse(scrubbed) as { detail: string }).detail).toBe('bad gateway')
  })

  it('returns an answer without the key exactly as it came, numbers and spacing kept', () => {
    const body = '{ "ci_run_id": 1e21, "run_id": 12.50, "detail": "caf\\u00e9" }'
    expect(redact(body, [PLAIN_KEY])).toBe(body)
    expect(redact('not json', [PLAIN_KEY])).toBe('not json')
  })
})

// A key whose own `_` cuts its letters and digits into rows shorter than 12.
const SPLIT_KEY = 'dfk_Zq7Lw3Xv9_Rt2Mn8Kp4Hs5'

describe('redact: no 12 of the key’s letters and digits in order, whatever stands between them', () => {
  it('removes an echo broken by a line break inside the key', () => {
    expect(redact('key: dfk_Zq7Lw3\nXv9_Rt2Mn8Kp4Hs5 (echoed)', [SPLIT_KEY])).toBe(
      'key: *** (echoed)'
    )
    expect(redact('{"key": "dfk_Zq7Lw3\\nXv9_Rt2Mn8Kp4Hs5"}', [SPLIT_KEY])).toBe('{"key": "***"}')
  })

  it('removes an echo cut after 20 of its characters', () => {
    expect(redact(`Authorization: Key ${SPLIT_KEY.slice(0, 20)}… (cut)`, [SPLIT_KEY])).toBe(
      'Authorization: Key ***… (cut)'
    )
  })

  it('leaves 11 of them in order, and text that holds none', () => {
    // dfk Zq7 Lw3 X v: 11 letters; then a letter that is not the key's next.
    const text = 'dfk Zq7-Lw3 X v Q and nothing else'
    expect(redact(text, [SPLIT_KEY])).toBe(text)
  })

  it('reads a `%` or a backslash both ways: as an escape and as punctuation before letters', () => {
    // `%e2` could be a URL escape; here it is a percent sign before the key's `e2`.
    const key = 'e2e4Zq7Lw3Xv9Rt2'
    expect(redact(`load 50%${key} done`, [key])).toBe('load 50%*** done')
    expect(redact(`path C:\\${key}`, [key])).toBe('path C:\\***')
  })

  it('finds the letters of a key with escapes in it as written and as they read', () => {
    // The key's own `%64` is `6`, `4` as written and `d` as read; an echo may show either.
    const key = 'ab%64cdZq7Lw3Xv'
    expect(redact('x ab64cdZq7Lw3Xv y', [key])).toBe('x *** y')
    expect(redact('x ab%2564cdZq7Lw3Xv y', [key])).toBe('x *** y')
  })
})

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
/** What may stand between two letters of an echo: nothing, spaces, punctuation, escapes of them. */
const SEPARATORS = [
  '',
  ' ',
  '\n',
  '\r\n',
  '_',
  '-',
  '.',
  '/',
  '"',
  '%',
  '\\',
  '\\n',
  '\\\\n',
  '\\"',
  '\\u005f',
  '\\\\u005F',
  '\\x5f',
  '%5F',
  '%255f',
  '%0A',
  '&amp;',
  '&amp;amp;',
  '&#95;',
  '&#x5F;',
  '&amp;#38;',
  '&lt;'
]
/** How a letter of an echo may be written: as itself or escaped. */
const LETTER_FORMS: ((char: string) => string)[] = [
  (char) => char,
  (char) => char,
  (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  (char) => `&#${char.charCodeAt(0)};`
]

/**
 * The key's letters and digits that `output` still shows, each escape of the kinds the echoes use
 * read as what it stands for: an independent reading, not redact's own.
 */
function shownLetters(output: string): string {
  return output
    .replace(
      /\\+u([0-9A-Fa-f]{4})|\\+x([0-9A-Fa-f]{2})|%(?:25)*([0-9A-Fa-f]{2})|&(?:amp;)*#(?:38;#)?(?:[xX]([0-9A-Fa-f]+)|(\d+));|\\+[n"]|&(?:amp;)*[a-z]+;/g,
      (
        _: string,
        u: string | undefined,
        x: string | undefined,
        pct: string | undefined,
        hex: string | undefined,
        dec: string | undefined
      ) => {
        const hexDigits = u ?? x ?? pct ?? hex
        const code = hexDigits ? parseInt(hexDigits, 16) : dec ? Number(dec) : 32
        return String.fromCharCode(code)
      }
    )
    .replace(/[^A-Za-z0-9]/g, '')
}

/** Whether `shown` holds 12 of the key's letters and digits in a row (6 or more different). */
function holdsTwelve(shown: string, key: string): boolean {
  const letters = key.replace(/[^A-Za-z0-9]/g, '')
  for (let i = 0; i + 12 <= letters.length; i++) {
    const piece = letters.slice(i, i + 12)
    if (new Set(piece).size >= 6 && shown.includes(piece)) return true
  }
  return false
}

describe('redact: property', () => {
  it('no echo of 12 or more of the key’s letters in order survives, however it is broken', () => {
    const key = fc
      .array(fc.oneof(fc.constantFrom(...ALNUM), fc.constantFrom('_', '-', '.')), {
        minLength: 16,
        maxLength: 48
      })
      .map((chars) => chars.join(''))
      .filter((text) => text.replace(/[^A-Za-z0-9]/g, '').length >= 14)
    fc.assert(
      fc.property(
        key,
        fc.nat(),
        fc.nat(),
        fc.array(fc.tuple(fc.constantFrom(...SEPARATORS), fc.nat(LETTER_FORMS.length - 1)), {
          minLength: 48,
          maxLength: 48
        }),
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 20 }),
        (key, from, extra, ways, before, after) => {
          const letters = key.replace(/[^A-Za-z0-9]/g, '')
          const length = 12 + (extra % (letters.length - 11))
          const start = from % (letters.length - length + 1)
          const echo = Array.from(letters.slice(start, start + length), (char, i) => {
            const [separator, form] = ways[i]
            return (i === 0 ? '' : separator) + LETTER_FORMS[form](char)
          }).join('')
          const output = redact(`${before}${echo}${after}`, [key])
          expect(holdsTwelve(shownLetters(output), key)).toBe(false)
          // Something was removed whenever the echo held an identifying piece.
          expect(output.includes('***') || !holdsTwelve(shownLetters(echo), key)).toBe(true)
        }
      ),
      { seed: 27, numRuns: 300 }
    )
  })
})

describe('redact: what counts as a piece of the key', () => {
  it('reads every letter and digit, the first and last of each range, and no punctuation next to them', () => {
    // 0 9 A Z a z, and the punctuation on either side of each range: / : @ [ ` {
    const key = '09AZaz_09AZaz'
    expect(redact('x 0/9:A@Z[a`z{0/9:A@Z[a`z{ y', [key])).toBe('x ***{ y')
    expect(redact('x 09AZaz09AZaz y', [key])).toBe('x *** y')
  })

  it('reads a key with an escape in it both as written and as the escape reads', () => {
    // %41 is `4`, `1` as written and `A` as read.
    const key = 'k%41_Zq7Lw3Xv9Rt'
    expect(redact('x kAZq7Lw3Xv9Rt y', [key])).toBe('x *** y')
    expect(redact('x k41Zq7Lw3Xv9Rt y', [key])).toBe('x *** y')
  })

  it('reads decimal and hex escapes of letters by their base', () => {
    const key = 'dZq7Lw3Xv9Rt'
    // &#100; is d in decimal; &#x64; and %64 and \u0064 in hex.
    for (const d of ['&#100;', '&#x64;', '%64', '\\u0064', '\\x64', '&amp;#100;'])
      expect(redact(`x ${d}Zq7Lw3Xv9Rt y`, [key])).toBe('x *** y')
    // &#64; is @ and %100 is `%10` then `0`: neither is d.
    for (const other of ['&#64;', '&#x100;'])
      expect(redact(`x ${other}Zq7Lw3Xv9Rt y`, [key])).toBe(`x ${other}Zq7Lw3Xv9Rt y`)
  })

  it('finds a key of 8 to 11 letters and digits only whole; one of 7 only as it is', () => {
    expect(redact('x abcd efgh y', ['abcd_efgh'])).toBe('x *** y')
    expect(redact('x abcd efg y', ['abcd_efgh'])).toBe('x abcd efg y')
    expect(redact('x abcd-efg y', ['abcd_efg'])).toBe('x abcd-efg y')
    expect(redact('x abcd_efg y', ['abcd_efg'])).toBe('x *** y')
  })

  it('needs 6 different characters among the 12 letters in a row', () => {
    // The 12 letters ending at the last: 6 different (a b c d e f), then 5 (a b c d e).
    expect(redact('x aaaaaaabcdef y', ['aaaaaaabcdef'])).toBe('x *** y')
    expect(redact('x aaaaaaaabcde y', ['aaaaaaaabcde_'])).toBe('x aaaaaaaabcde y')
    // A longer key: the window that identifies is the one that ends on the letters shown.
    expect(redact('x 111111abcdef y', ['ZZ111111abcdef'])).toBe('x *** y')
    expect(redact('x 11111111abcd y', ['ZZ11111111abcd'])).toBe('x 11111111abcd y')
  })

  it('removes each echo of two keys, in the order they stand, and echoes that touch as one', () => {
    // Echoed without their `_`: found by their letters, not as written.
    const first = 'Zq7Lw3_Xv9Rt2'
    const second = 'Mn8Kp4_Hs5Jd6'
    const [one, two] = [first.replace('_', ''), second.replace('_', '')]
    expect(redact(`a ${two} b ${one} c ${two} d`, [first, second])).toBe('a *** b *** c *** d')
    expect(redact(`a ${one}${two} d`, [first, second])).toBe('a *** d')
    expect(redact(`a ${one}.${two} d`, [first, second])).toBe('a ***.*** d')
    expect(redact(`${one}`, ['', first])).toBe('***')
  })

  it('removes the echo from its first letter to its last: what stands around is kept', () => {
    expect(redact('[Zq7Lw3Xv9Rt2]', ['Zq7Lw3Xv9Rt2'])).toBe('[***]')
    expect(redact('Z q7Lw3Xv9Rt2Z', ['Zq7Lw3Xv9Rt2'])).toBe('***Z')
  })
})

describe('secretRuns', () => {
  it('gives the rows of 12 or more letters and digits with 6 different characters', () => {
    expect(secretRuns('dfk_Zq7Lw3Xv9Rt2_aaaaaaaaaaaaaa_abcdefabcdef_abcdeaaaaaaa')).toEqual([
      'Zq7Lw3Xv9Rt2',
      'abcdefabcdef'
    ])
    expect(secretRuns('short_Zq7Lw3Xv9Rt')).toEqual([])
  })
})
