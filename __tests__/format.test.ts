/**
 * The text helpers' promises that other modules rely on: a ratio below 1 never reads 100 %, and no
 * control or bidi character survives into a line a reviewer reads.
 */
import fc from 'fast-check'
import { formatRatio, oneLine, visibleBidi } from '../src/format.js'

describe('formatRatio cuts, never rounds up', () => {
  it.each([
    [1 - 1 / 3e8, '99.99 %'],
    [0.99999999, '99.99 %'],
    [0.99995, '99.99 %'],
    [0.12349999, '12.34 %'],
    [0.29, '29 %'],
    [0.57, '57 %'],
    [1, '100 %']
  ])('formatRatio(%p) is %p', (ratio, text) => {
    expect(formatRatio(ratio)).toBe(text)
  })

  it('never shows 100 % for a ratio below 1, nor more than the ratio', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (ratio) => {
        const shown = Number(formatRatio(ratio).replace(' %', ''))
        expect(shown / 100).toBeLessThanOrEqual(ratio)
        expect({ below1: ratio < 1, shown: formatRatio(ratio) }).not.toEqual({
          below1: true,
          shown: '100 %'
        })
      })
    )
  })

  it('shows every ratio with two decimals exactly as written (no float error cuts it)', () => {
    for (let hundredths = 0; hundredths <= 10_000; hundredths++) {
      const written = hundredths / 100
      expect(formatRatio(Number(`${written}e-2`))).toBe(`${written} %`)
    }
  })
})

/** The characters that reorder text: embeddings, overrides, isolates, and the implicit marks. */
const BIDI = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c'
]

describe('bidi controls', () => {
  it.each(BIDI.map((char) => [char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')]))(
    'oneLine turns U+%s into a space, like the other controls',
    (hex) => {
      const char = String.fromCodePoint(parseInt(hex, 16))
      expect(oneLine(`orders${char}sredro`)).toBe('orders sredro')
    }
  )

  it('visibleBidi names each one instead of letting it reorder the line', () => {
    expect(visibleBidi(`status \u202edone\u202c, table \u2066x\u2069 \u200f\u061c`)).toBe(
      'status <U+202E>done<U+202C>, table <U+2066>x<U+2069> <U+200F><U+061C>'
    )
    expect(visibleBidi('plain ascii, é, 日本')).toBe('plain ascii, é, 日本')
  })
})
