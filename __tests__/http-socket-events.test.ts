/**
 * send() over a stand-in for undici's dispatchers: the connection events and error codes a real
 * server cannot produce on demand (a DNS failure, an unreachable network, an untrusted certificate,
 * an answer with no status), which dispatcher each host gets (a proxy for no loopback host), and
 * what send leaves behind (timers, abort listeners). http.test.ts covers the same code against real
 * local servers, and e2e-proxy.test.ts the proxy through a real one.
 */
import { jest } from '@jest/globals'
import { getEventListeners } from 'node:events'
import type { Dispatcher } from 'undici'

/** One dispatched request: the test plays undici's part through its handler. */
class FakeRequest {
  /** Set when send() aborted it through the function onConnect handed over. */
  aborted = false
  constructor(
    readonly dispatcher: FakeDispatcher,
    readonly options: Dispatcher.DispatchOptions,
    readonly handler: Dispatcher.DispatchHandlers
  ) {}
  connect(): void {
    this.handler.onConnect?.(() => (this.aborted = true))
  }
  error(code: string | undefined, message = `boom ${code}`, cause?: unknown): void {
    const error = Object.assign(new Error(message, { cause }), code === undefined ? {} : { code })
    this.handler.onError?.(error)
  }
  headers(status: number, headers: Record<string, string | string[]> = {}): void {
    const raw = Object.entries(headers).flatMap(([name, value]) =>
      (Array.isArray(value) ? value : [value]).flatMap((one) => [
        Buffer.from(name),
        Buffer.from(one)
      ])
    )
    this.handler.onHeaders?.(status, raw, () => undefined, '')
  }
  data(chunk: Buffer | string): boolean | undefined {
    return this.handler.onData?.(Buffer.from(chunk))
  }
  complete(): void {
    this.handler.onComplete?.([])
  }
  /** The whole exchange: connected, answered with `status` and `body`. */
  answer(status: number, body = '', headers: Record<string, string | string[]> = {}): void {
    this.connect()
    this.headers(status, headers)
    if (body !== '') this.data(body)
    this.complete()
  }
}

const requests: FakeRequest[] = []
const dispatchers: FakeDispatcher[] = []
let script: (req: FakeRequest) => void = () => undefined

class FakeDispatcher {
  constructor(readonly options: unknown) {
    dispatchers.push(this)
  }
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const req = new FakeRequest(this, options, handler)
    requests.push(req)
    script(req)
    return true
  }
}
class Agent extends FakeDispatcher {}
class ProxyAgent extends FakeDispatcher {}

jest.unstable_mockModule('undici', () => ({ Agent, ProxyAgent }))
const { NetworkError, send, dispatcherFor } = await import('../src/http.js')
type HttpRequest = import('../src/http.js').HttpRequest

const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'NO_PROXY',
  'no_proxy'
]
let savedEnv: Record<string, string | undefined>
beforeEach(() => {
  requests.length = 0
  script = () => undefined
  savedEnv = Object.fromEntries(PROXY_VARIABLES.map((name) => [name, process.env[name]]))
  for (const name of PROXY_VARIABLES) delete process.env[name]
})
afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  jest.useRealTimers()
})

function request(url: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'GET',
    url: new URL(url),
    headers: { Authorization: 'Key k', Accept: 'application/json' },
    timeoutMs: 2_000,
    ...overrides
  }
}

async function failure(promise: Promise<unknown>): Promise<InstanceType<typeof NetworkError>> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(NetworkError)
    return error as InstanceType<typeof NetworkError>
  }
  throw new Error('expected a NetworkError')
}

