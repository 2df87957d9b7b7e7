/**
 * The bundled action (dist/index.js) run as a child process behind a real HTTP proxy (the npm
 * package `proxy`, which tunnels CONNECT), with HTTP_PROXY and HTTPS_PROXY set and NO_PROXY not
 * listing loopback, on Node 20 and on Node 24 (the runtime action.yml declares):
 *
 * - a loopback datafold-host (plain http, allowed only because the key never crosses a network) is
 *   reached directly: the proxy sees no request and none of the key;
 * - a non-loopback https host is reached through the proxy: the host names used here resolve only
 *   through it (the proxy routes their CONNECT to local TLS fronts of the stand-ins), so a run that
 *   succeeds went through it;
 * - the GitHub API (a push event's lookup) follows the same rules.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'
import { createProxy } from 'proxy'
import { commands, runAction, type ActionResult } from '../__fixtures__/run-action.js'
import { selfSignedCert } from '../__fixtures__/self-signed.js'

const standInPath = '../scripts/stand-in-datafold.js'
const { startStandIn } = (await import(
  standInPath
)) as typeof import('../scripts/stand-in-datafold.js')
type StandIn = Awaited<ReturnType<typeof startStandIn>>

const KEY = 'proxyTestKey0123456789abcdefXYZ'
const TOKEN = 'ghs_proxyTestT0ken000000000000000000000'
const PUSHED = '6113728f27ae82c7b1a177c8d03f9e96e0adf246'
const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'
// Reserved for testing (RFC 2606): resolvable nowhere but through the proxy below.
const DATAFOLD_NAME = 'datafold.proxy.test'
const GITHUB_NAME = 'api.github.proxy.test'

// The action runs on the Node that runs jest: Node 24, the runtime action.yml declares and the only
// one the project supports (.ci/run puts it first on PATH). Proxies are Node-specific: Node 24 has
// its own proxyEnv support, which must not send a request around undici's proxy rules.
const nodes: [string, string][] = [[`Node ${process.versions.node}`, process.execPath]]

// A throwaway certificate for both names, trusted by the action through NODE_EXTRA_CA_CERTS.
const certificate = selfSignedCert(DATAFOLD_NAME, [`DNS:${DATAFOLD_NAME}`, `DNS:${GITHUB_NAME}`])
const CERT_FILE = certificate.certFile
const tlsOptions = { key: certificate.key, cert: certificate.cert }

interface ProxySeen {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

/**
 * The proxy, with what it saw: each request line (CONNECT or a plain proxied request) and every
 * byte clients sent it. CONNECTs to `routes` go to the local port named there instead.
 */
async function startProxy(routes: Record<string, number>, { deny = false } = {}) {
  const seen: ProxySeen[] = []
  let bytes = ''
  const server = createProxy(createServer())
  server.authenticate = (req) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    const port = routes[req.url ?? '']
    if (req.method === 'CONNECT' && port) req.url = `127.0.0.1:${port}`
    // Denied: the package answers 407 and asks for credentials.
    return !deny
  }
  server.on('connection', (socket: Socket) => {
    socket.on('data', (chunk: Buffer) => (bytes += chunk.toString('latin1')))
  })
  const url = await listen(server)
  return {
    url,
    seen,
    bytes: () => bytes,
    close: () => close(server)
  }
}

/** TLS in front of a local http server: what a CONNECT to one of the test names reaches. */
async function tlsFront(port: number): Promise<{ port: number; close: () => Promise<void> }> {
  const server = createTlsServer(tlsOptions, (socket) => {
    const upstream = connect(port, '127.0.0.1')
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
    socket.pipe(upstream).pipe(socket)
  })
  const url = await listen(server)
  return { port: Number(new URL(url).port), close: () => close(server) }
}

/** A GitHub API that answers the push lookup with one open pull request. */
async function fakeGitHub() {
  const requests: { url: string; headers: IncomingHttpHeaders }[] = []
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers })
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
    res.end(
      JSON.stringify([
        {
          number: 5,
          state: 'open',
          head: { ref: 'master', sha: PUSHED },
          base: { ref: 'release', sha: BASE_SHA }
        }
      ])
    )
  })
  const url = await listen(server)
  return { port: Number(new URL(url).port), requests, close: () => close(server) }
}

