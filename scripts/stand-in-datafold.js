#!/usr/bin/env node
/**
 * A stand-in for Datafold's CI API on a real local socket, for the demo, the end-to-end and fault
 * tests, and the project's own workflow. It speaks the two endpoints of openapi/ (trigger, list runs),
 * checks the API key and the trigger body like Datafold does, records every request, and can be told
 * to misbehave: HTTP errors, resets, hung connections, HTML pages, redirects, runs that appear late.
 *
 * As a library: `const server = await startStandIn(scenario)`; `server.url`, `server.requests`,
 * `await server.close()`.
 * As a command: `node scripts/stand-in-datafold.js [--port N] [--preset NAME | --scenario FILE]`
 * prints `listening on http://127.0.0.1:PORT` and serves until stopped.
 */
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/**
 * @typedef {object} Fault One misbehaving answer, used once, in order, for one endpoint.
 * @property {number} [status] answer this HTTP status (with `body`, or a JSON detail)
 * @property {string} [body]
 * @property {Record<string, string>} [headers]
 * @property {'reset'|'close'|'cut'|'hang'|'html'|'not-json'|'bad-shape'|'echo'|'redirect'|'ok'} [kind]
 *   reset: reset the connection (RST); close: close it without answering (FIN); cut: a 200 whose
 *   body stops half way, then a clean close (what a crashing proxy leaves); hang: never answer; html: a 502 error page from a proxy; not-json:
 *   200 with text; bad-shape: 200 with a run lacking status; echo: 500 echoing the request headers;
 *   redirect: 307 to `location`; ok: no fault this time.
 * @property {string} [location] for kind redirect
 * @property {number} [pad] for kind echo: the Authorization header as text after this many characters
 * @property {boolean} [process] for trigger faults: create the run anyway (the fault came after it)
 *
 * @typedef {object} Scenario
 * @property {string} [apiKey] the key Datafold accepts (default "demo-key")
 * @property {number} [ciConfigId] the one CI config that exists (default 42)
 * @property {string[]} [statuses] statuses a triggered run reports, one per status check after the
 *   trigger; the last repeats (default queued, processing, done)
 * @property {boolean} [nullIds] the trigger answers null ids (the run is still created unless noRun)
 * @property {boolean} [noRun] the trigger creates no run (Datafold skipped the commit)
 * @property {number} [appearAfter] the created run is missing from this many lists after the trigger
 * @property {number[]} [missingAt] status checks (1-based, after the trigger) whose list omits the run
 * @property {{id: number, status: string, pr_num?: string}[]} [existingRuns] runs already listed for
 *   any commit before the trigger
 * @property {number} [firstRunId] id of the first run the trigger creates (default 1000)
 * @property {{trigger?: (Fault|null)[], runs?: (Fault|null)[]}} [faults]
 */

export const PRESETS = {
  success: { statuses: ['queued', 'processing', 'processing', 'done'] },
  failure: { statuses: ['queued', 'processing', 'failed'] },
  cancelled: { statuses: ['queued', 'cancelled'] },
  skipped: { nullIds: true, noRun: true },
  flaky: {
    statuses: ['queued', 'processing', 'done'],
    faults: {
      trigger: [{ status: 503, headers: { 'Retry-After': '1' } }],
      runs: [null, { kind: 'html' }, { status: 502 }]
    }
  }
}

/**
 * @param {Scenario} scenario
 * @param {{port?: number, host?: string}} [listen]
 */