describe('send: errors before any answer', () => {
  it.each([
    ['ECONNREFUSED', 'api.example.com:8443 refused the connection'],
    ['ENOTFOUND', 'the host name api.example.com could not be resolved'],
    ['EAI_AGAIN', 'the host name api.example.com could not be resolved'],
    ['EHOSTUNREACH', 'network error talking to api.example.com:8443: boom EHOSTUNREACH'],
    ['ENETUNREACH', 'network error talking to api.example.com:8443: boom ENETUNREACH']
  ])('%s before connecting: never sent, "%s"', async (code, message) => {
    script = (req) => req.error(code)
    const error = await failure(send(request('https://api.example.com:8443/x')))
    expect({ ...error, message: error.message }).toEqual({
      name: 'NetworkError',
      code,
      message,
      notSent: true
    })
  })

  it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT'])(
    '%s once the request is being written: possibly sent',
    async (code) => {
      script = (req) => {
        req.connect()
        req.error(code)
      }
      expect((await failure(send(request('http://api.example.com/x')))).notSent).toBe(false)
    }
  )

  it.each(['ECONNREFUSED', 'ENOTFOUND'])(
    '%s, which only a connection attempt raises, is never sent even if reported late',
    async (code) => {
      script = (req) => {
        req.connect()
        req.error(code)
      }
      expect((await failure(send(request('http://api.example.com/x')))).notSent).toBe(true)
    }
  )

  it('takes the code from under undici’s wrapping', async () => {
    script = (req) => {
      req.connect()
      req.error('UND_ERR_SOCKET', 'other side closed', { code: 'ECONNRESET' })
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'ECONNRESET',
      'the connection to api.example.com was reset',
      false
    ])
  })

  it.each([
    'CERT_HAS_EXPIRED',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID'
  ])('names an untrusted certificate (%s), never sent', async (code) => {
    script = (req) => req.error(code)
    const error = await failure(send(request('https://api.example.com/x')))
    expect(error.code).toBe(code)
    expect(error.message).toBe(`the TLS certificate of api.example.com was not accepted (${code})`)
    expect(error.notSent).toBe(true)
  })

  it.each([
    [
      '403',
      'EPROXY',
      'the proxy http://proxy.example.com:3128 (HTTPS_PROXY) would not open a connection to api.example.com (it answered HTTP 403)'
    ],
    [
      '407',
      'EPROXYAUTH',
      'the proxy http://proxy.example.com:3128 (HTTPS_PROXY) would not open a connection to api.example.com (it answered HTTP 407): it asks for credentials; put them in the proxy URL (http://user:password@proxy:port)'
    ],
    [
      '502',
      'EPROXYUPSTREAM',
      'the proxy http://proxy.example.com:3128 (HTTPS_PROXY) would not open a connection to api.example.com (it answered HTTP 502)'
    ]
  ])('names a proxy that answers CONNECT with %s, never sent', async (status, code, message) => {
    process.env.HTTPS_PROXY = 'http://user:s3cret@proxy.example.com:3128'
    script = (req) =>
      req.error('UND_ERR_ABORTED', `Proxy response (${status}) !== 200 when HTTP Tunneling`)
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([code, message, true])
  })

  it.each([
    ['ECONNREFUSED', 'refused the connection'],
    ['ENOTFOUND', 'could not be resolved'],
    ['EAI_AGAIN', 'could not be resolved'],
    ['EHOSTUNREACH', 'could not be reached'],
    ['ENETUNREACH', 'could not be reached']
  ])(
    'through a proxy, a failure to connect (%s) is the proxy’s, named without credentials',
    async (code, words) => {
      process.env.HTTPS_PROXY = 'user:s3cret@proxy.example.com:3128'
      script = (req) =>
        req.error(undefined, 'connect failed', Object.assign(new Error(code), { code }))
      const error = await failure(send(request('https://api.example.com/x')))
      expect(error.code).toBe(code)
      expect(error.message).toMatch(
        /^the (host name of the )?proxy http:\/\/proxy\.example\.com:3128 \(HTTPS_PROXY\) /
      )
      expect(error.message).toContain(`${words} (${code})`)
      expect(error.message).not.toMatch(/user|s3cret|api\.example\.com/)
      expect(error.notSent).toBe(true)
    }
  )

  it('a proxy variable that names no proxy fails the request before anything is dispatched', async () => {
    process.env.HTTPS_PROXY = 'ftp://proxy.example.com'
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.notSent]).toEqual(['EPROXYCONFIG', true])
    expect(error.message).toMatch(/^HTTPS_PROXY names a ftp proxy/)
    expect(requests).toEqual([])
  })

  it('a connect timeout: never sent', async () => {
    script = (req) => req.error('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.notSent]).toEqual(['ETIMEDOUT', true])
  })

  it('reports a connection closed before the answer (undici: other side closed)', async () => {
    script = (req) => {
      req.connect()
      req.error('UND_ERR_SOCKET', 'other side closed')
    }
    const error = await failure(send(request('https://api.example.com:444/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'ECONNCLOSED',
      'api.example.com:444 closed the connection without answering',
      false
    ])
  })

  it('reports an exchange that completes without any answer as closed without answering', async () => {
    script = (req) => {
      req.connect()
      req.complete()
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.notSent]).toEqual(['ECONNCLOSED', false])
  })

  it('names an error without a code ENETWORK, with its own words', async () => {
    script = (req) => {
      req.connect()
      req.error(undefined, 'something odd')
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'ENETWORK',
      'network error talking to api.example.com: something odd',
      false
    ])
  })

  it('reports the first fault only: a later answer changes nothing', async () => {
    script = (req) => {
      req.error('ECONNREFUSED')
      req.answer(200, '[]')
    }
    expect((await failure(send(request('https://api.example.com/x')))).code).toBe('ECONNREFUSED')
  })
})