async function listen(server: Server | TlsServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

function close(server: Server | TlsServer): Promise<void> {
  if ('closeAllConnections' in server) server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

const cleanUps: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanUps.splice(0).map((cleanUp) => cleanUp()))
})
afterAll(() => certificate.remove())

/** The proxy variables as a runner behind a proxy sets them; NO_PROXY does not name loopback. */
function proxyEnv(proxyUrl: string): Record<string, string> {
  return {
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: 'internal.example.com',
    NODE_EXTRA_CA_CERTS: CERT_FILE
  }
}

function inputs(host: string): Record<string, string> {
  // Polls faster than once a second are refused for any host but loopback.
  const remote = !new URL(host).hostname.endsWith('.test') ? {} : { 'poll-interval': '1' }
  return {
    'api-key': KEY,
    'ci-config-id': '42',
    'datafold-host': host,
    'github-token': TOKEN,
    'poll-interval': '0.05',
    'max-poll-interval': '1',
    ...remote,
    'wait-timeout-minutes': '0.5'
  }
}

async function world({ deny = false } = {}) {
  const standIn: StandIn = await startStandIn({ apiKey: KEY, statuses: ['processing', 'done'] })
  const github = await fakeGitHub()
  const datafoldFront = await tlsFront(standIn.port)
  const githubFront = await tlsFront(github.port)
  const proxy = await startProxy(
    {
      [`${DATAFOLD_NAME}:443`]: datafoldFront.port,
      [`${GITHUB_NAME}:443`]: githubFront.port
    },
    { deny }
  )
  cleanUps.push(
    () => standIn.close(),
    github.close,
    datafoldFront.close,
    githubFront.close,
    proxy.close
  )
  return { standIn, github, proxy }
}

function expectSuccess(result: ActionResult): void {
  expect({ code: result.code, verdict: result.outputs.verdict }).toEqual({
    code: 0,
    verdict: 'success'
  })
  // Nothing in the log about the proxy machinery (undici's "experimental" notice).
  expect(result.stderr).toBe('')
}

