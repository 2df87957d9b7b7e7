/**
 * One HTTP exchange: a time limit for the whole exchange, redirects that never carry credentials to
 * another origin, a cap on the body size, and the same proxy rules for every host the action talks
 * to (Datafold and the GitHub API). No retries and no meaning of status codes here; those belong to
 * the caller.
 *
 * Requests go through undici (already in the bundle through the toolkit) rather than node:http:
 * its EnvHttpProxyAgent honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY on every Node the action runs
 * on, where node:http does so only from Node 24.5 and silently connects directly before that.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici'

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
  headers: IncomingHttpHeaders
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
// Codes only a connection attempt raises: whatever undici reported before, no request was written.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH'
])

// The exchange's own timer is the only time limit: undici's would cut a slow answer short of
// request-timeout, or outlast it.
const AGENT_OPTIONS = { headersTimeout: 0, bodyTimeout: 0 }

const PROXY_VARIABLES = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy']
const NO_PROXY_VARIABLES = ['NO_PROXY', 'no_proxy']

/**
 * How to reach a host. A loopback host is always reached directly, whatever the proxy variables
 * say: plain http is allowed only for loopback, on the premise that the key never crosses a
 * network, and a proxy is a network hop. Every other host goes through HTTP(S)_PROXY unless
 * NO_PROXY names it (EnvHttpProxyAgent reads both, in either case), or directly when no proxy is
 * set.
 */
class Connections {
  private direct: Agent | undefined
  private proxied: { settings: string; agent: EnvHttpProxyAgent } | undefined
  constructor(private readonly options: Agent.Options) {}

  for(url: URL): Dispatcher {
    const env = process.env
    if (isLoopbackHost(url.hostname) || !PROXY_VARIABLES.some((name) => env[name])) {
      return (this.direct ??= new Agent(this.options))
    }
    const settings = JSON.stringify(
      [...PROXY_VARIABLES, ...NO_PROXY_VARIABLES].map((name) => env[name])
    )
    // Made again only if the variables change (they do between tests, never in a run).
    if (this.proxied?.settings !== settings) {
      this.proxied = { settings, agent: quietly(() => new EnvHttpProxyAgent(this.options)) }
    }
    return this.proxied.agent
  }
}

/**
 * undici 6 prints "EnvHttpProxyAgent is experimental" on stderr when the first one is made. The
 * API it warns may change is pinned here (undici ~6.29, tested through a real proxy), and in the
 * step's log the notice would only leave a reader wondering what went wrong. Other warnings pass.
 */
function quietly<T>(make: () => T): T {
  const emitWarning = process.emitWarning.bind(process)
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning).startsWith('EnvHttpProxyAgent is experimental')) {
      ;(emitWarning as (...args: unknown[]) => void)(warning, ...rest)
    }
  }
  try {
    return make()
  } finally {
    process.emitWarning = emitWarning
  }
}

const shared = new Connections(AGENT_OPTIONS)

/** The way to `url` for any client of another stack (Octokit's fetch): the same as send's. */
export function dispatcherFor(url: URL): Dispatcher {
  return shared.for(url)
}

/**
 * send() as a Transport. `ca` replaces the trusted certificates (tests talk to a local https
 * server with a throwaway certificate); without it, Node's own (and NODE_EXTRA_CA_CERTS).
 */
