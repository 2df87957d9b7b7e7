#!/usr/bin/env node
/**
 * A stand-in for Datafold's API on a real local socket, for the demo, the end-to-end and fault
 * tests, and the project's own workflow. It speaks the four endpoints of openapi/ (trigger, upload
 * table pairs, list runs, list data diffs), checks the API key and the request bodies like Datafold
 * does, models an API integration (a run waits for its table pairs, then runs), records every
 * request, and can be told to misbehave: HTTP errors, resets, hung connections, HTML pages,
 * redirects, runs that appear late, data diffs still running, a data diff list that ignores the
 * ci_run_id filter.
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
 * @property {DiffSpec[]} [dataDiffs] the data diffs each run a trigger creates has (default none)
 * @property {number} [otherDiffs] data diffs of other runs in the list too (default 0): a third of
 *   newer runs, a third of older runs, a third outside CI (ci_run_id null), ids interleaved
 * @property {boolean} [ignoreFilter] the data diff list ignores ci_run_id (the spec does not declare
 *   it) and lists every data diff; paging and sorting still work
 * @property {boolean} [apiIntegration] the CI config is an API integration: a run stays `waiting`
 *   until its table pairs are uploaded (POST /api/v1/ci/{id}/{pr_num}), then reports `statuses`
 *   one per status check after the upload; it has one data diff per pair (`dataDiffs` give their
 *   results, in order), the pair's `pr` as its table
 * @property {{pr_number: number, pr_branch: string, base_branch: string, pr_sha: string, base_sha: string}} [startedEarlier]
 *   a run already started for this pull request (by an earlier step or by Datafold itself), as if
 *   triggered with this body before the action ran
 * @property {Webhook} [webhook] Datafold's repository integration got GitHub's pull request webhook
 *   before the step started, and started the commit's run on its own
 * @property {boolean} [ignoreShaFilter] the list of runs ignores pr_sha and lists every run (the
 *   runs of other commits among them)
 * @property {{trigger?: (Fault|null)[], upload?: (Fault|null)[], runs?: (Fault|null)[], datadiffs?: (Fault|null)[]}} [faults]
 *   for upload faults, `process` attaches the pairs anyway (the fault came after it)
 *
 * @typedef {object} Webhook The run Datafold starts on its own for the pull request's head commit.
 * @property {{pr_number: number, pr_branch: string, base_branch: string, pr_sha: string, base_sha: string}} pr
 * @property {'waiting'|'processing'|'done'} state what it reports at the first status check; from
 *   there it goes on one status per check (waiting, processing, done), except that an API
 *   integration's run stays waiting until its table pairs come
 * @property {number} [appearAfter] lists of runs that do not show it yet (default 0)
 *
 * @typedef {object} DiffSpec One data diff of a created run.
 * @property {string|null} [table] `table2` as a dotted path (default analytics.pr.table_<id>); null
 *   for a diff of two queries
 * @property {'identical'|'different'|'empty'|'error'|'bad-pks'|'missing-pks'|null} [result]
 *   (default identical)
 * @property {number|null} [rowsAdded]
 * @property {number|null} [rowsRemoved]
 * @property {number|null} [rowsChanged] `diff_rows_count`
 * @property {number|null} [matchRatio]
 * @property {string[]|null} [affectedColumns] `affected_columns`: the columns whose values differ
 * @property {string} [status] its status once it has its result (default done)
 * @property {number} [runningFor] lists of data diffs (after the trigger) that still show it
 *   processing, without a result (default 0)
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
      runs: [null, { kind: 'html' }, { status: 502 }],
      datadiffs: [{ status: 503 }]
    }
  }
}

/** The statuses of a run Datafold started on its own, in order (scenario `webhook`). */
const WEBHOOK_STATES = ['waiting', 'processing', 'done']

