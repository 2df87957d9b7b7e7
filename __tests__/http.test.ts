/**
 * send() against real local servers (node:http, no nock): time limits, redirects and what they
 * carry, body size, cancellation and how network failures are reported.
 */
import { execFileSync } from 'node:child_process'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import {
  createTransport,
  NetworkError,
  isLoopbackHost,
  send,
  type HttpRequest,
  type Transport
} from '../src/http.js'
import { selfSignedCert } from '../__fixtures__/self-signed.js'

interface Seen {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: string
}

interface TestServer {
  origin: string
  seen: Seen[]
  close(): Promise<void>
}

const servers: TestServer[] = []

async function listen(
  server: http.Server | https.Server,
  seen: Seen[],
  protocol: 'http' | 'https'
): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const test: TestServer = {
    origin: `${protocol}://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  servers.push(test)
  return test
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen) => void

function handlerWith(seen: Seen[], handler: Handler): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8')
      }
      seen.push(entry)
      handler(req, res, entry)
    })
  }
}

async function startServer(handler: Handler): Promise<TestServer> {
  const seen: Seen[] = []
  return listen(http.createServer(handlerWith(seen, handler)), seen, 'http')
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const KEY = 'Key dfk_httpTestKey'

function request(url: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return {
    method: 'GET',
    url: new URL(url),
    headers: { Authorization: KEY, Accept: 'application/json', Cookie: 'session=1' },
    timeoutMs: 2_000,
    ...overrides
  }
}

async function failure(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(NetworkError)
    return error as NetworkError
  }
  throw new Error('expected a NetworkError')
}

const json = (res: http.ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(body))
}

describe('send: one exchange', () => {
  it('sends method, headers and body, and returns status, headers and body', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ci_run_id: 1, run_id: 2 }))
    const body = JSON.stringify({ pr_number: 7, pr_branch: 'ünïcode' })
    const answer = await send(
      request(`${server.origin}/api/v1/ci/42/trigger`, {
        method: 'POST',
        headers: { Authorization: KEY, 'Content-Type': 'application/json' },
        body
      })
    )
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ ci_run_id: 1, run_id: 2 })
    expect(answer.headers['content-type']).toBe('application/json')
    expect(answer.url.href).toBe(`${server.origin}/api/v1/ci/42/trigger`)
    expect(server.seen).toHaveLength(1)
    const [seen] = server.seen
    expect(seen.method).toBe('POST')
    expect(seen.path).toBe('/api/v1/ci/42/trigger')
    expect(seen.headers.authorization).toBe(KEY)
    expect(seen.headers['content-type']).toBe('application/json')
    expect(seen.headers['content-length']).toBe(String(Buffer.byteLength(body)))
    expect(seen.body).toBe(body)
  })

  it('returns error statuses as answers, not errors', async () => {
    const server = await startServer((_req, res) => json(res, 503, { detail: 'busy' }))
    const answer = await send(request(`${server.origin}/x`))
    expect(answer.status).toBe(503)
    expect(answer.body).toBe('{"detail":"busy"}')
  })
})

/** Writes raw bytes of an HTTP answer on the request's socket, then closes it as `close` says. */
function rawAnswer(text: string, close: 'fin' | 'rst'): Handler {
  return (req) => {
    const socket = req.socket
    socket.write(text, () => (close === 'fin' ? socket.end() : socket.resetAndDestroy()))
  }
}

describe('send: answers cut off half way', () => {
  // A clean close (FIN) after part of the body must be an error, never a hang or a short answer.
  it.each<[string, string, 'fin' | 'rst']>([
    [
      'content-length, closed cleanly',
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{"id": 1,',
      'fin'
    ],
    [
      'chunked, closed cleanly before the last chunk',
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\na\r\n[{"id": 1,\r\n',
      'fin'
    ],
    [
      'content-length, reset',
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{"id": 1,',
      'rst'
    ],
    ['headers only half sent, closed cleanly', 'HTTP/1.1 200 OK\r\nContent-Ty', 'fin'],
    ['nothing sent, closed cleanly', '', 'fin']
  ])('%s: a NetworkError that says so, not an answer', async (_name, text, close) => {
    const server = await startServer(rawAnswer(text, close))
    const error = await failure(
      send(request(`${server.origin}/cut`, { method: 'POST', body: '{}', timeoutMs: 5_000 }))
    )
    expect(error.notSent).toBe(false)
    expect(error.message).toContain(new URL(server.origin).host)
    expect(server.seen).toHaveLength(1)
  })

  it('a body cut off after the headers is named as cut off', async () => {
    const server = await startServer(
      rawAnswer(
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n[{"id": 1,',
        'fin'
      )
    )
    const error = await failure(send(request(`${server.origin}/cut`, { timeoutMs: 5_000 })))
    expect(error.code).toBe('EINCOMPLETE')
    expect(error.message).toMatch(/answer from 127\.0\.0\.1:\d+ was cut off/)
  })
})

describe('send: time limits', () => {
  it('gives up on a server that never answers, within the request time limit', async () => {
    const server = await startServer(() => undefined)
    const started = Date.now()
    const error = await failure(send(request(`${server.origin}/hang`, { timeoutMs: 80 })))
    expect(Date.now() - started).toBeLessThan(1_500)
    expect(error.code).toBe('ETIMEDOUT')
    expect(error.notSent).toBe(false)
    expect(error.message).toMatch(
      /no answer from http:\/\/127\.0\.0\.1:\d+ within the request time limit/
    )
    expect(server.seen).toHaveLength(1)
  })

  it('gives up on a body that stalls after the headers', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.write('[{"id": 1,')
    })
    const error = await failure(send(request(`${server.origin}/stall`, { timeoutMs: 80 })))
    expect(error.code).toBe('ETIMEDOUT')
  })
})

describe('send: redirects', () => {
  it('does not carry Authorization or cookies to another origin (307 to another port)', async () => {
    const other = await startServer((_req, res) => json(res, 200, []))
    const first = await startServer((_req, res) => {
      res.writeHead(307, { Location: `${other.origin}/elsewhere?x=1` })
      res.end()
    })
    const answer = await send(request(`${first.origin}/api/v1/ci/42/runs`))
    expect(answer.status).toBe(200)
    expect(answer.url.href).toBe(`${other.origin}/elsewhere?x=1`)
    expect(first.seen[0].headers.authorization).toBe(KEY)
    expect(other.seen).toHaveLength(1)
    expect(other.seen[0].headers.authorization).toBeUndefined()
    expect(other.seen[0].headers.cookie).toBeUndefined()
    expect(other.seen[0].headers.accept).toBe('application/json')
    expect(JSON.stringify(other.seen[0].headers)).not.toContain('dfk_httpTestKey')
  })

  it('does not restore Authorization when the redirects lead back to the first origin', async () => {
    let firstOrigin = ''
    const other = await startServer((_req, res) => {
      res.writeHead(302, { Location: `${firstOrigin}/back` })
      res.end()
    })
    const first = await startServer((req, res) => {
      if (req.url === '/back') return json(res, 200, [])
      res.writeHead(302, { Location: `${other.origin}/away` })
      res.end()
    })
    firstOrigin = first.origin
    await send(request(`${first.origin}/start`))
    expect(first.seen.map((s) => [s.path, s.headers.authorization])).toEqual([
      ['/start', KEY],
      ['/back', undefined]
    ])
  })

  it('keeps Authorization on a same-origin redirect, relative Location included', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/api/v1/ci/42/runs/') return json(res, 200, [{ id: 1, status: 'done' }])
      res.writeHead(301, { Location: '/api/v1/ci/42/runs/' })
      res.end()
    })
    const answer = await send(request(`${server.origin}/api/v1/ci/42/runs`))
    expect(answer.status).toBe(200)
    expect(server.seen.map((s) => s.headers.authorization)).toEqual([KEY, KEY])
  })

  it('follows a POST 307 with the same method and body', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/v2/trigger') return json(res, 200, { ci_run_id: 5, run_id: null })
      res.writeHead(307, { Location: '/v2/trigger' })
      res.end()
    })
    const answer = await send(
      request(`${server.origin}/trigger`, { method: 'POST', body: '{"pr_number":1}' })
    )
    expect(answer.status).toBe(200)
    expect(server.seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/trigger', '{"pr_number":1}'],
      ['POST', '/v2/trigger', '{"pr_number":1}']
    ])
  })

  it('follows a POST 308 with the same method and body, without the key on another origin', async () => {
    const other = await startServer((_req, res) => json(res, 200, { ci_run_id: 5, run_id: null }))
    const server = await startServer((_req, res) => {
      res.writeHead(308, { Location: `${other.origin}/v2/trigger` })
      res.end()
    })
    const answer = await send(
      request(`${server.origin}/trigger`, { method: 'POST', body: '{"pr_number":1}' })
    )
    expect(answer.status).toBe(200)
    expect(other.seen.map((s) => [s.method, s.path, s.body, s.headers.authorization])).toEqual([
      ['POST', '/v2/trigger', '{"pr_number":1}', undefined]
    ])
  })

  it.each([301, 302, 303])('refuses a POST %p, saying what to set', async (status) => {
    const server = await startServer((_req, res) => {
      res.writeHead(status, { Location: '/login' })
      res.end()
    })
    const error = await failure(
      send(request(`${server.origin}/trigger`, { method: 'POST', body: '{}' }))
    )
    expect(error.code).toBe('EREDIRECT_POST')
    expect(error.notSent).toBe(false)
    expect(error.message).toContain(
      `${server.origin} redirected the request to ${server.origin}/login`
    )
    expect(error.message).toMatch(/set datafold-host to the address it redirects to/)
    expect(server.seen).toHaveLength(1)
  })

  it('turns a GET 303 into a GET of the new address', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/result') return json(res, 200, [])
      res.writeHead(303, { Location: '/result' })
      res.end()
    })
    expect((await send(request(`${server.origin}/runs`))).status).toBe(200)
    expect(server.seen.map((s) => [s.method, s.path])).toEqual([
      ['GET', '/runs'],
      ['GET', '/result']
    ])
  })

  it.each([307, 303])(
    'a GET %p with a body: a 307 keeps the body, a 303 drops it',
    async (status) => {
      const server = await startServer((req, res) => {
        if (req.url === '/next') return json(res, 200, [])
        res.writeHead(status, { Location: '/next' })
        res.end()
      })
      await send(request(`${server.origin}/first`, { body: 'q=1' }))
      expect(server.seen.map((s) => [s.method, s.path, s.body])).toEqual([
        ['GET', '/first', 'q=1'],
        ['GET', '/next', status === 307 ? 'q=1' : '']
      ])
    }
  )

  it('follows a 300 that names a Location, like any other redirect', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/chosen') return json(res, 200, [])
      res.writeHead(300, { Location: '/chosen' })
      res.end()
    })
    expect((await send(request(`${server.origin}/runs`))).status).toBe(200)
    expect(server.seen.map((s) => s.path)).toEqual(['/runs', '/chosen'])
  })

  it('returns a 400 that names a Location as it is', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(400, { Location: '/elsewhere' })
      res.end()
    })
    expect((await send(request(`${server.origin}/runs`))).status).toBe(400)
    expect(server.seen).toHaveLength(1)
  })

  it.each([
    'http://datafold.invalid/api',
    'http://10.1.2.3/api',
    'ftp://datafold.invalid/',
    'ftp://localhost/',
    'ftp://127.0.0.1/'
  ])('refuses a redirect to plain %p (not loopback), without following it', async (location) => {
    const server = await startServer((_req, res) => {
      res.writeHead(302, { Location: location })
      res.end()
    })
    const error = await failure(send(request(`${server.origin}/runs`)))
    expect(error.code).toBe('EREDIRECT_INSECURE')
    expect(error.notSent).toBe(false)
    expect(error.message).toBe(
      `${server.origin} redirected to ${new URL(location).origin}, which is not https; not following`
    )
    expect(server.seen).toHaveLength(1)
  })

  it('stops after 5 redirects', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(302, { Location: `/hop${Number((req.url ?? '').replace(/\D/g, '') || 0) + 1}` })
      res.end()
    })
    const error = await failure(send(request(`${server.origin}/hop0`)))
    expect(error.code).toBe('EREDIRECTS')
    expect(error.notSent).toBe(false)
    expect(error.message).toBe(`more than 5 redirects from ${server.origin}`)
    expect(server.seen).toHaveLength(6)
  })

  it('returns a 3xx without Location, and a 304, as they are', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(req.url === '/a' ? 300 : 304, req.url === '/a' ? {} : { Location: '/x' })
      res.end()
    })
    expect((await send(request(`${server.origin}/a`))).status).toBe(300)
    expect((await send(request(`${server.origin}/b`))).status).toBe(304)
    expect(server.seen).toHaveLength(2)
  })
})

describe('send: body size', () => {
  it('refuses an answer larger than 5 MB', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      for (let i = 0; i < 5; i++) res.write(chunk)
      res.end('a')
    })
    const error = await failure(send(request(`${server.origin}/big`)))
    expect(error.code).toBe('EBODYTOOLARGE')
    expect(error.message).toMatch(/larger than 5242880 bytes/)
  })

  it('accepts an answer of exactly 5 MB', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200)
      res.end(Buffer.alloc(5 * 1024 * 1024, 'b'))
    })
    const answer = await send(request(`${server.origin}/exact`))
    expect(answer.body).toHaveLength(5 * 1024 * 1024)
  })
})

describe('send: cancellation and network failures', () => {
  it('stops a request in flight when the signal aborts', async () => {
    const server = await startServer(() => undefined)
    const controller = new AbortController()
    const started = Date.now()
    const pending = send(request(`${server.origin}/hang`, { signal: controller.signal }))
    setTimeout(() => controller.abort(), 30)
    const error = await failure(pending)
    expect(error.code).toBe('EABORTED')
    expect(error.notSent).toBe(false)
    expect(Date.now() - started).toBeLessThan(1_000)
  })

  it('sends nothing with an already aborted signal', async () => {
    const server = await startServer((_req, res) => json(res, 200, []))
    const error = await failure(
      send(request(`${server.origin}/x`, { signal: AbortSignal.abort() }))
    )
    expect(error.code).toBe('EABORTED')
    expect(error.notSent).toBe(true)
    expect(server.seen).toHaveLength(0)
  })

  it('reports a refused connection as never sent', async () => {
    const server = await startServer(() => undefined)
    const origin = server.origin
    await server.close()
    servers.splice(servers.indexOf(server), 1)
    const error = await failure(send(request(`${origin}/x`)))
    expect(error.code).toBe('ECONNREFUSED')
    expect(error.notSent).toBe(true)
    expect(error.message).toBe(`${new URL(origin).host} refused the connection`)
  })

  it('reports a host name that does not resolve as never sent', async () => {
    // .invalid never resolves (RFC 6761); offline resolvers may say EAI_AGAIN instead.
    const error = await failure(send(request('http://datafold.invalid/x')))
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(error.code)
    expect(error.notSent).toBe(true)
    expect(error.message).toBe('the host name datafold.invalid could not be resolved')
  })

  it('reports a connection reset before the answer as possibly sent', async () => {
    const server = await startServer((req) => req.socket.resetAndDestroy())
    const error = await failure(send(request(`${server.origin}/x`, { method: 'POST', body: '{}' })))
    expect(error.code).toBe('ECONNRESET')
    expect(error.notSent).toBe(false)
    expect(error.message).toMatch(/the connection to 127\.0\.0\.1:\d+ was reset/)
    expect(server.seen).toHaveLength(1)
  })

  it('reports a connection closed without an answer as possibly sent', async () => {
    const server = await startServer((req) => req.socket.destroy())
    const error = await failure(send(request(`${server.origin}/x`, { method: 'POST', body: '{}' })))
    expect(error.code).toBe('ECONNCLOSED')
    expect(error.notSent).toBe(false)
    expect(error.message).toMatch(/closed the connection without answering/)
    expect(server.seen).toHaveLength(1)
  })
})

// Needs the openssl CLI to make a throwaway self-signed certificate for 127.0.0.1.
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

;(hasOpenssl ? describe : describe.skip)('send: over https', () => {
  let tls: { key: Buffer; cert: Buffer }
  beforeAll(() => {
    const certificate = selfSignedCert('127.0.0.1', ['IP:127.0.0.1'])
    tls = { key: certificate.key, cert: certificate.cert }
    certificate.remove()
  })
  /** send() trusting the test certificate. */
  const trusting = (): Transport => createTransport(tls.cert)

  async function startHttpsServer(handler: Handler): Promise<TestServer> {
    const seen: Seen[] = []
    return listen(https.createServer(tls, handlerWith(seen, handler)), seen, 'https')
  }

  it('reports an untrusted TLS certificate by name', async () => {
    const server = await startHttpsServer((_req, res) => json(res, 200, []))
    const error = await failure(send(request(`${server.origin}/x`)))
    expect(error.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT')
    expect(error.message).toBe(
      `the TLS certificate of ${new URL(server.origin).host} was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT)`
    )
    expect(server.seen).toHaveLength(0)
  })

  it('talks to a trusted https server', async () => {
    const server = await startHttpsServer((_req, res) => json(res, 200, [{ id: 1 }]))
    const answer = await trusting()(request(`${server.origin}/api/v1/ci/42/runs`))
    expect(answer.status).toBe(200)
    expect(server.seen[0].headers.authorization).toBe(KEY)
  })

  it('refuses a redirect from https to plain http on another host', async () => {
    const server = await startHttpsServer((_req, res) => {
      res.writeHead(301, { Location: 'http://datafold.invalid/api/v1/ci/42/runs' })
      res.end()
    })
    const error = await failure(trusting()(request(`${server.origin}/api/v1/ci/42/runs`)))
    expect(error.code).toBe('EREDIRECT_INSECURE')
    expect(error.message).toBe(
      `${server.origin} redirected to http://datafold.invalid, which is not https; not following`
    )
    expect(server.seen).toHaveLength(1)
  })

  it('follows a redirect from https to a loopback http address without the key', async () => {
    const plain = await startServer((_req, res) => json(res, 200, []))
    const server = await startHttpsServer((_req, res) => {
      res.writeHead(307, { Location: `${plain.origin}/runs` })
      res.end()
    })
    expect((await trusting()(request(`${server.origin}/runs`))).status).toBe(200)
    expect(server.seen[0].headers.authorization).toBe(KEY)
    expect(plain.seen[0].headers.authorization).toBeUndefined()
  })
})

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LocalHost', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['[::1]', true],
    ['::1', true],
    ['127.0.0.1.nip.io', false],
    ['1127.0.0.1', false],
    ['127.0.0', false],
    ['127.0.0.1234', false],
    ['127.a.0.1', false],
    ['x[::1]', false],
    ['[::1]x', false],
    ['localhost.example.com', false],
    ['10.0.0.1', false],
    ['[::2]', false],
    ['app.datafold.com', false]
  ])('%p → %p', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })
})