export function createTransport(ca?: string | Buffer): Transport {
  const connections =
    ca === undefined ? shared : new Connections({ ...AGENT_OPTIONS, connect: { ca } })
  return (request) => sendVia(connections, request)
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

export const send: Transport = createTransport()

async function sendVia(connections: Connections, request: HttpRequest): Promise<HttpResponse> {
  const deadline = Date.now() + request.timeoutMs
  let url = request.url
  let method = request.method
  let body = request.body
  const headers = { ...request.headers }
  for (let hop = 0; ; hop++) {
    const response = await exchange(
      connections,
      { ...request, method, url, headers, body },
      deadline
    )
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
 * One request and its answer. Settles exactly once, whatever the connection does: the answer in
 * full, or a NetworkError. The timer and the abort settle the promise themselves. undici calls
 * `onConnect` just before it writes the request to a connected socket (through a proxy: once the
 * tunnel stands), so a failure before it means the request was never sent.
 */
function exchange(
  connections: Connections,
  request: HttpRequest,
  deadline: number
): Promise<HttpResponse> {
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
    const headers: Record<string, string> = { ...request.headers }
    if (request.body !== undefined)
      headers['content-length'] = String(Buffer.byteLength(request.body))
    let connected = false
    let settled = false
    let received = 0
    let answer: { status: number; headers: IncomingHttpHeaders } | undefined
    const chunks: Buffer[] = []
    let abortRequest: ((error?: Error) => void) | undefined

    const cleanUp = (): void => {
      settled = true
      clearTimeout(timer)
      request.signal?.removeEventListener('abort', onAbort)
    }
    const fail = (error: NetworkError): void => {
      if (settled) return
      cleanUp()
      abortRequest?.(error)
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

    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abort) {
        abortRequest = abort
        // Given up while connecting: the request is dropped before a byte of it is written.
        if (settled) abort()
        else connected = true
      },
      onHeaders(statusCode, rawHeaders) {
        answer = { status: statusCode, headers: headerRecord(rawHeaders) }
        return true
      },
      onData(chunk) {
        received += chunk.length
        if (received > MAX_BODY_BYTES) {
          fail(
            new NetworkError(
              'EBODYTOOLARGE',
              `the answer from ${request.url.origin} is larger than ${MAX_BODY_BYTES} bytes`,
              false
            )
          )
          return false
        }
        chunks.push(chunk)
        return true
      },
      onComplete() {
        if (!answer) return fail(closedWithoutAnswer(request.url))
        if (settled) return
        cleanUp()
        resolve({ ...answer, body: Buffer.concat(chunks).toString('utf8'), url: request.url })
      },
      onError(error: Error & { code?: string }) {
        // After the status line, any error leaves the body short of what was announced.
        if (answer) return fail(cutOff())
        const code = networkCode(error)
        fail(
          new NetworkError(
            code,
            describeNetworkError(code, request.url, error.message),
            !connected || NOT_SENT_CODES.has(code)
          )
        )
      }
    }
    connections.for(request.url).dispatch(
      {
        origin: request.url.origin,
        path: `${request.url.pathname}${request.url.search}`,
        method: request.method,
        headers,
        body: request.body
      },
      handler
    )
  })
}

/** undici's raw header list (name, value, name, value, ...) as node:http shapes it. */
function headerRecord(raw: Buffer[] | string[] | null): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {}
  for (let i = 0; raw && i + 1 < raw.length; i += 2) {
    const name = raw[i].toString().toLowerCase()
    const value = raw[i + 1].toString()
    const before = headers[name]
    if (name === 'set-cookie') headers[name] = [...((before as string[] | undefined) ?? []), value]
    else headers[name] = before === undefined ? value : `${String(before)}, ${value}`
  }
  return headers
}

/**
 * Node's code for a failure to connect or talk (ECONNREFUSED, a certificate's code, ...), found
 * under undici's own wrapping; undici's codes for what it saw itself become ours.
 */
function networkCode(error: Error & { code?: string; cause?: unknown }): string {
  const cause = error.cause as { code?: unknown } | undefined
  if (typeof cause?.code === 'string') return cause.code
  // undici's words when the proxy answers a CONNECT with anything but 200.
  const tunnel = /^Proxy response \((\d+)\)/.exec(error.message)
  if (tunnel) return tunnel[1] === '407' ? 'EPROXYAUTH' : 'EPROXY'
  switch (error.code) {
    case undefined:
      return 'ENETWORK'
    case 'UND_ERR_SOCKET':
      return 'ECONNCLOSED'
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'ETIMEDOUT'
    default:
      return error.code
  }
}

function closedWithoutAnswer(url: URL): NetworkError {
  return new NetworkError(
    'ECONNCLOSED',
    `${url.host} closed the connection without answering`,
    false
  )
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
    case 'ECONNCLOSED':
      return closedWithoutAnswer(url).message
    case 'ECONNRESET':
      return `the connection to ${url.host} was reset`
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `the TLS certificate of ${url.host} was not accepted (${code})`
    case 'EPROXY':
    case 'EPROXYAUTH': {
      const status = /\((\d+)\)/.exec(detail)?.[1] ?? '?'
      const why =
        code === 'EPROXYAUTH'
          ? ': it asks for credentials; put them in the proxy URL (http://user:password@proxy:port)'
          : ''
      return `the proxy (HTTPS_PROXY or HTTP_PROXY) would not open a connection to ${url.host} (it answered HTTP ${status})${why}`
    }
    default:
      return `network error talking to ${url.host}: ${detail}`
  }
}
