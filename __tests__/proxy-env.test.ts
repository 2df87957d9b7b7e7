/**
 * The proxy variables, read by the rules of the runner and @actions/http-client: which variable
 * counts, empty ones as unset, values without a scheme, and NO_PROXY's domains, ports and case.
 */
import { bypasses, proxyFor, ProxyConfigError, readProxy } from '../src/proxy-env.js'

const HTTPS = new URL('https://datafold.corp.example/api/v1/ci/1/runs')
const HTTP = new URL('http://datafold.corp.example/')

const proxied = (url: URL, env: Record<string, string | undefined>) => {
  const proxy = proxyFor(url, env)
  return proxy && { href: proxy.url.href, variable: proxy.variable, shown: proxy.shown }
}

describe('proxyFor: which variable', () => {
  it('connects directly when no proxy variable is set', () => {
    expect(proxyFor(HTTPS, {})).toBeUndefined()
    expect(proxyFor(HTTPS, { NO_PROXY: 'x' })).toBeUndefined()
  })

  it('reads https_proxy before HTTPS_PROXY for https, and falls back to the http variables', () => {
    expect(
      proxied(HTTPS, {
        https_proxy: 'http://a:1',
        HTTPS_PROXY: 'http://b:2',
        HTTP_PROXY: 'http://c:3'
      })
    ).toEqual({ href: 'http://a:1/', variable: 'https_proxy', shown: 'http://a:1' })
    expect(proxied(HTTPS, { HTTPS_PROXY: 'http://b:2', http_proxy: 'http://c:3' })?.variable).toBe(
      'HTTPS_PROXY'
    )
    expect(proxied(HTTPS, { http_proxy: 'http://c:3', HTTP_PROXY: 'http://d:4' })?.variable).toBe(
      'http_proxy'
    )
    expect(proxied(HTTPS, { HTTP_PROXY: 'http://d:4' })?.variable).toBe('HTTP_PROXY')
  })

  it('reads only the http variables for http', () => {
    expect(proxied(HTTP, { HTTPS_PROXY: 'http://b:2' })).toBeUndefined()
    expect(proxied(HTTP, { http_proxy: 'http://c:3', HTTP_PROXY: 'http://d:4' })?.variable).toBe(
      'http_proxy'
    )
    expect(proxied(HTTP, { HTTP_PROXY: 'http://d:4' })?.variable).toBe('HTTP_PROXY')
  })

  it('treats an empty (or blank) variable as unset: it hides neither the other case nor NO_PROXY', () => {
    expect(proxied(HTTPS, { https_proxy: '', HTTPS_PROXY: 'http://b:2' })?.variable).toBe(
      'HTTPS_PROXY'
    )
    expect(proxied(HTTPS, { https_proxy: '  ', HTTPS_PROXY: 'http://b:2' })?.variable).toBe(
      'HTTPS_PROXY'
    )
    expect(proxied(HTTP, { http_proxy: '', HTTP_PROXY: 'http://d:4' })?.variable).toBe('HTTP_PROXY')
    expect(proxied(HTTPS, { https_proxy: '', HTTPS_PROXY: '' })).toBeUndefined()
    expect(
      proxyFor(HTTPS, { HTTPS_PROXY: 'http://b:2', no_proxy: '', NO_PROXY: 'corp.example' })
    ).toBeUndefined()
    expect(
      proxyFor(HTTPS, { HTTPS_PROXY: 'http://b:2', no_proxy: 'other.example', NO_PROXY: '*' })
    ).toBeDefined()
  })
})