/** The data diffs of a run that changed two tables (the demo's `changed` and `fail-on-changes`). */
const CHANGED_TABLES = [
  {
    table: 'analytics.pr_2.orders',
    result: 'different',
    rowsAdded: 12,
    rowsRemoved: 3,
    rowsChanged: 340,
    matchRatio: 0.9821
  },
  {
    table: 'analytics.pr_2.customers',
    result: 'different',
    rowsAdded: 0,
    rowsRemoved: 0,
    rowsChanged: 5,
    matchRatio: 0.9995
  },
  {
    table: 'analytics.pr_2.payments',
    result: 'identical',
    rowsAdded: 0,
    rowsRemoved: 0,
    rowsChanged: 0,
    matchRatio: 1
  },
  { table: 'analytics.pr_2.refunds', result: 'empty', rowsAdded: 0, rowsRemoved: 0, rowsChanged: 0 }
]
PRESETS.success.dataDiffs = [
  { table: 'analytics.pr_2.orders', result: 'identical', rowsChanged: 0, matchRatio: 1 },
  { table: 'analytics.pr_2.customers', result: 'identical', rowsChanged: 0, matchRatio: 1 }
]
PRESETS.flaky.dataDiffs = PRESETS.success.dataDiffs
PRESETS.changed = { statuses: ['queued', 'processing', 'done'], dataDiffs: CHANGED_TABLES }
PRESETS['fail-on-changes'] = PRESETS.changed
/**
 * A dbt Core run of the shop project in __fixtures__/dbt/shop (Snowflake): tables named the way
 * Snowflake lists them, in upper case, except the one dbt quotes ("Customers"). With the input
 * dbt-manifest, the demo's and the e2e tests' `annotations` preset: changed models, an unchanged
 * one, a seed that could not be compared, a snapshot, and two tables no model builds (CUSTOMERS is
 * not the quoted "Customers").
 */
PRESETS.annotations = {
  statuses: ['queued', 'processing', 'done'],
  dataDiffs: [
    {
      table: 'ANALYTICS.DBT_PR_2.ORDERS',
      result: 'different',
      rowsAdded: 12,
      rowsRemoved: 3,
      rowsChanged: 340,
      matchRatio: 0.9821,
      affectedColumns: ['AMOUNT', 'STATUS']
    },
    {
      table: 'ANALYTICS.DBT_PR_2.Customers',
      result: 'different',
      rowsAdded: 0,
      rowsRemoved: 0,
      rowsChanged: 5,
      matchRatio: 0.9995,
      affectedColumns: ['FIRST_ORDER']
    },
    {
      table: 'ANALYTICS.DBT_PR_2.PAYMENTS',
      result: 'identical',
      rowsAdded: 0,
      rowsRemoved: 0,
      rowsChanged: 0,
      matchRatio: 1
    },
    {
      table: 'ANALYTICS.SNAPSHOTS.ORDERS_SNAPSHOT',
      result: 'different',
      rowsAdded: 1,
      rowsRemoved: 0,
      rowsChanged: 0,
      matchRatio: 0.999,
      affectedColumns: []
    },
    { table: 'ANALYTICS.DBT_PR_2.COUNTRY_CODES', result: 'missing-pks' },
    {
      table: 'ANALYTICS.DBT_PR_2.CUSTOMERS',
      result: 'different',
      rowsAdded: 0,
      rowsRemoved: 0,
      rowsChanged: 7,
      matchRatio: 0.9993
    },
    {
      table: 'ANALYTICS.DBT_PR_2.LEGACY_ORDERS',
      result: 'different',
      rowsAdded: 0,
      rowsRemoved: 40,
      rowsChanged: 0,
      matchRatio: 0.96
    }
  ]
}
/** More changed models than GitHub shows annotations for: 13, the largest change first. */
PRESETS['annotations-many'] = {
  statuses: ['queued', 'processing', 'done'],
  dataDiffs: [
    'DAILY_REVENUE',
    'WEEKLY_REVENUE',
    'MONTHLY_REVENUE',
    'REVENUE_BY_REGION',
    'REVENUE_BY_CHANNEL',
    'REFUNDS',
    'REFUND_RATE',
    'GROSS_MARGIN',
    'NET_REVENUE',
    'REVENUE_PER_CUSTOMER',
    'ORDERS',
    'Customers',
    'PAYMENTS'
  ].map((name, i) => ({
    table: `ANALYTICS.DBT_PR_2.${name}`,
    result: 'different',
    rowsAdded: 0,
    rowsRemoved: 0,
    rowsChanged: (i + 1) * 10,
    matchRatio: 0.9
  }))
}
/** An API integration: the run waits for the table pairs the demo uploads, then diffs them. */
PRESETS.api = {
  apiIntegration: true,
  statuses: ['processing', 'processing', 'done'],
  dataDiffs: [
    { result: 'different', rowsAdded: 2, rowsRemoved: 0, rowsChanged: 14, matchRatio: 0.986 },
    { result: 'identical', rowsAdded: 0, rowsRemoved: 0, rowsChanged: 0, matchRatio: 1 }
  ]
}

