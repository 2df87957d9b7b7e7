/**
 * One HTTP exchange: a time limit for the whole exchange, redirects that never carry credentials to
 * another origin, a cap on the body size, and the same proxy rules for every host the action talks
 * to (Datafold and the GitHub API). No retries and no meaning of status codes here; those belong to
 * the caller.
 *
 * Requests go through undici (already in the bundle through the toolkit) rather than node:http:
 * its ProxyAgent tunnels through the proxy that proxy-env.ts reads from HTTP(S)_PROXY and NO_PROXY
 * (by the runner's rules) on every Node the action runs on, where node:http honours the variables
 * only from Node 24.5 and by rules of its own.
 */
import type { IncomingHttpHeaders } from 'node:http'
import { Agent, ProxyAgent, type Dispatcher } from 'undici'
import { proxyFor, ProxyConfigError, type Proxy } from './proxy-env.js'

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

/** How to reach a host: the dispatcher, and the proxy on the way (none: directly). */
interface Route {
  dispatcher: Dispatcher
  proxy?: Proxy
}

/**
 * How to reach a host. A loopback host is always reached directly, whatever the proxy variables
 * say: plain http is allowed only for loopback, on the premise that the key never crosses a
 * network, and a proxy is a network hop. Every other host goes through the proxy proxy-env.ts
 * reads for it, or directly when there is none.
 */
class Connections {
  private direct: Agent | undefined
  /** One agent per proxy address (the variables change between tests, never in a run). */
  private readonly proxied = new Map<string, ProxyAgent>()
  constructor(
    private readonly options: Agent.Options,
    /** Trusted certificates for the hosts themselves (tests); undefined: Node's own. */
    private readonly ca?: string | Buffer
  ) {}

  /** The route to `url`; a NetworkError (EPROXYCONFIG) when a proxy variable names no proxy. */
  for(url: URL): Route {
    let proxy: Proxy | undefined
    try {
      proxy = isLoopbackHost(url.hostname) ? undefined : proxyFor(url)
    } catch (error) {
      if (!(error instanceof ProxyConfigError)) throw error
      throw new NetworkError('EPROXYCONFIG', error.message, true)
    }
    const tls = this.ca === undefined ? undefined : { ca: this.ca }
    if (!proxy)
      return { dispatcher: (this.direct ??= new Agent({ ...this.options, connect: tls })) }
    let agent = this.proxied.get(proxy.url.href)
    if (!agent) {
      agent = new ProxyAgent({ ...this.options, uri: proxy.url.href, requestTls: tls })
      this.proxied.set(proxy.url.href, agent)
    }
    return { dispatcher: agent, proxy }
  }
}

const shared = new Connections(AGENT_OPTIONS)

/** The way to `url` for any client of another stack (Octokit's fetch): the same as send's. */
export function dispatcherFor(url: URL): Dispatcher {
  return shared.for(url).dispatcher
}

/**
 * send() as a Transport. `ca` replaces the trusted certificates (tests talk to a local https
 * server with a throwaway certificate); without it, Node's own (and NODE_EXTRA_CA_CERTS).
 */
export function createTransport(ca?: string | Buffer): Transport {
  const connections = ca === undefined ? shared : new Connections(AGENT_OPTIONS, ca)
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
    let route: Route
    try {
      route = connections.for(request.url)
    } catch (error) {
      // connections.for throws NetworkErrors only (EPROXYCONFIG); anything else is a bug, passed on.
      reject(error instanceof Error ? error : new Error(String(error)))
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
            describeNetworkError(code, request.url, error.message, route.proxy),
            !connected || NOT_SENT_CODES.has(code)
          )
        )
      }
    }
    route.dispatcher.dispatch(
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
  // undici's words when the proxy answers a CONNECT with anything but 200: a 407 wants
  // credentials, another 4xx is the proxy's refusal (both permanent, retry.ts), a 5xx a proxy that
  // could not reach the host this time.
  const tunnel = /^Proxy response \((\d+)\)/.exec(error.message)
  if (tunnel)
    return tunnel[1] === '407'
      ? 'EPROXYAUTH'
      : Number(tunnel[1]) < 500
        ? 'EPROXY'
        : 'EPROXYUPSTREAM'
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

function describeNetworkError(code: string, url: URL, detail: string, proxy?: Proxy): string {
  // Through a proxy the socket is the proxy's: a failure to connect is about the proxy, never the
  // host (the proxy reaches that itself and answers the CONNECT with a status).
  if (proxy && NOT_SENT_CODES.has(code)) return `${proxyFailure(code, proxy)} (${code})`
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
    case 'EPROXYAUTH':
    case 'EPROXYUPSTREAM': {
      const status = /\((\d+)\)/.exec(detail)?.[1] ?? '?'
      const why =
        code === 'EPROXYAUTH'
          ? ': it asks for credentials; put them in the proxy URL (http://user:password@proxy:port)'
          : ''
      return `the proxy ${proxy ? `${proxy.shown} (${proxy.variable})` : '(HTTPS_PROXY or HTTP_PROXY)'} would not open a connection to ${url.host} (it answered HTTP ${status})${why}`
    }
    default:
      return `network error talking to ${url.host}: ${detail}`
  }
}

/** A connection to the proxy that failed, naming the proxy and its variable, never credentials. */
function proxyFailure(code: string, { shown, variable }: Proxy): string {
  switch (code) {
    case 'ECONNREFUSED':
      return `the proxy ${shown} (${variable}) refused the connection`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name of the proxy ${shown} (${variable}) could not be resolved`
    default:
      return `the proxy ${shown} (${variable}) could not be reached`
  }
}