describe('send: the answer', () => {
  it('returns status, headers, the whole body and the address', async () => {
    script = (req) => {
      req.connect()
      req.headers(201, {
        'Content-Type': 'application/json',
        'X-Twice': ['a', 'b'],
        'Set-Cookie': ['c=1', 'd=2']
      })
      req.data('{"a":')
      req.data('"é"}')
      req.complete()
    }
    const url = 'https://api.example.com/api/v1/ci/1/trigger?x=1'
    const answered = await send(request(url, { method: 'POST', body: '{"pr_number":1}' }))
    expect(answered).toEqual({
      status: 201,
      headers: {
        'content-type': 'application/json',
        'x-twice': 'a, b',
        'set-cookie': ['c=1', 'd=2']
      },
      body: '{"a":"é"}',
      url: new URL(url)
    })
    const [req] = requests
    expect(req.options).toEqual({
      origin: 'https://api.example.com',
      path: '/api/v1/ci/1/trigger?x=1',
      method: 'POST',
      headers: { Authorization: 'Key k', Accept: 'application/json', 'content-length': '15' },
      body: '{"pr_number":1}'
    })
  })

  it('sends no Content-Length and no body without a body', async () => {
    script = (req) => req.answer(200, '[]')
    await send(request('http://127.0.0.1:8080/runs'))
    const [req] = requests
    expect(req.options.headers).toEqual({ Authorization: 'Key k', Accept: 'application/json' })
    expect(req.options.body).toBeUndefined()
  })

  it('reports an answer whose body fails half way as cut off, with the bytes received', async () => {
    script = (req) => {
      req.connect()
      req.headers(200)
      req.data('[{"id": 1,')
      req.error('UND_ERR_SOCKET', 'other side closed')
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'EINCOMPLETE',
      'the answer from api.example.com was cut off after 10 bytes of its body (the connection closed before the answer ended)',
      false
    ])
  })

  it('refuses a body over 5 MB with the exact limit, and stops reading', async () => {
    let paused: boolean | undefined
    script = (req) => {
      req.connect()
      req.headers(200)
      req.data(Buffer.alloc(5 * 1024 * 1024))
      paused = req.data(Buffer.alloc(1)) === false
      req.complete()
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'EBODYTOOLARGE',
      'the answer from https://api.example.com is larger than 5242880 bytes',
      false
    ])
    expect(paused).toBe(true)
    expect(requests[0].aborted).toBe(true)
  })

  it('leaves no timer and no abort listener behind', async () => {
    jest.useFakeTimers()
    const controller = new AbortController()
    script = (req) => req.answer(200, '[]')
    await send(request('https://api.example.com/x', { signal: controller.signal }))
    expect(jest.getTimerCount()).toBe(0)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('leaves no timer and no abort listener behind after a failure', async () => {
    jest.useFakeTimers()
    const controller = new AbortController()
    script = (req) => req.error('ECONNREFUSED')
    await failure(send(request('https://api.example.com/x', { signal: controller.signal })))
    expect(jest.getTimerCount()).toBe(0)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})

describe('send: time limit and cancellation', () => {
  it('sends nothing when no time is left', async () => {
    const error = await failure(send(request('https://api.example.com/x', { timeoutMs: 0 })))
    expect([error.code, error.message, error.notSent]).toEqual([
      'ETIMEDOUT',
      'no answer from https://api.example.com within the request time limit',
      false
    ])
    expect(requests).toHaveLength(0)
  })

  it('sends nothing with an already aborted signal', async () => {
    const error = await failure(
      send(request('https://api.example.com/x', { signal: AbortSignal.abort() }))
    )
    expect([error.code, error.message, error.notSent]).toEqual([
      'EABORTED',
      'request cancelled',
      true
    ])
    expect(requests).toHaveLength(0)
  })

  it('times out after the time limit, not before, and aborts the request', async () => {
    jest.useFakeTimers()
    script = (req) => req.connect()
    let settled = false
    const pending = failure(send(request('https://api.example.com/x', { timeoutMs: 1_000 })))
    void pending.then(() => (settled = true))
    await jest.advanceTimersByTimeAsync(999)
    expect(settled).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    const error = await pending
    expect(error.code).toBe('ETIMEDOUT')
    expect(requests[0].aborted).toBe(true)
  })

  it('a cancel before the connection stands: never sent, and dropped once it does', async () => {
    const controller = new AbortController()
    script = () => controller.abort()
    const error = await failure(
      send(request('https://api.example.com/x', { signal: controller.signal }))
    )
    expect([error.code, error.notSent]).toEqual(['EABORTED', true])
    requests[0].connect()
    expect(requests[0].aborted).toBe(true)
  })

  it('a cancel once the request is being written: possibly sent', async () => {
    const controller = new AbortController()
    script = (req) => {
      req.connect()
      controller.abort()
    }
    const error = await failure(
      send(request('https://api.example.com/x', { signal: controller.signal }))
    )
    expect([error.code, error.notSent]).toEqual(['EABORTED', false])
    expect(requests[0].aborted).toBe(true)
  })
})

describe('send: which way to a host', () => {
  it.each(['http://127.0.0.1:8080/x', 'http://localhost:8080/x', 'http://[::1]:8080/x'])(
    'reaches loopback (%s) directly, even with every proxy variable set',
    async (url) => {
      for (const name of PROXY_VARIABLES.slice(0, 4))
        process.env[name] = 'http://proxy.example.com:3128'
      script = (req) => req.answer(200)
      await send(request(url))
      expect(requests[0].dispatcher).toBeInstanceOf(Agent)
      expect(requests[0].dispatcher).not.toBeInstanceOf(ProxyAgent)
    }
  )

  it('reaches every host directly, through one agent, when no proxy variable is set', async () => {
    process.env.NO_PROXY = 'example.com'
    script = (req) => req.answer(200)
    await send(request('https://api.example.com/a'))
    await send(request('http://127.0.0.1/b'))
    const [first, second] = requests.map((req) => req.dispatcher)
    expect(first).toBeInstanceOf(Agent)
    expect(first).not.toBeInstanceOf(ProxyAgent)
    expect(second).toBe(first)
    // No time limit of undici's own: the exchange's timer is the one limit.
    expect(first.options).toEqual({ headersTimeout: 0, bodyTimeout: 0 })
  })

  it.each(PROXY_VARIABLES.slice(0, 4))(
    'with %s, reaches every other https host through one agent for that proxy',
    async (name) => {
      process.env[name] = 'http://proxy.example.com:3128'
      script = (req) => req.answer(200)
      await send(request('https://api.example.com/a'))
      await send(request('https://10.0.0.1/b'))
      const [first, second] = requests.map((req) => req.dispatcher)
      expect(first).toBeInstanceOf(ProxyAgent)
      expect(second).toBe(first)
      expect(first.options).toEqual({
        headersTimeout: 0,
        bodyTimeout: 0,
        uri: 'http://proxy.example.com:3128/'
      })
    }
  )

  it('gives each proxy address its own agent, and reuses it', () => {
    process.env.HTTP_PROXY = 'http://proxy.example.com:3128'
    const first = dispatcherFor(new URL('https://api.example.com'))
    process.env.HTTPS_PROXY = 'other-proxy.example.com:8080'
    const other = dispatcherFor(new URL('https://api.example.com'))
    expect(other).toBeInstanceOf(ProxyAgent)
    expect(other).not.toBe(first)
    expect((other as unknown as FakeDispatcher).options).toMatchObject({
      uri: 'http://other-proxy.example.com:8080/'
    })
    expect(dispatcherFor(new URL('https://api.example.com/other'))).toBe(other)
    delete process.env.HTTPS_PROXY
    expect(dispatcherFor(new URL('https://api.example.com'))).toBe(first)
    process.env.NO_PROXY = '.example.com'
    expect(dispatcherFor(new URL('https://api.example.com'))).toBeInstanceOf(Agent)
    expect(dispatcherFor(new URL('https://api.example.com'))).not.toBeInstanceOf(ProxyAgent)
  })

  it('trusts the certificates a transport is given for the host, directly and through a proxy', async () => {
    const { createTransport } = await import('../src/http.js')
    const transport = createTransport('CA PEM')
    script = (req) => req.answer(200)
    await transport(request('https://api.example.com/a'))
    process.env.HTTPS_PROXY = 'http://proxy.example.com:3128'
    await transport(request('https://api.example.com/b'))
    const [direct, proxied] = requests.map((req) => req.dispatcher)
    expect(direct.options).toEqual({ headersTimeout: 0, bodyTimeout: 0, connect: { ca: 'CA PEM' } })
    expect(proxied.options).toEqual({
      headersTimeout: 0,
      bodyTimeout: 0,
      uri: 'http://proxy.example.com:3128/',
      requestTls: { ca: 'CA PEM' }
    })
  })

  it('gives the GitHub client the same way as send', async () => {
    process.env.HTTPS_PROXY = 'http://proxy.example.com:3128'
    script = (req) => req.answer(200)
    await send(request('https://api.github.com/x'))
    await send(request('http://localhost/x'))
    expect(dispatcherFor(new URL('https://api.github.com/y'))).toBe(requests[0].dispatcher)
    expect(dispatcherFor(new URL('http://localhost/y'))).toBe(requests[1].dispatcher)
  })
})
