/**
 * The rule for each pull request field, the same whether the value came from an input, the event
 * payload or GitHub's answer to a lookup.
 */
import { EXPECTED, checkField, isBranchName, isSha, quote } from '../src/pr-fields.js'

const SHA1 = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821'
const SHA256 = '3f1b'.repeat(16)

describe('isSha', () => {
  it.each([SHA1, SHA1.toUpperCase(), SHA256, SHA256.toUpperCase(), '0'.repeat(40)])(
    'takes a full commit SHA: %p',
    (value) => {
      expect(isSha(value)).toBe(true)
    }
  )

  it.each([
    ['39 characters', SHA1.slice(1)],
    ['41 characters', `${SHA1}0`],
    ['63 characters', SHA256.slice(1)],
    ['65 characters', `${SHA256}0`],
    ['52 characters, between the two lengths', `${SHA1}${SHA1.slice(0, 12)}`],
    ['a short SHA', 'ec26c3e'],
    ['a non-hex letter', `g${SHA1.slice(1)}`],
    ['a SHA with a prefix', ` ${SHA1}`],
    ['a SHA with a suffix', `${SHA1}\n`],
    ['a SHA inside other text', `sha ${SHA1} here`],
    ['a SHA-256 inside other text', `x${SHA256}x`],
    ['a SHA in a list', [SHA1]],
    ['empty', ''],
    ['a number', 1234],
    ['null', null],
    ['missing', undefined]
  ])('refuses %s', (_name, value) => {
    expect(isSha(value)).toBe(false)
  })
})

describe('isBranchName', () => {
  it.each(['main', 'feature/orders', 'release-1.2', 'ünïcode', 'a', 'fix_#12', 'a@b'])(
    'takes %p',
    (value) => {
      expect(isBranchName(value)).toBe(true)
    }
  )

  it.each([
    ['empty', ''],
    ['a space', 'main branch'],
    ['a leading space', ' main'],
    ['a tab', 'main\tx'],
    ['a line break', 'main\n'],
    ['a NUL', 'main\x00'],
    ['a control character', 'ma\x1fin'],
    ['DEL', 'main\x7f'],
    ['a tilde', 'main~1'],
    ['a caret', 'main^'],
    ['a colon', 'refs:main'],
    ['a question mark', 'main?'],
    ['an asterisk', 'feat*'],
    ['an opening bracket', 'main[1'],
    ['a backslash', 'feat\\x'],
    ['a number', 12],
    ['null', null],
    ['missing', undefined]
  ])('refuses %s', (_name, value) => {
    expect(isBranchName(value)).toBe(false)
  })
})

describe('checkField', () => {
  it.each([1, 2, 4711, Number.MAX_SAFE_INTEGER])('takes pull request number %p', (value) => {
    expect(checkField('pr_number', value)).toBe(value)
  })

  it.each([0, -1, 1.5, 0.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, '2', null, undefined])(
    'refuses pull request number %p',
    (value) => {
      expect(checkField('pr_number', value)).toBeUndefined()
    }
  )

  it('checks both branch fields as branch names', () => {
    expect(checkField('pr_branch', 'feature/orders')).toBe('feature/orders')
    expect(checkField('base_branch', 'main')).toBe('main')
    expect(checkField('pr_branch', 'a b')).toBeUndefined()
    expect(checkField('base_branch', '')).toBeUndefined()
    expect(checkField('base_branch', SHA1.slice(0, 7))).toBe(SHA1.slice(0, 7))
  })

  it('checks both SHA fields as SHAs and gives them in lower case', () => {
    expect(checkField('pr_sha', SHA1.toUpperCase())).toBe(SHA1)
    expect(checkField('base_sha', SHA256.toUpperCase())).toBe(SHA256)
    expect(checkField('pr_sha', 'main')).toBeUndefined()
    expect(checkField('base_sha', 42)).toBeUndefined()
  })
})

describe('EXPECTED', () => {
  it('says what each field must look like', () => {
    const branch = 'a branch name such as main or feature/orders (no spaces or ~^:?*[\\)'
    const sha = 'a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)'
    expect(EXPECTED).toEqual({
      pr_number: 'a positive integer',
      pr_branch: branch,
      base_branch: branch,
      pr_sha: sha,
      base_sha: sha
    })
  })
})

describe('quote', () => {
  it.each<[unknown, string]>([
    [undefined, 'missing'],
    [null, 'null'],
    ['12', '"12"'],
    [12, '12'],
    ['', '""'],
    [{ sha: 'x' }, '{"sha":"x"}'],
    [['a', 1], '["a",1]'],
    [false, 'false']
  ])('quotes %p as %p', (value, quoted) => {
    expect(quote(value)).toBe(quoted)
  })

  it('names a value JSON cannot show by what String() says of it', () => {
    expect(quote(Symbol('x'))).toBe('Symbol(x)')
    expect(quote(() => 1)).toBe('() => 1')
  })

  it('shows up to 80 characters whole and cuts a longer value at 80, with an ellipsis', () => {
    const exact = 'a'.repeat(78) // 80 characters with its quotes
    expect(quote(exact)).toBe(`"${exact}"`)
    expect(quote(`${exact}b`)).toBe(`"${exact}b…`)
    expect(quote('x'.repeat(500))).toBe(`"${'x'.repeat(79)}…`)
  })
})