describe.each(nodes)('behind an HTTP proxy, on %s', (_name, node) => {
  it.each(['127.0.0.1', 'localhost'])(
    'reaches a loopback datafold-host (%s) directly: the proxy sees no request and no key',
    async (host) => {
      const { standIn, proxy } = await world()
      const result = await runAction({
        node,
        inputs: inputs(`http://${host}:${standIn.port}`),
        env: proxyEnv(proxy.url)
      })
      expectSuccess(result)
      expect(standIn.requests.map((r) => `${r.method} ${r.path}`)).toContain(
        'POST /api/v1/ci/42/trigger'
      )
      expect(proxy.seen).toEqual([])
      expect(proxy.bytes()).toBe('')
    }
  )

  it('reaches a non-loopback https datafold-host through the proxy, the key only inside TLS', async () => {
    const { standIn, proxy } = await world()
    const result = await runAction({
      node,
      inputs: inputs(`https://${DATAFOLD_NAME}`),
      env: proxyEnv(proxy.url)
    })
    expectSuccess(result)
    const trigger = standIn.requests.find((r) => r.path === '/api/v1/ci/42/trigger')
    expect(trigger?.headers.authorization).toBe(`Key ${KEY}`)
    expect(new Set(proxy.seen.map((r) => `${r.method} ${r.url}`))).toEqual(
      new Set([`CONNECT ${DATAFOLD_NAME}:443`])
    )
    expect(proxy.bytes()).not.toContain(KEY)
  })

  it('stops at once, saying why, when the proxy asks for credentials', async () => {
    const { standIn, proxy } = await world({ deny: true })
    const result = await runAction({
      node,
      inputs: inputs(`https://${DATAFOLD_NAME}`),
      env: proxyEnv(proxy.url)
    })
    expect(result.code).toBe(1)
    expect(commands(result.stdout, 'error').join('\n')).toContain(
      `Could not reach Datafold at https://${DATAFOLD_NAME}: the proxy ${proxy.url} (https_proxy) would not open a connection to ${DATAFOLD_NAME} (it answered HTTP 407): it asks for credentials`
    )
    expect(standIn.requests).toEqual([])
    expect(proxy.seen.map((r) => `${r.method} ${r.url}`)).toEqual([`CONNECT ${DATAFOLD_NAME}:443`])
    expect(proxy.bytes()).not.toContain(KEY)
  })

  it('goes through HTTPS_PROXY given without a scheme (host:port), as runners often set it', async () => {
    const { standIn, proxy } = await world()
    const result = await runAction({
      node,
      inputs: inputs(`https://${DATAFOLD_NAME}`),
      env: { HTTPS_PROXY: proxy.url.replace('http://', ''), NODE_EXTRA_CA_CERTS: CERT_FILE }
    })
    expectSuccess(result)
    expect(standIn.requests.map((r) => r.path)).toContain('/api/v1/ci/42/trigger')
    expect(new Set(proxy.seen.map((r) => `${r.method} ${r.url}`))).toEqual(
      new Set([`CONNECT ${DATAFOLD_NAME}:443`])
    )
  })

  it('stops at once, naming the proxy and its answer, when the proxy refuses the tunnel (403)', async () => {
    const connects: string[] = []
    const refusing = createServer()
    refusing.on('connect', (req, socket: Socket) => {
      connects.push(req.url ?? '')
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n')
    })
    const url = await listen(refusing)
    cleanUps.push(() => close(refusing))
    const result = await runAction({
      node,
      inputs: inputs(`https://${DATAFOLD_NAME}`),
      env: { HTTPS_PROXY: url.replace('http://', 'http://user:s3cret@') }
    })
    expect(result.code).toBe(1)
    expect(result.outputs.verdict).not.toBe('timed_out')
    expect(commands(result.stdout, 'error').join('\n')).toContain(
      `Could not reach Datafold at https://${DATAFOLD_NAME}: the proxy ${url} (HTTPS_PROXY) would not open a connection to ${DATAFOLD_NAME} (it answered HTTP 403)`
    )
    expect(result.stdout).not.toContain('s3cret')
    // Not retried: one CONNECT, no warning about a retry.
    expect(connects).toEqual([`${DATAFOLD_NAME}:443`])
    expect(commands(result.stdout, 'warning').join('\n')).not.toContain('Retrying')
  })

  it('looks up a push through a non-loopback GitHub API via the proxy, Datafold on loopback directly', async () => {
    const { standIn, github, proxy } = await world()
    const result = await runAction({
      node,
      eventName: 'push',
      eventFile: 'push.created-branch.json',
      inputs: inputs(`http://127.0.0.1:${standIn.port}`),
      env: { ...proxyEnv(proxy.url), GITHUB_API_URL: `https://${GITHUB_NAME}/api/v3` }
    })
    expectSuccess(result)
    expect(github.requests.map((r) => r.url)).toEqual([
      `/api/v3/repos/Codertocat/Hello-World/commits/${PUSHED}/pulls?per_page=100`
    ])
    expect(github.requests[0].headers.authorization).toBe(`token ${TOKEN}`)
    expect(new Set(proxy.seen.map((r) => `${r.method} ${r.url}`))).toEqual(
      new Set([`CONNECT ${GITHUB_NAME}:443`])
    )
    expect(proxy.bytes()).not.toContain(TOKEN)
    expect(proxy.bytes()).not.toContain(KEY)
  })

  it('looks up a push through a loopback GitHub API directly', async () => {
    const { standIn, github, proxy } = await world()
    const result = await runAction({
      node,
      eventName: 'push',
      eventFile: 'push.created-branch.json',
      inputs: inputs(`http://127.0.0.1:${standIn.port}`),
      env: { ...proxyEnv(proxy.url), GITHUB_API_URL: `http://localhost:${github.port}/api/v3` }
    })
    expectSuccess(result)
    expect(github.requests).toHaveLength(1)
    expect(proxy.seen).toEqual([])
    expect(proxy.bytes()).toBe('')
  })
})