/**
 * One `ApiDataDiffFull` as Datafold lists it, with every field its schema requires and those a CI
 * diff carries. A diff without a result is still processing and has no statistics.
 * @param {DiffSpec & {id: number, ciRunId: number|null, running?: boolean}} spec
 */
export function apiDataDiff(spec) {
  const running = spec.running ?? false
  const result = running ? null : spec.result === undefined ? 'identical' : spec.result
  const table2 = spec.table === undefined ? `analytics.pr.table_${spec.id}` : spec.table
  const path = table2 === null ? null : table2.split('.')
  const ci = spec.ciRunId !== null
  return {
    id: spec.id,
    kind: 'in_db',
    algorithm: 'join',
    data_source1_id: 7,
    data_source2_id: 7,
    table1: path === null ? null : [path[0], 'prod', ...path.slice(2)],
    table2: path,
    query1: path === null ? 'select * from prod.orders' : null,
    query2: path === null ? 'select * from pr_2.orders' : null,
    pk_columns: ['id'],
    source: ci ? 'ci' : 'interactive',
    ci_run_id: spec.ciRunId,
    ci_pr_num: ci ? 2 : null,
    ci_pr_branch: ci ? 'changes' : null,
    ci_base_branch: ci ? 'master' : null,
    status: running ? 'processing' : (spec.status ?? 'done'),
    done: !running,
    result,
    result_revisions: {},
    archived: false,
    purged: false,
    created_at: '2024-01-15T12:00:00Z',
    updated_at: '2024-01-15T12:03:00Z',
    finished_at: running ? null : '2024-01-15T12:03:00Z',
    affected_columns: running ? null : (spec.affectedColumns ?? null),
    diff_stats: running
      ? null
      : {
          version: '2',
          rows_added: spec.rowsAdded ?? null,
          rows_removed: spec.rowsRemoved ?? null,
          diff_rows_count: spec.rowsChanged ?? null,
          match_ratio: spec.matchRatio ?? null,
          table_a_row_count: 1000,
          table_b_row_count: 1000,
          sampled: false
        }
  }
}

/**
 * The answer to `GET /api/v1/datadiffs?<query>` over `diffs`: filtered by ci_run_id (unless
 * `ignoreFilter`), sorted by order_by (ci_run_id or id) and sort_order as PostgreSQL sorts (nulls
 * first when descending), paged by page and page_size; 422 for a page that is not a positive integer,
 * 404 "Invalid page." for one past the end.
 * @param {(DiffSpec & {id: number, ciRunId: number|null})[]} diffs
 * @param {URLSearchParams} query
 * @param {{ignoreFilter?: boolean, running?: (diff: DiffSpec & {id: number, ciRunId: number|null}) => boolean}} [options]
 * @returns {{status: number, body: unknown}}
 */
export function dataDiffAnswer(diffs, query, options = {}) {
  const page = Number(query.get('page') ?? 1)
  const pageSize = Number(query.get('page_size') ?? 100)
  const orderBy = query.get('order_by') ?? 'id'
  const descending = query.get('sort_order') === 'desc'
  if (!Number.isInteger(page) || !Number.isInteger(pageSize) || page < 1 || pageSize < 1) {
    return {
      status: 422,
      body: {
        detail: [
          {
            loc: ['query', 'page'],
            msg: 'value is not a valid integer',
            type: 'type_error.integer'
          }
        ]
      }
    }
  }
  const wanted = query.get('ci_run_id')
  const key = (diff) => (orderBy === 'ci_run_id' ? diff.ciRunId : diff.id)
  const listed = diffs
    .filter(
      (diff) =>
        options.ignoreFilter || wanted === null || wanted.split(',').includes(String(diff.ciRunId))
    )
    .sort((a, b) => {
      const [x, y] = [key(a), key(b)]
      if (x === y) return a.id - b.id
      if (x === null) return descending ? -1 : 1
      if (y === null) return descending ? 1 : -1
      return descending ? y - x : x - y
    })
  // As Datafold (Django REST framework's pages) answers a page past the end; page 1 always exists.
  if (page > 1 && (page - 1) * pageSize >= listed.length) {
    return { status: 404, body: { detail: 'Invalid page.' } }
  }
  const slice = listed.slice((page - 1) * pageSize, page * pageSize)
  return {
    status: 200,
    body: dataDiffPage(
      slice.map((diff) => apiDataDiff({ ...diff, running: options.running?.(diff) ?? false })),
      { page, pageSize, count: listed.length }
    )
  }
}

