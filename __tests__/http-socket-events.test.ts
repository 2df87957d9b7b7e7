/**
 * send() over a stand-in for node:http and node:https: the socket events and error codes a real
 * server cannot produce on demand (a DNS failure, an unreachable network, an untrusted certificate,
 * a close with no error), the proxy agent, and what send leaves behind (timers, abort listeners).
 * http.test.ts covers the same code against real local servers.
 */
import { jest } from '@jest/globals'
import { EventEmitter, getEventListeners } from 'node:events'

class FakeSocket extends EventEmitter {
  connecting = true
}

class FakeResponse extends EventEmitter {
  complete = false
  constructor(
    readonly statusCode: number | undefined,
    readonly headers: Record<string, string> = {}
  ) {
    super()
  }
}

interface RequestOptions {
  method: string
  headers: Record<string, string | number>
  agent?: unknown
}

/** A ClientRequest that does nothing by itself: `script` plays the socket's part once it is ended. */
class FakeRequest extends EventEmitter {
  destroyed = false
  body: string | undefined
  constructor(
    readonly module: 'http' | 'https',
    readonly url: URL,
    readonly options: RequestOptions
  ) {
    super()
  }
  destroy(): this {
    this.destroyed = true
    return this
  }
  end(body?: string): void {
    this.body = body
    script(this)
  }
}

class FakeAgent {
  constructor(readonly options: { proxyEnv?: NodeJS.ProcessEnv }) {}
}

const requests: FakeRequest[] = []
let script: (req: FakeRequest) => void = () => undefined

function fakeModule(module: 'http' | 'https') {
  class Agent extends FakeAgent {}
  return {
    Agent,
    request: (url: URL, options: RequestOptions) => {
      const req = new FakeRequest(module, url, options)
      requests.push(req)
      return req
    }
  }
}

jest.unstable_mockModule('node:http', () => fakeModule('http'))
jest.unstable_mockModule('node:https', () => fakeModule('https'))
const { NetworkError, send } = await import('../src/http.js')
type HttpRequest = import('../src/http.js').HttpRequest

const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy']
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

/** A socket for the request, already connected or still connecting. */
function socketFor(req: FakeRequest, connected: boolean): FakeSocket {
  const socket = new FakeSocket()
  socket.connecting = !connected
  req.emit('socket', socket)
  return socket
}

function errorWith(code: string | undefined, message = `boom ${code}`): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(message)
  if (code !== undefined) error.code = code
  return error
}

/** Answers with `status` and `body`, the whole body. */
function answer(req: FakeRequest, status: number | undefined, body = '', headers = {}): void {
  socketFor(req, true)
  const res = new FakeResponse(status, headers)
  req.emit('response', res)
  if (body !== '') res.emit('data', Buffer.from(body))
  res.complete = true
  res.emit('end')
  res.emit('close')
  req.emit('close')
}

