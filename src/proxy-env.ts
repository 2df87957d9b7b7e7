/**
 * Which proxy a request goes through, read from the environment the way the runner and
 * `@actions/http-client` read it, so the step goes where every other step of the job goes:
 *
 * - `https_proxy`, then `HTTPS_PROXY`, for https (then `http_proxy`, `HTTP_PROXY`, as undici's
 *   EnvHttpProxyAgent did before); `http_proxy`, then `HTTP_PROXY`, for http;
 * - a variable set to the empty string counts as unset, so an empty `https_proxy` does not hide
 *   a set `HTTPS_PROXY` (nor an empty `no_proxy` a set `NO_PROXY`);
 * - a value without a scheme (`proxy.corp:3128`, as many runners set it) is read as `http://`, as
 *   curl and the runner read it; a value that names no http(s) proxy is an error naming the
 *   variable, never quoting it (it may hold credentials);
 * - `no_proxy`, then `NO_PROXY`: entries separated by commas (or spaces), in any letter case;
 *   `*` covers every host; `corp.example` covers it and its subdomains; `.corp.example` (or
 *   `*.corp.example`) its subdomains only; `host:port` only that port (443 or 80 when the URL
 *   names none).
 *
 * Loopback hosts are http.ts's concern (always direct), not this module's.
 */

export interface Proxy {
  /** The proxy's address, credentials included: for the connection only, never for a message. */
  url: URL
  /** The variable it was read from (`HTTPS_PROXY`, `https_proxy`, ...). */
  variable: string
  /** The proxy as messages show it: scheme, host and port, never credentials. */
  shown: string
}

/** Proxy variables that name no proxy the step can use. The message names the variable. */
export class ProxyConfigError extends Error {
  override name = 'ProxyConfigError'
}

type Env = Record<string, string | undefined>

const PROXY_VARIABLES: Record<string, string[]> = {
  'https:': ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'],
  'http:': ['http_proxy', 'HTTP_PROXY']
}
const NO_PROXY_VARIABLES = ['no_proxy', 'NO_PROXY']
const DEFAULT_PORTS: Record<string, string> = { 'https:': '443', 'http:': '80' }

/** The first of `names` set to something other than the empty string (or spaces): name, value. */
function firstSet(env: Env, names: string[]): [string, string] | undefined {
  for (const name of names) {
    const value = env[name]?.trim()
    if (value) return [name, value]
  }
  return undefined
}

/** The proxy for `url`, or undefined to connect directly. Throws ProxyConfigError. */
export function proxyFor(url: URL, env: Env = process.env): Proxy | undefined {
  const found = firstSet(env, PROXY_VARIABLES[url.protocol] ?? [])
  if (!found) return undefined
  const noProxy = firstSet(env, NO_PROXY_VARIABLES)?.[1] ?? ''
  if (bypasses(noProxy, url)) return undefined
  return readProxy(...found)
}

/** The proxy a variable names: its value as a URL, `http://` when it names no scheme. */
export function readProxy(variable: string, value: string): Proxy {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw new ProxyConfigError(
      `${variable} is not a proxy address the action can read; set it to http://host:port (with credentials: http://user:password@host:port), or unset it.`
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProxyConfigError(
      `${variable} names a ${url.protocol.slice(0, -1)} proxy; the action goes through http:// and https:// proxies only. Set it to http://host:port, or unset it.`
    )
  }
  return { url, variable, shown: `${url.protocol}//${url.host}` }
}

/** Whether NO_PROXY's value `noProxy` says to reach `url` directly. */
export function bypasses(noProxy: string, url: URL): boolean {
  const host = unbracketed(url.hostname.toLowerCase())
  const port = url.port || DEFAULT_PORTS[url.protocol]
  return noProxy
    .toLowerCase()
    .split(/[\s,]+/)
    .some((entry) => {
      if (entry === '*') return true
      const { name, entryPort } = splitEntry(entry)
      if (name === '' || (entryPort !== undefined && entryPort !== port)) return false
      // `.corp.example` and `*.corp.example`: subdomains only; `corp.example`: itself as well.
      const domain = name.replace(/^\*?\./, '')
      return host.endsWith(`.${domain}`) || (domain === name && host === name)
    })
}

function unbracketed(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1')
}

/** `host:port` → host and port; an IPv6 address (`[::1]:8080`, `fd00::1`) keeps its colons. */
function splitEntry(entry: string): { name: string; entryPort?: string } {
  const bracketed = /^(\[[^\]]*\])(?::(\d+))?$/.exec(entry)
  if (bracketed) return { name: unbracketed(bracketed[1]), entryPort: bracketed[2] }
  const withPort = /^([^:]*):(\d+)$/.exec(entry)
  if (withPort) return { name: withPort[1], entryPort: withPort[2] }
  return { name: entry }
}
