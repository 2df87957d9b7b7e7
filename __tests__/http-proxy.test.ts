/**
 * send() behind a proxy, in process: a real CONNECT proxy on 127.0.0.1 (node:http's `connect`
 * event) that tunnels every target to a local server, or answers a status of its own; the proxy
 * variables as a runner sets them (proxy-env.ts reads them). Hosts under `.invalid` (RFC 2606)
 * resolve nowhere, so a request that succeeds went through the proxy, and one sent directly fails
 * to resolve without the proxy seeing it.
 */
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { NetworkError, send, type HttpRequest } from '../src/http.js'
import { isRetryableRead, isRetryableTrigger } from '../src/retry.js'
import { setEnv } from '../__fixtures__/process-io.js'

const TARGET = 'datafold.corp.invalid'
const VARIABLES = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy'
] as const
type Variables = Partial<Record<(typeof VARIABLES)[number], string>>

let restoreEnv: (() => void) | undefined
const servers: Server[] = []

async function listen(server: Server): Promise<number> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** A server that answers every request `through <path>`. */
async function target(): Promise<number> {
  return listen(
    createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.end(`through ${req.url}`)
    })
  )
}

/** A CONNECT proxy: tunnels to `to`, or answers `status`; records each CONNECT's target. */
async function proxy(answer: { to: number } | { status: number }) {
  const connects: string[] = []
  const server = createServer()
  server.on('connect', (req, socket: Socket) => {
    connects.push(req.url ?? '')
    if ('status' in answer) {
      socket.end(`HTTP/1.1 ${answer.status} No\r\nContent-Length: 0\r\n\r\n`)
      return
    }
    const upstream = connect(answer.to, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.pipe(socket).pipe(upstream)
    })
    upstream.on('error', () => socket.destroy())
    socket.on('error', () => upstream.destroy())
  })
  const port = await listen(server)
  return { port, connects }
}

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  const port = await listen(server)
  servers.splice(servers.indexOf(server), 1)
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function environment(variables: Variables): void {
  restoreEnv = setEnv({
    ...Object.fromEntries(VARIABLES.map((name) => [name, undefined])),
    ...variables
  })
}

const get = (url: string): HttpRequest => ({
  method: 'GET',
  url: new URL(url),
  headers: { Authorization: 'Key k' },
  timeoutMs: 5_000
})

async function failure(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(NetworkError)
    return error as NetworkError
  }
  throw new Error('expected a NetworkError')
}

afterEach(async () => {
  restoreEnv?.()
  restoreEnv = undefined
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

describe('send behind a proxy', () => {
  it('goes through HTTP_PROXY given without a scheme (proxy.corp:3128), read as http://', async () => {
    const { port, connects } = await proxy({ to: await target() })
    environment({ HTTP_PROXY: `127.0.0.1:${port}`, HTTPS_PROXY: `127.0.0.1:${port}` })
    const answer = await send(get(`http://${TARGET}/x`))
    expect(answer.body).toBe('through /x')
    expect(connects).toEqual([`${TARGET}:80`])
  })

  it('stops with an error naming the variable when it names no http(s) proxy', async () => {
    environment({ HTTP_PROXY: 'socks5://user:s3cret@127.0.0.1:1080' })
    const error = await failure(send(get(`http://${TARGET}/x`)))
    expect(error.code).toBe('EPROXYCONFIG')
    expect(error.message).toBe(
      'HTTP_PROXY names a socks5 proxy; the action goes through http:// and https:// proxies only. Set it to http://host:port, or unset it.'
    )
    expect(error.notSent).toBe(true)
    expect(isRetryableRead({ kind: 'network', code: error.code, notSent: true })).toBe(false)
  })

  it('names the proxy, without its credentials, when the proxy refuses the connection', async () => {
    const port = await closedPort()
    environment({ HTTP_PROXY: `http://user:s3cret@127.0.0.1:${port}` })
    const error = await failure(send(get(`http://${TARGET}/x`)))
    expect(error.code).toBe('ECONNREFUSED')
    expect(error.message).toBe(
      `the proxy http://127.0.0.1:${port} (HTTP_PROXY) refused the connection (ECONNREFUSED)`
    )
    expect(error.message).not.toMatch(/user|s3cret/)
    expect(error.notSent).toBe(true)
  })

  it.each(['corp.invalid', '.corp.invalid', '*', 'CORP.INVALID', 'corp.invalid:80'])(
    'reaches a host that NO_PROXY=%p covers directly: the proxy sees nothing',
    async (noProxy) => {
      const { port, connects } = await proxy({ to: await target() })
      environment({ HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: noProxy })
      const error = await failure(send(get(`http://${TARGET}/x`)))
      // Sent directly, the name resolves nowhere.
      expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(error.code)
      expect(connects).toEqual([])
    }
  )

  it.each(['corp.invalid:8080', 'other.invalid', 'xcorp.invalid'])(
    'goes through the proxy when NO_PROXY=%p does not cover the host',
    async (noProxy) => {
      const { port, connects } = await proxy({ to: await target() })
      environment({ HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: noProxy })
      expect((await send(get(`http://${TARGET}/x`))).body).toBe('through /x')
      expect(connects).toEqual([`${TARGET}:80`])
    }
  )

  it('treats an empty http_proxy as unset: HTTP_PROXY still counts', async () => {
    const { port, connects } = await proxy({ to: await target() })
    environment({ http_proxy: '', HTTP_PROXY: `http://127.0.0.1:${port}` })
    expect((await send(get(`http://${TARGET}/x`))).body).toBe('through /x')
    expect(connects).toEqual([`${TARGET}:80`])
  })

  it('treats an empty no_proxy as unset: NO_PROXY still counts', async () => {
    const { port, connects } = await proxy({ to: await target() })
    environment({ HTTP_PROXY: `http://127.0.0.1:${port}`, no_proxy: '', NO_PROXY: TARGET })
    await failure(send(get(`http://${TARGET}/x`)))
    expect(connects).toEqual([])
  })

  it('a 403 to CONNECT is permanent: not retried, naming the proxy and its answer', async () => {
    const { port } = await proxy({ status: 403 })
    environment({ HTTP_PROXY: `http://user:s3cret@127.0.0.1:${port}` })
    const error = await failure(send(get(`http://${TARGET}/x`)))
    expect(error.code).toBe('EPROXY')
    expect(error.message).toBe(
      `the proxy http://127.0.0.1:${port} (HTTP_PROXY) would not open a connection to ${TARGET} (it answered HTTP 403)`
    )
    const fault = { kind: 'network', code: error.code, notSent: error.notSent } as const
    expect(isRetryableRead(fault)).toBe(false)
    expect(isRetryableTrigger(fault)).toBe(false)
  })

  it('a 502 to CONNECT (the proxy could not reach the host) is retried', async () => {
    const { port } = await proxy({ status: 502 })
    environment({ HTTP_PROXY: `http://127.0.0.1:${port}` })
    const error = await failure(send(get(`http://${TARGET}/x`)))
    expect(error.code).toBe('EPROXYUPSTREAM')
    expect(error.message).toContain('(it answered HTTP 502)')
    const fault = { kind: 'network', code: error.code, notSent: error.notSent } as const
    expect(isRetryableRead(fault)).toBe(true)
    expect(isRetryableTrigger(fault)).toBe(true)
  })
})