describe('send: errors before any answer', () => {
  it.each([
    ['ECONNREFUSED', 'api.example.com:8443 refused the connection'],
    ['ENOTFOUND', 'the host name api.example.com could not be resolved'],
    ['EAI_AGAIN', 'the host name api.example.com could not be resolved'],
    ['EHOSTUNREACH', 'network error talking to api.example.com:8443: boom EHOSTUNREACH'],
    ['ENETUNREACH', 'network error talking to api.example.com:8443: boom ENETUNREACH']
  ])('%s before connecting: never sent, "%s"', async (code, message) => {
    script = (req) => req.emit('error', errorWith(code))
    const error = await failure(send(request('https://api.example.com:8443/x')))
    expect({ ...error, message: error.message }).toEqual({
      name: 'NetworkError',
      code,
      message,
      notSent: true
    })
    expect(requests[0].destroyed).toBe(true)
  })

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH'])(
    '%s after the socket connected: possibly sent',
    async (code) => {
      script = (req) => {
        socketFor(req, true)
        req.emit('error', errorWith(code))
      }
      expect((await failure(send(request('http://api.example.com/x')))).notSent).toBe(false)
    }
  )

  it('counts a socket as connected once it says so, not before', async () => {
    let socket: FakeSocket | undefined
    script = (req) => {
      socket = socketFor(req, false)
    }
    const pending = send(request('http://api.example.com/x'))
    await new Promise((resolve) => setImmediate(resolve))
    socket?.emit('connect')
    requests[0].emit('error', errorWith('ECONNREFUSED'))
    expect((await failure(pending)).notSent).toBe(false)
  })

  it('still counts a connecting socket as not connected', async () => {
    script = (req) => {
      socketFor(req, false)
      req.emit('error', errorWith('ECONNREFUSED'))
    }
    expect((await failure(send(request('http://api.example.com/x')))).notSent).toBe(true)
  })

  it.each([
    'CERT_HAS_EXPIRED',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'ERR_TLS_CERT_ALTNAME_INVALID'
  ])('names an untrusted certificate (%s)', async (code) => {
    script = (req) => {
      socketFor(req, true)
      req.emit('error', errorWith(code))
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect(error.code).toBe(code)
    expect(error.message).toBe(`the TLS certificate of api.example.com was not accepted (${code})`)
    expect(error.notSent).toBe(false)
  })

  it.each([
    ['socket hang up', 'api.example.com closed the connection without answering'],
    ['read ECONNRESET', 'the connection to api.example.com was reset']
  ])('tells a hang-up from a reset (ECONNRESET, "%s")', async (detail, message) => {
    script = (req) => {
      socketFor(req, true)
      req.emit('error', errorWith('ECONNRESET', detail))
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual(['ECONNRESET', message, false])
  })

  it('names an error without a code ENETWORK, with its own words', async () => {
    script = (req) => req.emit('error', errorWith(undefined, 'something odd'))
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'ENETWORK',
      'network error talking to api.example.com: something odd',
      false
    ])
  })

  it('reports a connection closed without an answer or an error', async () => {
    script = (req) => {
      socketFor(req, true)
      req.emit('close')
    }
    const error = await failure(send(request('https://api.example.com:444/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'ECONNCLOSED',
      'api.example.com:444 closed the connection without answering',
      false
    ])
  })

  it('reports the first fault only: a close after an error changes nothing', async () => {
    script = (req) => {
      req.emit('error', errorWith('ECONNREFUSED'))
      req.emit('close')
    }
    expect((await failure(send(request('https://api.example.com/x')))).code).toBe('ECONNREFUSED')
  })
})