export async function startStandIn(scenario = {}, listen = {}) {
  const apiKey = scenario.apiKey ?? 'demo-key'
  const ciConfigId = scenario.ciConfigId ?? 42
  const statuses = scenario.statuses ?? ['queued', 'processing', 'done']
  /** @type {{id: number, status: string, pr_num: string, pr_sha: string, pr_branch: string, base_branch: string, base_sha: string, source: string, created: boolean}[]} */
  const runs = (scenario.existingRuns ?? []).map((r) => ({
    pr_sha: '*',
    pr_branch: 'old',
    base_branch: 'main',
    base_sha: '0'.repeat(40),
    pr_num: '0',
    source: 'api',
    created: false,
    ...r
  }))
  let nextId = scenario.firstRunId ?? 1000
  const faults = {
    trigger: [...(scenario.faults?.trigger ?? [])],
    runs: [...(scenario.faults?.runs ?? [])]
  }
  /** @type {{at: number, method: string, path: string, query: Record<string, string>, headers: import('node:http').IncomingHttpHeaders, body: unknown, rawBody: string}[]} */
  const requests = []
  const sockets = new Set()
  let checksAfterTrigger = 0
  let triggered = false

  const server = createServer(async (req, res) => {
    const chunks = []
    for await (const chunk of req) chunks.push(chunk)
    const rawBody = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://stand-in')
    let body
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined
    } catch {
      body = undefined
    }
    requests.push({
      at: Date.now(),
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
      rawBody
    })

    const json = (status, value, headers = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      res.end(JSON.stringify(value))
    }
    const match = /^\/api\/v1\/ci\/([^/]+)\/(trigger|runs)$/.exec(url.pathname)
    if (!match) return json(404, { detail: 'Not Found' })
    const [, idText, endpoint] = match
    if (
      (endpoint === 'trigger' && req.method !== 'POST') ||
      (endpoint === 'runs' && req.method !== 'GET')
    ) {
      return json(405, { detail: 'Method Not Allowed' })
    }

    const fault = faults[endpoint].shift()
    if (fault && fault.kind !== 'ok') {
      if (endpoint === 'trigger' && fault.process) createRun(body)
      return misbehave(fault, req, res)
    }

    if (req.headers.authorization !== `Key ${apiKey}`)
      return json(401, { detail: 'Invalid API key' })
    if (String(ciConfigId) !== idText) return json(404, { detail: 'CI config not found' })

    if (endpoint === 'trigger') {
      const problems = validateTrigger(body)
      if (problems.length > 0) return json(422, { detail: problems })
      const run = scenario.noRun ? undefined : createRun(body)
      return json(
        200,
        scenario.nullIds || !run
          ? { ci_run_id: null, run_id: null }
          : { ci_run_id: run.id, run_id: run.id + 5000 }
      )
    }

    const prSha = url.searchParams.get('pr_sha')
    const limit = Number(url.searchParams.get('limit') ?? 100)
    const offset = Number(url.searchParams.get('offset') ?? 0)
    if (!Number.isInteger(limit) || !Number.isInteger(offset)) {
      return json(422, {
        detail: [
          {
            loc: ['query', 'limit'],
            msg: 'value is not a valid integer',
            type: 'type_error.integer'
          }
        ]
      })
    }
    if (triggered && offset === 0) checksAfterTrigger++
    const hidden = (run) =>
      run.created &&
      (checksAfterTrigger <= (scenario.appearAfter ?? 0) ||
        (scenario.missingAt ?? []).includes(checksAfterTrigger))
    const listed = runs
      .filter((run) => !prSha || run.pr_sha === prSha || run.pr_sha === '*')
      .filter((run) => !hidden(run))
      .map((run) => ({
        ...run,
        pr_sha: run.pr_sha === '*' ? prSha : run.pr_sha,
        status: statusOf(run)
      }))
      .sort((a, b) => b.id - a.id)
      .map(({ created: _created, ...run }) => run)
    return json(200, listed.slice(offset, offset + limit))
  })

  function createRun(body) {
    triggered = true
    checksAfterTrigger = 0
    const run = {
      id: nextId++,
      status: statuses[0],
      pr_num: String(body?.pr_number ?? ''),
      pr_sha: body?.pr_sha ?? '',
      pr_branch: body?.pr_branch ?? '',
      base_branch: body?.base_branch ?? '',
      base_sha: body?.base_sha ?? '',
      source: 'api',
      created: true
    }
    runs.push(run)
    return run
  }

  function statusOf(run) {
    if (!run.created) return run.status
    return statuses[Math.min(Math.max(checksAfterTrigger - 1, 0), statuses.length - 1)]
  }

  function misbehave(fault, req, res) {
    switch (fault.kind) {
      case 'reset':
        req.socket.resetAndDestroy()
        return
      case 'close':
        req.socket.destroy()
        return
      case 'cut': {
        const socket = req.socket
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"ci_run_id": 10',
          () => socket.end()
        )
        return
      }
      case 'hang':
        return // the client's own time limit has to end this
      case 'html':
        res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html' })
        res.end(
          '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>'
        )
        return
      case 'not-json':
        res.writeHead(200, { 'Content-Type': 'text/plain' })
        res.end('Service temporarily in maintenance mode')
        return
      case 'bad-shape':
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify([{ id: 1, pr_sha: 'x' }]))
        return
      case 'echo':
        res.writeHead(fault.status ?? 500, { 'Content-Type': 'application/json' })
        res.end(
          fault.pad
            ? `${'x'.repeat(fault.pad)} Authorization: ${req.headers.authorization} (request echoed)`
            : JSON.stringify({ error: 'internal', request_headers: req.headers })
        )
        return
      case 'redirect':
        res.writeHead(fault.status ?? 307, { Location: fault.location ?? '/' })
        res.end()
        return
      default:
        res.writeHead(fault.status ?? 500, {
          'Content-Type': 'application/json',
          ...(fault.headers ?? {})
        })
        res.end(fault.body ?? JSON.stringify({ detail: 'Simulated failure' }))
    }
  }

  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve) =>
    server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', resolve)
  )
  const address = /** @type {import('node:net').AddressInfo} */ (server.address())
  return {
    url: `http://${listen.host ?? '127.0.0.1'}:${address.port}`,
    port: address.port,
    requests,
    runs,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve(undefined))
      })
  }
}

/** The checks FastAPI makes on `APIPrDetails`, with Datafold's 422 shape. */
function validateTrigger(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [{ loc: ['body'], msg: 'field required', type: 'value_error.missing' }]
  }
  const problems = []
  for (const field of ['pr_number', 'pr_branch', 'base_branch', 'pr_sha', 'base_sha']) {
    if (!(field in body))
      problems.push({ loc: ['body', field], msg: 'field required', type: 'value_error.missing' })
  }
  if ('pr_number' in body && !Number.isInteger(body.pr_number)) {
    problems.push({
      loc: ['body', 'pr_number'],
      msg: 'value is not a valid integer',
      type: 'type_error.integer'
    })
  }
  for (const field of ['pr_branch', 'base_branch', 'pr_sha', 'base_sha']) {
    if (field in body && typeof body[field] !== 'string') {
      problems.push({ loc: ['body', field], msg: 'str type expected', type: 'type_error.str' })
    }
  }
  return problems
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const option = (name) => {
    const index = args.indexOf(`--${name}`)
    return index >= 0 ? args[index + 1] : undefined
  }
  const preset = option('preset')
  const file = option('scenario')
  if (preset && !(preset in PRESETS)) {
    console.error(`Unknown preset ${preset}; choose one of ${Object.keys(PRESETS).join(', ')}.`)
    process.exit(2)
  }
  const scenario = file ? JSON.parse(readFileSync(file, 'utf8')) : PRESETS[preset ?? 'success']
  const server = await startStandIn(scenario, { port: Number(option('port') ?? 0) })
  console.log(`listening on ${server.url}`)
  const stop = () => server.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
