/**
 * Cutting text to GitHub's limits: exactly where the cut falls, and that it says what it cut.
 */
import { cutText, fitLines, fitsOutput, OUTPUT_MAX_BYTES } from '../src/limits.js'

describe('cutText', () => {
  it('keeps text of the limit whole, and cuts one character more, saying how many', () => {
    expect(cutText('abcdef', 6)).toBe('abcdef')
    expect(cutText('abcdef', 5)).toBe('abcde… (1 more characters cut)')
    expect(cutText('x'.repeat(12_345), 10)).toBe(`${'x'.repeat(10)}… (12,335 more characters cut)`)
  })

  it('never cuts between the two halves of a surrogate pair', () => {
    // 😀 is two UTF-16 units, at 2 and 3.
    expect(cutText('ab😀cd', 3)).toBe('ab… (4 more characters cut)')
    expect(cutText('abc😀d', 3)).toBe('abc… (3 more characters cut)')
    expect(cutText('abcd😀', 3)).toBe('abc… (3 more characters cut)')
  })
})

describe('fitsOutput', () => {
  it('counts UTF-8 bytes up to and including the limit', () => {
    expect(fitsOutput('a'.repeat(OUTPUT_MAX_BYTES))).toBe(true)
    expect(fitsOutput('a'.repeat(OUTPUT_MAX_BYTES + 1))).toBe(false)
    expect(fitsOutput('é'.repeat(OUTPUT_MAX_BYTES / 2 + 1))).toBe(false)
  })
})

describe('fitLines', () => {
  // Ten lines of ten bytes: 109 bytes joined.
  const text = Array.from({ length: 10 }, (_, i) => `line ${i}....`).join('\n')
  // 28 bytes when asked for the most it can say: the budget is maxBytes - 30.
  const note = ({ lines, bytes }: { lines: number; bytes: number }): string =>
    `cut ${lines}/${bytes}`

  it('returns text that fits whole, up to the last byte', () => {
    expect(Buffer.byteLength(text)).toBe(109)
    expect(fitLines(text, 109, note)).toBe(text)
  })

  it('keeps whole lines while they fit the budget, then a blank line and the note', () => {
    // Budget 33: three lines with their line breaks take exactly 33 bytes.
    expect(fitLines(text, 63, note)).toBe(
      ['line 0....', 'line 1....', 'line 2....', '', 'cut 7/76'].join('\n')
    )
    // Budget 32: the third line no longer fits.
    expect(fitLines(text, 62, note)).toBe(['line 0....', 'line 1....', '', 'cut 8/87'].join('\n'))
  })

  it('stays within maxBytes, whatever the note', () => {
    for (let max = 40; max < 109; max++) {
      expect(Buffer.byteLength(fitLines(text, max, note))).toBeLessThanOrEqual(max)
    }
  })
})
