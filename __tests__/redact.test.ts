/**
 * Every form a server may echo a secret back in (JSON, URL, HTML escaping), and removing them all
 * from text, longest first.
 */
import { redact, secretForms } from '../src/redact.js'

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
