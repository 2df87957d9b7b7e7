/**
 * One HTTP exchange over node:http/https: a time limit for the whole exchange, redirects that never
 * carry credentials to another origin, and a cap on the body size. No retries and no meaning of
 * status codes here; those belong to the caller.
 */
import type * as Http from 'node:http'
import type * as Https from 'node:https'

export interface HttpRequest {
  method: 'GET' | 'POST'
  url: URL
  headers: Record<string, string>
  body?: string
  /** Limit for the whole exchange (connect, headers and body), redirects included. */
  timeoutMs: number
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  headers: Http.IncomingHttpHeaders
  body: string
  /** Where the answer came from, after redirects. */
  url: URL
}

export type Transport = (request: HttpRequest) => Promise<HttpResponse>

/** Why no HTTP answer arrived. `code` is Node's (ECONNREFUSED, ENOTFOUND, ...) or one of ours. */
export class NetworkError extends Error {
  override name = 'NetworkError'
  constructor(
    readonly code: string,
    message: string,
    /** True when the request certainly never reached the server (nothing was processed). */
    readonly notSent: boolean
  ) {
    super(message)
  }
}

const MAX_REDIRECTS = 5
const MAX_BODY_BYTES = 5 * 1024 * 1024
// Errors raised before a connection exists: the server cannot have seen the request.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

type HttpModule = typeof Http | typeof Https

/**
 * node:http or node:https, loaded at the first request to that protocol: a step that stops on a bad
 * input never pays for the HTTP and TLS stack.
 */
function moduleFor(protocol: string): Promise<HttpModule> {
  return protocol === 'https:' ? import('node:https') : import('node:http')
}

/**
 * Agents that tunnel through HTTP(S)_PROXY (honouring NO_PROXY) for runners behind a proxy. Node 24,
 * the runtime GitHub gives the action, does this itself through the agent's `proxyEnv` option;
 * older Node ignores the option and connects directly. Made only when a proxy is configured.
 */
const proxyAgents = new Map<HttpModule, Http.Agent>()
function agentFor(lib: HttpModule): Http.Agent | undefined {
  const env = process.env
  if (!(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy)) return undefined
  let agent = proxyAgents.get(lib)
  if (!agent) {
    agent = new lib.Agent({ proxyEnv: env } as Http.AgentOptions)
    proxyAgents.set(lib, agent)
  }
  return agent
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

export const send: Transport = async (request) => {
  const deadline = Date.now() + request.timeoutMs
  let url = request.url
  let method = request.method
  let body = request.body
  const headers = { ...request.headers }
  for (let hop = 0; ; hop++) {
    const lib = await moduleFor(url.protocol)
    const response = await exchange({ ...request, method, url, headers, body }, deadline, lib)
    const location = response.headers.location
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) {
      return response
    }
    if (hop >= MAX_REDIRECTS) {
      throw new NetworkError(
        'EREDIRECTS',
        `more than ${MAX_REDIRECTS} redirects from ${request.url.origin}`,
        false
      )
    }
    const next = new URL(location, url)
    if (
      next.protocol !== 'https:' &&
      !(next.protocol === 'http:' && isLoopbackHost(next.hostname))
    ) {
      throw new NetworkError(
        'EREDIRECT_INSECURE',
        `${url.origin} redirected to ${next.origin}, which is not https; not following`,
        false
      )
    }
    if (method === 'POST' && response.status !== 307 && response.status !== 308) {
      // A 301/302/303 would turn the POST into a GET and silently drop the trigger.
      throw new NetworkError(
        'EREDIRECT_POST',
        `${url.origin} redirected the request to ${next.origin}${next.pathname}; set datafold-host to the address it redirects to`,
        false
      )
    }
    if (next.origin !== url.origin) {
      // Credentials are for the host the user named, never for wherever it points us.
      for (const name of Object.keys(headers)) {
        if (name.toLowerCase() === 'authorization' || name.toLowerCase() === 'cookie')
          delete headers[name]
      }
    }
    url = next
    if (response.status === 303) {
      method = 'GET'
      body = undefined
    }
  }
}

/**
 * One request and its answer. Settles exactly once, whatever the socket does: the answer in full,
 * or a NetworkError. The timer and the abort settle the promise themselves instead of relying on
 * `destroy()` to raise an error, because after the request is written a destroyed request may emit
 * nothing at all; a connection that closes before the answer ends is an error, never a short body.
 */
function exchange(request: HttpRequest, deadline: number, lib: HttpModule): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const remaining = deadline - Date.now()
    if (remaining <= 0) {
      reject(timeoutError(request))
      return
    }
    if (request.signal?.aborted) {
      reject(new NetworkError('EABORTED', 'request cancelled', true))
      return
    }
    const headers: Record<string, string | number> = { ...request.headers }
    if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body)
    let connected = false
    let settled = false
    let received = 0
    let answered = false
    const req = lib.request(request.url, { method: request.method, headers, agent: agentFor(lib) })

    const cleanUp = (): void => {
      settled = true
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
    }
    const fail = (error: NetworkError): void => {
      if (settled) return
      cleanUp()
      req.destroy()
      reject(error)
    }
    const cutOff = (): NetworkError =>
      new NetworkError(
        'EINCOMPLETE',
        `the answer from ${request.url.host} was cut off after ${received} bytes of its body (the connection closed before the answer ended)`,
        false
      )
    const timer = setTimeout(() => fail(timeoutError(request)), remaining)
    const onAbort = (): void => fail(new NetworkError('EABORTED', 'request cancelled', !connected))
    request.signal?.addEventListener('abort', onAbort, { once: true })

    req.on('socket', (socket) => {
      const markConnected = (): void => {
        connected = true
      }
      if (socket.connecting) socket.once('connect', markConnected)
      else markConnected()
    })
    req.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'ENETWORK'
      fail(
        new NetworkError(
          code,
          describeNetworkError(code, request.url, error.message),
          NOT_SENT_CODES.has(code) && !connected
        )
      )
    })
    // Closed with no answer and no error (a clean close before the status line, say).
    req.on('close', () => {
      if (!answered)
        fail(
          new NetworkError(
            'ECONNCLOSED',
            `${request.url.host} closed the connection without answering`,
            false
          )
        )
    })
    req.on('response', (res) => {
      answered = true
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => {
        received += chunk.length
        if (received > MAX_BODY_BYTES) {
          fail(
            new NetworkError(
              'EBODYTOOLARGE',
              `the answer from ${request.url.origin} is larger than ${MAX_BODY_BYTES} bytes`,
              false
            )
          )
          return
        }
        chunks.push(chunk)
      })
      res.on('end', () => {
        // 'end' only follows a complete body; `complete` says so explicitly.
        if (!res.complete) return fail(cutOff())
        if (settled) return
        cleanUp()
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          url: request.url
        })
      })
      res.on('error', () => fail(cutOff()))
      res.on('close', () => {
        if (!res.complete) fail(cutOff())
      })
    })
    req.end(request.body)
  })
}

function timeoutError(request: HttpRequest): NetworkError {
  return new NetworkError(
    'ETIMEDOUT',
    `no answer from ${request.url.origin} within the request time limit`,
    false
  )
}

function describeNetworkError(code: string, url: URL, detail: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `${url.host} refused the connection`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${url.hostname} could not be resolved`
    case 'ECONNRESET':
      // Node's words when the server closed the connection before any answer.
      return detail === 'socket hang up'
        ? `${url.host} closed the connection without answering`
        : `the connection to ${url.host} was reset`
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the TLS certificate of ${url.host} was not accepted (${code})`
    default:
      return `network error talking to ${url.host}: ${detail}`
  }
}