/**
 * An `ApiDataDiffPage`: `results` as page `page` of a list of `count` diffs.
 * @param {object[]} results
 * @param {{page?: number, pageSize?: number, count?: number, totalPages?: number}} [options]
 */
export function dataDiffPage(results, options = {}) {
  const pageSize = options.pageSize ?? 100
  const count = options.count ?? results.length
  return {
    page: options.page ?? 1,
    page_size: pageSize,
    count,
    total_pages: options.totalPages ?? Math.ceil(count / pageSize),
    results
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
    upload: [...(scenario.faults?.upload ?? [])],
    runs: [...(scenario.faults?.runs ?? [])],
    datadiffs: [...(scenario.faults?.datadiffs ?? [])]
  }
  /** @type {(DiffSpec & {id: number, ciRunId: number|null})[]} */
  const diffs = []
  let nextDiffId = 1
  for (let i = 0; i < (scenario.otherDiffs ?? 0); i++) {
    const first = scenario.firstRunId ?? 1000
    const ciRunId = [first + 100 + (i % 5), first - 1 - (i % 40), null][i % 3]
    diffs.push({ id: nextDiffId++, ciRunId, result: ['identical', 'different'][i % 2] })
  }
  let diffLists = 0
  /** @type {{at: number, method: string, path: string, query: Record<string, string>, headers: import('node:http').IncomingHttpHeaders, body: unknown, rawBody: string}[]} */
  const requests = []
  const sockets = new Set()
  let checksAfterTrigger = 0
  /** Lists of runs (first pages) so far: when the webhook's run appears. */
  let runLists = 0
  let triggered = false
  /** Status checks since the table pairs of the newest run arrived (API integration). */
  let checksAfterUpload = 0
  /** @type {{prNumber: number, runId: number, pairs: unknown[]}[]} */
  const uploads = []

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
    if (url.pathname === '/api/v1/datadiffs') {
      if (req.method !== 'GET') return json(405, { detail: 'Method Not Allowed' })
      const fault = faults.datadiffs.shift()
      if (fault && fault.kind !== 'ok') return misbehave(fault, req, res)
      if (req.headers.authorization !== `Key ${apiKey}`)
        return json(401, { detail: 'Invalid API key' })
      return listDiffs(url.searchParams, json)
    }
    const uploadMatch = /^\/api\/v1\/ci\/([^/]+)\/(\d+)$/.exec(url.pathname)
    if (uploadMatch) return upload(req, res, uploadMatch[1], Number(uploadMatch[2]), body, json)
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
    if (uploads.length > 0 && offset === 0) checksAfterUpload++
    if (offset === 0) runLists++
    const hidden = (run) =>
      run.webhook
        ? runLists <= (scenario.webhook?.appearAfter ?? 0)
        : run.created &&
          (checksAfterTrigger <= (scenario.appearAfter ?? 0) ||
            (scenario.missingAt ?? []).includes(checksAfterTrigger))
    for (const run of runs) if (run.webhook && !hidden(run) && offset === 0) run.checks++
    const listed = runs
      .filter(
        (run) => scenario.ignoreShaFilter || !prSha || run.pr_sha === prSha || run.pr_sha === '*'
      )
      .filter((run) => !hidden(run))
      .map((run) => ({
        ...run,
        pr_sha: run.pr_sha === '*' ? prSha : run.pr_sha,
        status: statusOf(run)
      }))
      .sort((a, b) => b.id - a.id)
      .map(
        ({ created: _created, pairs: _pairs, webhook: _webhook, checks: _checks, ...run }) => run
      )
    return json(200, listed.slice(offset, offset + limit))
  })

  /** POST /api/v1/ci/{ci_config_id}/{pr_num}: the table pairs for the run waiting for pr_num. */
  function upload(req, res, idText, prNumber, body, json) {
    if (req.method !== 'POST') return json(405, { detail: 'Method Not Allowed' })
    const fault = faults.upload.shift()
    if (fault && fault.kind !== 'ok') {
      if (fault.process && Array.isArray(body)) attachPairs(prNumber, body)
      return misbehave(fault, req, res)
    }
    if (req.headers.authorization !== `Key ${apiKey}`)
      return json(401, { detail: 'Invalid API key' })
    if (String(ciConfigId) !== idText) return json(404, { detail: 'CI config not found' })
    const problems = validateUpload(body)
    if (problems.length > 0) return json(422, { detail: problems })
    const run = attachPairs(prNumber, body)
    if (!run) return json(404, { detail: `No CI run is waiting for PR ${prNumber}` })
    return json(200, { ci_run_id: run.id, run_id: run.id + 5000 })
  }

  /** Gives the pairs to the newest run of the pull request still waiting for them. */
  function attachPairs(prNumber, pairs) {
    const run = runs
      .filter((r) => r.created && r.pr_num === String(prNumber) && !r.pairs)
      .sort((a, b) => b.id - a.id)[0]
    if (!run) return undefined
    run.pairs = pairs
    uploads.push({ prNumber, runId: run.id, pairs })
    checksAfterUpload = 0
    diffLists = 0
    pairs.forEach((pair, index) => {
      const spec = scenario.dataDiffs?.[index] ?? {}
      diffs.push({ ...spec, table: pair.pr, id: nextDiffId++, ciRunId: run.id, created: true })
    })
    return run
  }

  function listDiffs(query, json) {
    if ((query.get('page') ?? '1') === '1') diffLists++
    const answer = dataDiffAnswer(diffs, query, {
      ignoreFilter: scenario.ignoreFilter,
      running: (diff) => diff.created === true && diffLists <= (diff.runningFor ?? 0)
    })
    return json(answer.status, answer.body)
  }

  function createRun(body, { webhook = false } = {}) {
    if (!webhook) {
      triggered = true
      checksAfterTrigger = 0
    }
    diffLists = 0
    const run = {
      id: nextId++,
      status: statuses[0],
      pr_num: String(body?.pr_number ?? ''),
      pr_sha: body?.pr_sha ?? '',
      pr_branch: body?.pr_branch ?? '',
      base_branch: body?.base_branch ?? '',
      base_sha: body?.base_sha ?? '',
      source: 'api',
      created: true,
      webhook,
      checks: 0
    }
    runs.push(run)
    // An API integration's run gets its diffs from the pairs uploaded to it.
    for (const spec of scenario.apiIntegration ? [] : (scenario.dataDiffs ?? []))
      diffs.push({ ...spec, id: nextDiffId++, ciRunId: run.id, created: true })
    // Other runs go on creating diffs: a newer one's diffs come after this run's.
    if (scenario.otherDiffs)
      diffs.push({ id: nextDiffId++, ciRunId: run.id + 1, result: 'different', created: false })
    return run
  }

  function statusOf(run) {
    if (!run.created) return run.status
    if (run.webhook) {
      if (scenario.apiIntegration && !run.pairs) return 'waiting'
      const own = WEBHOOK_STATES.slice(WEBHOOK_STATES.indexOf(scenario.webhook.state))
      const step = scenario.apiIntegration ? checksAfterUpload : run.checks
      return own[Math.min(Math.max(step - 1, 0), own.length - 1)]
    }
    if (scenario.apiIntegration) {
      if (!run.pairs) return 'waiting'
      return statuses[Math.min(Math.max(checksAfterUpload - 1, 0), statuses.length - 1)]
    }
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

  if (scenario.startedEarlier) createRun(scenario.startedEarlier)
  if (scenario.webhook) createRun(scenario.webhook.pr, { webhook: true })

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
    diffs,
    uploads,
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

/** The checks FastAPI makes on a list of `CiDiff`, with Datafold's 422 shape. */
function validateUpload(body) {
  if (!Array.isArray(body)) {
    return [{ loc: ['body'], msg: 'value is not a valid list', type: 'type_error.list' }]
  }
  const problems = []
  body.forEach((pair, index) => {
    if (typeof pair !== 'object' || pair === null || Array.isArray(pair)) {
      problems.push({
        loc: ['body', index],
        msg: 'value is not a valid dict',
        type: 'type_error.dict'
      })
      return
    }
    for (const field of ['prod', 'pr']) {
      if (typeof pair[field] !== 'string')
        problems.push({
          loc: ['body', index, field],
          msg: field in pair ? 'str type expected' : 'field required',
          type: field in pair ? 'type_error.str' : 'value_error.missing'
        })
    }
    if (pair.pk !== undefined && pair.pk !== null && !Array.isArray(pair.pk))
      problems.push({
        loc: ['body', index, 'pk'],
        msg: 'value is not a valid list',
        type: 'type_error.list'
      })
  })
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