describe('send: the answer', () => {
  it('returns status, headers, the whole body and the address', async () => {
    script = (req) => {
      socketFor(req, true)
      const res = new FakeResponse(201, { 'content-type': 'application/json' })
      req.emit('response', res)
      res.emit('data', Buffer.from('{"a":'))
      res.emit('data', Buffer.from('"é"}'))
      res.complete = true
      res.emit('end')
    }
    const url = 'https://api.example.com/api/v1/ci/1/trigger'
    const answered = await send(request(url, { method: 'POST', body: '{"pr_number":1}' }))
    expect(answered).toEqual({
      status: 201,
      headers: { 'content-type': 'application/json' },
      body: '{"a":"é"}',
      url: new URL(url)
    })
    const [req] = requests
    expect(req.module).toBe('https')
    expect(req.url.href).toBe(url)
    expect(req.options).toEqual({
      method: 'POST',
      headers: { Authorization: 'Key k', Accept: 'application/json', 'Content-Length': 15 },
      agent: undefined
    })
    expect(req.body).toBe('{"pr_number":1}')
  })

  it('sends no Content-Length and no body without a body, over http for http URLs', async () => {
    script = (req) => answer(req, 200, '[]')
    await send(request('http://127.0.0.1:8080/runs'))
    const [req] = requests
    expect(req.module).toBe('http')
    expect(req.options.headers).toEqual({ Authorization: 'Key k', Accept: 'application/json' })
    expect(req.body).toBeUndefined()
  })

  it('gives status 0 when the answer has none', async () => {
    script = (req) => answer(req, undefined)
    expect((await send(request('https://api.example.com/x'))).status).toBe(0)
  })

  it.each<[string, (res: FakeResponse) => void]>([
    ['ends incomplete', (res) => res.emit('end')],
    ['fails', (res) => res.emit('error', new Error('aborted'))],
    ['closes incomplete', (res) => res.emit('close')]
  ])('reports an answer that %s as cut off, with the bytes received', async (_name, cut) => {
    script = (req) => {
      socketFor(req, true)
      const res = new FakeResponse(200)
      req.emit('response', res)
      res.emit('data', Buffer.from('[{"id": 1,'))
      cut(res)
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'EINCOMPLETE',
      'the answer from api.example.com was cut off after 10 bytes of its body (the connection closed before the answer ended)',
      false
    ])
    expect(requests[0].destroyed).toBe(true)
  })

  it('refuses a body over 5 MB with the exact limit, and stops reading', async () => {
    script = (req) => {
      socketFor(req, true)
      const res = new FakeResponse(200)
      req.emit('response', res)
      res.emit('data', Buffer.alloc(5 * 1024 * 1024))
      res.emit('data', Buffer.alloc(1))
      res.complete = true
      res.emit('end')
    }
    const error = await failure(send(request('https://api.example.com/x')))
    expect([error.code, error.message, error.notSent]).toEqual([
      'EBODYTOOLARGE',
      'the answer from https://api.example.com is larger than 5242880 bytes',
      false
    ])
  })

  it('leaves no timer and no abort listener behind', async () => {
    jest.useFakeTimers()
    const controller = new AbortController()
    script = (req) => answer(req, 200, '[]')
    await send(request('https://api.example.com/x', { signal: controller.signal }))
    expect(jest.getTimerCount()).toBe(0)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('leaves no timer and no abort listener behind after a failure', async () => {
    jest.useFakeTimers()
    const controller = new AbortController()
    script = (req) => req.emit('error', errorWith('ECONNREFUSED'))
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

  it('times out after the time limit, not before, and destroys the request', async () => {
    jest.useFakeTimers()
    script = (req) => socketFor(req, true)
    let settled = false
    const pending = failure(send(request('https://api.example.com/x', { timeoutMs: 1_000 })))
    void pending.then(() => (settled = true))
    await jest.advanceTimersByTimeAsync(999)
    expect(settled).toBe(false)
    await jest.advanceTimersByTimeAsync(1)
    const error = await pending
    expect(error.code).toBe('ETIMEDOUT')
    expect(requests[0].destroyed).toBe(true)
  })

  it('a cancel before the socket connects: never sent', async () => {
    const controller = new AbortController()
    script = (req) => {
      socketFor(req, false)
      controller.abort()
    }
    const error = await failure(
      send(request('https://api.example.com/x', { signal: controller.signal }))
    )
    expect([error.code, error.notSent]).toEqual(['EABORTED', true])
    expect(requests[0].destroyed).toBe(true)
  })

  it('a cancel after the socket connected: possibly sent', async () => {
    const controller = new AbortController()
    script = (req) => {
      socketFor(req, true)
      controller.abort()
    }
    const error = await failure(
      send(request('https://api.example.com/x', { signal: controller.signal }))
    )
    expect([error.code, error.notSent]).toEqual(['EABORTED', false])
  })
})

describe('send: a proxy from the environment', () => {
  it('uses no agent of its own without a proxy variable', async () => {
    script = (req) => answer(req, 200)
    await send(request('https://api.example.com/x'))
    await send(request('http://127.0.0.1/x'))
    expect(requests.map((req) => req.options.agent)).toEqual([undefined, undefined])
  })

  it.each(PROXY_VARIABLES)(
    'with %s, one agent per protocol that takes the proxy from the environment',
    async (name) => {
      process.env[name] = 'http://proxy.example.com:3128'
      script = (req) => answer(req, 200)
      await send(request('https://api.example.com/a'))
      await send(request('https://api.example.com/b'))
      await send(request('http://127.0.0.1/c'))
      const [first, second, plain] = requests.map((req) => req.options.agent as FakeAgent)
      expect(first).toBeInstanceOf(FakeAgent)
      expect(first.options.proxyEnv).toBe(process.env)
      expect(second).toBe(first)
      expect(plain).toBeInstanceOf(FakeAgent)
      expect(plain).not.toBe(first)
      expect(plain.options.proxyEnv).toBe(process.env)
    }
  )
})