describe('readProxy: the value', () => {
  it('reads a value without a scheme as http://, as curl and the runner do', () => {
    expect(readProxy('HTTPS_PROXY', 'proxy.corp:3128')).toMatchObject({
      shown: 'http://proxy.corp:3128',
      variable: 'HTTPS_PROXY'
    })
    expect(readProxy('HTTPS_PROXY', 'localhost:3128').url.href).toBe('http://localhost:3128/')
    expect(readProxy('HTTPS_PROXY', 'user:pw@proxy.corp:3128').url.href).toBe(
      'http://user:pw@proxy.corp:3128/'
    )
    expect(readProxy('HTTPS_PROXY', 'HTTPS://Proxy.Corp').shown).toBe('https://proxy.corp')
  })

  it('shows the proxy without its credentials, and keeps them for the connection', () => {
    const proxy = readProxy('HTTPS_PROXY', 'http://user:s3cret@proxy.corp:3128')
    expect(proxy.shown).toBe('http://proxy.corp:3128')
    expect(proxy.url.username).toBe('user')
    expect(proxy.url.password).toBe('s3cret')
  })

  it.each([
    [
      'socks5://proxy.corp:1080',
      'HTTPS_PROXY names a socks5 proxy; the action goes through http:// and https:// proxies only. Set it to http://host:port, or unset it.'
    ],
    [
      'http://',
      'HTTPS_PROXY is not a proxy address the action can read; set it to http://host:port (with credentials: http://user:password@host:port), or unset it.'
    ],
    [
      'http://user:s3cret@[bad',
      'HTTPS_PROXY is not a proxy address the action can read; set it to http://host:port (with credentials: http://user:password@host:port), or unset it.'
    ]
  ])('refuses %p with an error naming the variable, never its value', (value, message) => {
    let error: unknown
    try {
      readProxy('HTTPS_PROXY', value)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ProxyConfigError)
    expect((error as Error).message).toBe(message)
    expect((error as Error).message).not.toContain('s3cret')
  })

  it('throws from proxyFor for the variable that counts, and only when it counts', () => {
    expect(() => proxyFor(HTTPS, { HTTPS_PROXY: 'ftp://x' })).toThrow(ProxyConfigError)
    expect(proxyFor(HTTPS, { HTTPS_PROXY: 'ftp://x', NO_PROXY: '*' })).toBeUndefined()
    expect(proxyFor(HTTP, { HTTPS_PROXY: 'ftp://x' })).toBeUndefined()
  })
})

describe('bypasses: NO_PROXY as the runner and @actions/http-client read it', () => {
  const url = (text: string) => new URL(text)
  it.each<[string, string, boolean]>([
    ['*', 'https://datafold.corp.example', true],
    ['corp.example', 'https://datafold.corp.example', true],
    ['corp.example', 'https://corp.example', true],
    ['corp.example', 'https://a.b.corp.example', true],
    ['corp.example', 'https://notcorp.example', false],
    ['corp.example', 'https://corp.example.org', false],
    ['.corp.example', 'https://datafold.corp.example', true],
    ['.corp.example', 'https://corp.example', false],
    ['*.corp.example', 'https://datafold.corp.example', true],
    ['*.corp.example', 'https://corp.example', false],
    ['datafold.corp.example', 'https://datafold.corp.example', true],
    ['datafold.corp.example', 'https://corp.example', false],
    ['CORP.Example', 'https://Datafold.corp.EXAMPLE', true],
    ['corp.example:443', 'https://datafold.corp.example', true],
    ['corp.example:443', 'https://datafold.corp.example:8443', false],
    ['corp.example:8443', 'https://datafold.corp.example:8443', true],
    ['corp.example:80', 'http://datafold.corp.example', true],
    ['corp.example:80', 'https://datafold.corp.example', false],
    ['other.example, corp.example', 'https://datafold.corp.example', true],
    ['other.example,,  corp.example ', 'https://datafold.corp.example', true],
    ['other.example corp.example', 'https://datafold.corp.example', true],
    ['other.example', 'https://datafold.corp.example', false],
    ['', 'https://datafold.corp.example', false],
    ['.', 'https://datafold.corp.example', false],
    ['10.0.0.5', 'https://10.0.0.5', true],
    ['10.0.0.5', 'https://110.0.0.5', false],
    ['[fd00::1]', 'https://[fd00::1]', true],
    ['fd00::1', 'https://[fd00::1]', true],
    ['[fd00::1]:443', 'https://[fd00::1]', true],
    ['[fd00::1]:8443', 'https://[fd00::1]', false],
    // An entry is a whole name, optionally with a port: no part of a longer entry counts.
    ['[fd00::1]:443', 'https://[fd00::1]', true],
    ['[fd00::1]:443x', 'https://[fd00::1]', false],
    ['x[fd00::1]', 'https://[fd00::1]', false],
    ['corp.example:443x', 'https://datafold.corp.example', false],
    ['corp.example:8443', 'https://datafold.corp.example', false]
  ])('NO_PROXY=%p for %s: %p', (noProxy, target, expected) => {
    expect(bypasses(noProxy, url(target))).toBe(expected)
  })
})

describe('the edges of proxyFor and readProxy', () => {
  it('connects directly for a scheme no proxy variable is for', () => {
    const env = { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://proxy:3128' }
    expect(proxyFor(new URL('ftp://files.corp.example/'), env)).toBeUndefined()
  })

  it('reads a scheme only at the start of the value', () => {
    expect(readProxy('HTTPS_PROXY', 'proxy.corp.example:3128/x://y').url.host).toBe(
      'proxy.corp.example:3128'
    )
  })

  it('names its error ProxyConfigError', () => {
    let thrown: unknown
    try {
      readProxy('HTTPS_PROXY', 'socks5://proxy:1080')
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ProxyConfigError)
    expect((thrown as Error).name).toBe('ProxyConfigError')
  })
})
