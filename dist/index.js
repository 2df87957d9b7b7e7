/******/ (() => { // webpackBootstrap
/******/ 	var __webpack_modules__ = ({

/***/ 9562:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   OY: () => (/* binding */ DatafoldError),
/* harmony export */   rF: () => (/* binding */ DatafoldClient)
/* harmony export */ });
/* unused harmony export PAGE_SIZE */
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(6264);
/* harmony import */ var _json_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(8301);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6803);
/* harmony import */ var _redact_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6670);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(9809);





class DatafoldError extends Error {
    name = 'DatafoldError';
    /** True when the deadline, not the fault itself, ended the request or its retries. */
    outOfTime;
    /**
     * True for a trigger whose fate is unknown: it reached Datafold, but the answer was lost (cut
     * off, reset, timed out) or garbled, so Datafold may have started a run.
     */
    mayHaveStarted;
    constructor(message, flags = {}) {
        super(message);
        this.outOfTime = flags.outOfTime ?? false;
        this.mayHaveStarted = flags.mayHaveStarted ?? false;
    }
}
const PAGE_SIZE = 100;
const MAX_PAGES = 50;
class DatafoldClient {
    options;
    transport;
    constructor(options) {
        this.options = options;
        this.transport = options.transport ?? _http_js__WEBPACK_IMPORTED_MODULE_0__/* .send */ .tN;
    }
    async trigger(pr) {
        return this.request({
            endpoint: 'trigger',
            method: 'POST',
            url: this.url(`ci/${this.options.ciConfigId}/trigger`),
            body: JSON.stringify(pr),
            retryable: _retry_js__WEBPACK_IMPORTED_MODULE_2__/* .isRetryableTrigger */ .LK,
            read: readTriggerAnswer,
            ambiguous: _retry_js__WEBPACK_IMPORTED_MODULE_2__/* .isAmbiguousTrigger */ .PB
        });
    }
    /**
     * Every run Datafold has for the commit, following `limit`/`offset` pages. An answer that is not
     * a list of runs is retried like a 502, except on `firstContact`: the first request of a step
     * getting a 2xx that is not JSON at all (an HTML page, say) most likely means datafold-host is
     * not Datafold, which no wait mends. JSON that is malformed or of the wrong shape is retried even
     * then: that is a server having a bad moment, not the wrong server.
     */
    async listRuns(prSha, { firstContact = false } = {}) {
        const retryable = (fault) => !(firstContact && fault.kind === 'bad-answer' && !fault.json) && (0,_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .isRetryableRead */ .bV)(fault);
        const runs = [];
        const seen = new Set();
        for (let page = 0; page < MAX_PAGES; page++) {
            const query = new URLSearchParams({
                pr_sha: prSha,
                limit: String(PAGE_SIZE),
                offset: String(page * PAGE_SIZE)
            });
            const batch = await this.request({
                endpoint: 'runs',
                method: 'GET',
                url: this.url(`ci/${this.options.ciConfigId}/runs`, query),
                retryable,
                read: readRunsPage
            });
            const fresh = batch.filter((run) => !seen.has(run.id));
            fresh.forEach((run) => seen.add(run.id));
            runs.push(...fresh);
            // A short page is the last; so is one with nothing new (a server that ignores `offset`).
            if (batch.length < PAGE_SIZE || fresh.length === 0)
                break;
        }
        return runs;
    }
    /**
     * The data diffs of CI run `ciRunId`, page by page (see DiffListing for when the pages end). The
     * `ci_run_id` filter is not in the endpoint's spec, only in its description ("All fields support
     * multiple items"), so it is sent along with declared parameters that list this run's diffs
     * early (`order_by=ci_run_id`, newest first) for a Datafold that ignores it, and only this run's
     * entries are kept.
     */
    async listDataDiffs(ciRunId) {
        // Loaded here, not at the start: most steps never ask (see main.ts).
        const { DIFF_PAGE_SIZE, DiffListing, readDataDiffPage } = await __nccwpck_require__.e(/* import() */ 978).then(__nccwpck_require__.bind(__nccwpck_require__, 9978));
        const listing = new DiffListing(ciRunId);
        for (let page = 1;; page++) {
            const query = new URLSearchParams({
                ci_run_id: String(ciRunId),
                order_by: 'ci_run_id',
                sort_order: 'desc',
                page: String(page),
                page_size: String(DIFF_PAGE_SIZE)
            });
            const answer = await this.request({
                endpoint: 'datadiffs',
                method: 'GET',
                url: this.url('datadiffs', query),
                retryable: _retry_js__WEBPACK_IMPORTED_MODULE_2__/* .isRetryableDiffRead */ .mT,
                read: (answer) => readDataDiffPage(answer.body, ciRunId)
            });
            if (!listing.add(answer))
                break;
        }
        const { diffs, others, pages, incomplete } = listing;
        return { diffs, others, pages, incomplete };
    }
    /**
     * The transport, with every form of the API key removed from whatever comes back, before
     * anything reads it: a server that echoes the request in an error page must not put the key into
     * a log line, where a cut excerpt could leave a part of it that no mask recognises.
     */
    async sendWithoutKey(request) {
        const answer = await this.transport(request);
        return { ...answer, body: (0,_redact_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(answer.body, [this.options.apiKey]) };
    }
    /**
     * The address of an endpoint (`path` under /api/v1/) under datafold-host. The path is set on a
     * copy of the host's URL, never resolved against it, so nothing in datafold-host's path (a `//`,
     * say) can change the origin the key is sent to.
     */
    url(path, query) {
        const url = new URL(this.options.host.href);
        url.pathname = `${this.options.host.pathname.replace(/\/+$/, '')}/api/v1/${path}`;
        url.search = query ? query.toString() : '';
        return url;
    }
    /**
     * One request with its retries. `read` turns a 2xx answer into data; when it throws, the answer
     * counts as a fault (`bad-answer`) that `retryable` may choose to retry. `ambiguous` says which
     * faults leave it unknown whether Datafold acted on the request.
     */
    async request(spec) {
        const { clock, log, deadlineMs, signal, requestTimeoutMs } = this.options;
        const { method, url, body, retryable, read } = spec;
        const ambiguous = spec.ambiguous ?? (() => false);
        const label = `${method} ${url.pathname}`;
        for (let attempt = 0;; attempt++) {
            const remaining = deadlineMs - clock.now();
            if (remaining <= 0)
                throw new DatafoldError(`timeout-minutes ran out before ${label} could be sent.`, {
                    outOfTime: true
                });
            // When the step's deadline, not request-timeout, limits this request, running out of time
            // waiting for the answer is the step timing out.
            const limitedByDeadline = remaining < requestTimeoutMs;
            let fault;
            let problem;
            let retryAfterMs;
            try {
                const answer = await this.sendWithoutKey({
                    method,
                    url,
                    headers: {
                        Authorization: `Key ${this.options.apiKey}`,
                        Accept: 'application/json',
                        'User-Agent': 'datafold-ci-action',
                        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
                    },
                    body,
                    timeoutMs: Math.min(requestTimeoutMs, remaining),
                    signal
                });
                if (answer.status >= 200 && answer.status < 300) {
                    try {
                        return read(answer);
                    }
                    catch (error) {
                        fault = {
                            kind: 'bad-answer',
                            json: isJsonContentType(answer.headers['content-type']),
                            parsed: (0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .parseJson */ .q)(answer.body) !== undefined
                        };
                        problem = error.message;
                        if (!retryable(fault)) {
                            // The data diff list comes after the runs list was read from the same host.
                            const wrongHost = !ambiguous(fault) && spec.endpoint !== 'datadiffs';
                            throw new DatafoldError(wrongHost
                                ? `${problem} Check that datafold-host (${this.options.host.origin}) is the address of your Datafold deployment.`
                                : problem, { mayHaveStarted: ambiguous(fault) });
                        }
                    }
                }
                else {
                    fault = { kind: 'status', status: answer.status };
                    problem = explainStatus(answer, spec.endpoint, this.options.ciConfigId, this.options.host);
                    retryAfterMs = (0,_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .parseRetryAfter */ .mu)(answer.headers['retry-after'], clock.now());
                    if (!retryable(fault))
                        throw new DatafoldError(problem, { mayHaveStarted: ambiguous(fault) });
                }
            }
            catch (error) {
                if (error instanceof DatafoldError)
                    throw error;
                if (!(error instanceof _http_js__WEBPACK_IMPORTED_MODULE_0__/* .NetworkError */ .Dr))
                    throw error;
                fault = { kind: 'network', code: error.code, notSent: error.notSent };
                if (error.code === 'ETIMEDOUT' && limitedByDeadline) {
                    throw new DatafoldError(`timeout-minutes ran out while waiting for Datafold's answer to ${label}.`, { outOfTime: true, mayHaveStarted: ambiguous(fault) });
                }
                problem = `Could not reach Datafold at ${this.options.host.origin}: ${error.message}.`;
                if (!retryable(fault))
                    throw new DatafoldError(problem, { mayHaveStarted: ambiguous(fault) });
            }
            const nowMs = clock.now();
            const wait = (0,_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .retryWaitMs */ .Ko)({
                attempt,
                retryAfterMs,
                nowMs,
                deadlineMs,
                random: this.options.random
            });
            if (wait === undefined) {
                const leftMs = deadlineMs - nowMs;
                const why = retryAfterMs !== undefined && retryAfterMs > leftMs - _retry_js__WEBPACK_IMPORTED_MODULE_2__/* .LAST_ATTEMPT_MS */ .u4
                    ? `Datafold asked to wait ${seconds(retryAfterMs)} before the next try (Retry-After), more than the ${seconds(Math.max(0, leftMs))} left of timeout-minutes, so the step stops now.`
                    : `timeout-minutes leaves no room for another try.`;
                throw new DatafoldError(`${problem} ${why}`, { outOfTime: true });
            }
            log.warning(`${problem} Retrying ${label} in ${(wait / 1000).toFixed(1)} s (retry ${attempt + 1}).`);
            await clock.sleep(wait, signal);
            if (signal?.aborted)
                throw new DatafoldError(`${label} was cancelled.`);
        }
    }
}
function seconds(ms) {
    return `${Math.round(ms / 100) / 10} s`;
}
function isJsonContentType(value) {
    const text = Array.isArray(value) ? value.join(',') : (value ?? '');
    return /\bjson\b/i.test(text);
}
function readTriggerAnswer(answer) {
    const body = (0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .parseJson */ .q)(answer.body);
    if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .isObject */ .G)(body) || !isIdOrNull(body.ci_run_id) || !isIdOrNull(body.run_id)) {
        throw new DatafoldError(`Datafold's answer to the trigger is not what its API documents (expected JSON with ci_run_id and run_id): ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(answer.body)}`);
    }
    return { ciRunId: body.ci_run_id ?? null, runId: body.run_id ?? null };
}
function readRunsPage(answer) {
    const body = (0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .parseJson */ .q)(answer.body);
    if (!Array.isArray(body)) {
        throw new DatafoldError(`Datafold's list of runs is not a JSON array: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(answer.body)}`);
    }
    for (const run of body) {
        if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .isObject */ .G)(run) || typeof run.id !== 'number' || typeof run.status !== 'string') {
            throw new DatafoldError(`Datafold listed a run without a numeric id and a status: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(JSON.stringify(run))}`);
        }
    }
    return body;
}
/** The words a pull request author needs for an HTTP error from Datafold. */
function explainStatus(answer, endpoint, ciConfigId, host) {
    const status = answer.status;
    // After a redirect to another origin the key was not sent (http.ts drops it), so a 401 there
    // says nothing about the key.
    const redirectedTo = answer.url && answer.url.origin !== host.origin ? answer.url.origin : '';
    if (redirectedTo && (status === 401 || status === 403)) {
        return `${host.origin} redirected the request to ${redirectedTo}, which answered HTTP ${status}. The API key is sent only to datafold-host, never to another host it redirects to; if Datafold now lives at ${redirectedTo}, set datafold-host to it.`;
    }
    // The key has just triggered and followed the run: a refusal here is about data diffs.
    if (endpoint === 'datadiffs') {
        switch (status) {
            case 401:
                return `Datafold did not accept the API key for its list of data diffs (HTTP 401) at ${host.origin}, though it did for the CI run.`;
            case 403:
                return `Datafold did not let the API key list data diffs (HTTP 403) at ${host.origin}. The key can run CI config ${ciConfigId}, but its user may lack access to data diffs or to the data sources they compare; ask a Datafold admin, or set show-data-diffs: false.`;
            case 404:
                return `${host.origin} has no list of data diffs (HTTP 404 for GET /api/v1/datadiffs); this Datafold deployment may not offer it. Set show-data-diffs: false to skip it.`;
        }
    }
    switch (status) {
        case 401:
        case 403:
            return `Datafold refused the API key (HTTP ${status}) at ${host.origin}. Check that the api-key input (or DATAFOLD_API_KEY) holds a valid key for this Datafold host and that it has access to CI config ${ciConfigId}.`;
        case 404:
            return `CI config ${ciConfigId} was not found on ${host.origin} (HTTP 404). Check ci-config-id, and datafold-host if your organisation has a dedicated Datafold deployment.`;
        case 422: {
            const lines = validationLines(answer.body);
            return lines.length > 0
                ? `Datafold rejected the request as invalid (HTTP 422):\n${lines.map((line) => `  - ${line}`).join('\n')}`
                : `Datafold rejected the request as invalid (HTTP 422): ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(answer.body)}`;
        }
        case 429:
            return `Datafold is rate limiting requests (HTTP 429).`;
        default:
            return status >= 500
                ? `Datafold had a server error (HTTP ${status}): ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(answer.body)}`
                : `Datafold answered HTTP ${status}: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_4__/* .excerpt */ .Kb)(answer.body)}`;
    }
}
function validationLines(text) {
    const body = (0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .parseJson */ .q)(text);
    if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .isObject */ .G)(body) || !Array.isArray(body.detail))
        return [];
    return body.detail.map((item) => {
        if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_3__/* .isObject */ .G)(item))
            return String(item);
        const where = Array.isArray(item.loc) ? item.loc.join('.') : '';
        return where ? `${where}: ${String(item.msg)}` : String(item.msg);
    });
}
function isIdOrNull(value) {
    return (value === undefined || value === null || (typeof value === 'number' && Number.isInteger(value)));
}


/***/ }),

/***/ 6264:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   B0: () => (/* binding */ formatRatio),
/* harmony export */   B4: () => (/* binding */ formatCount),
/* harmony export */   Fu: () => (/* binding */ shortSha),
/* harmony export */   Kb: () => (/* binding */ excerpt),
/* harmony export */   TN: () => (/* binding */ oneLine),
/* harmony export */   a3: () => (/* binding */ formatDuration)
/* harmony export */ });
/** Small text helpers shared by log lines and the summary. */
/** 75_000 → "1m 15s"; 4_000 → "4s"; 3_725_000 → "1h 2m 5s". */
function formatDuration(ms) {
    const total = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    if (h > 0)
        return `${h}h ${m}m ${s}s`;
    if (m > 0)
        return `${m}m ${s}s`;
    return `${s}s`;
}
function shortSha(sha) {
    return sha.slice(0, 7);
}
const EXCERPT_CHARS = 300;
/** The start of a body, on one line, for error messages. */
function excerpt(text) {
    const flat = text.replace(/\s+/g, ' ').trim();
    if (flat === '')
        return '(empty body)';
    return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}
/** 1234567 → "1,234,567": counts of rows and diffs, the same on every machine (no locale). */
function formatCount(n) {
    return Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);
}
/**
 * A match ratio (0 to 1) as a percentage, cut (never rounded up) to two decimals, so a table that
 * is not a full match never shows 100 %: 0.982 → "98.2 %", 0.99999 → "99.99 %". A value outside
 * 0 to 1 is shown as it came.
 */
function formatRatio(ratio) {
    if (!(ratio >= 0 && ratio <= 1))
        return String(ratio);
    // Rounded to 1e-8 first, so 0.29 (28.999999999999996 %) is not cut to 28.99.
    const hundredths = Math.floor(Math.round(ratio * 1e8) / 1e4);
    return `${hundredths / 100} %`;
}
/** Control characters and line breaks (including U+0085, U+2028, U+2029) become spaces. */
function oneLine(text) {
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    return text.replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]/g, ' ');
}


/***/ }),

/***/ 6803:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dr: () => (/* binding */ NetworkError),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   tN: () => (/* binding */ send)
/* harmony export */ });
/** Why no HTTP answer arrived. `code` is Node's (ECONNREFUSED, ENOTFOUND, ...) or one of ours. */
class NetworkError extends Error {
    code;
    notSent;
    name = 'NetworkError';
    constructor(code, message, 
    /** True when the request certainly never reached the server (nothing was processed). */
    notSent) {
        super(message);
        this.code = code;
        this.notSent = notSent;
    }
}
const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 5 * 1024 * 1024;
// Errors raised before a connection exists: the server cannot have seen the request.
const NOT_SENT_CODES = new Set([
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EHOSTUNREACH',
    'ENETUNREACH'
]);
/**
 * node:http or node:https, loaded at the first request to that protocol: a step that stops on a bad
 * input never pays for the HTTP and TLS stack.
 */
function moduleFor(protocol) {
    return protocol === 'https:' ? Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 4708, 23)) : Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 7067, 23));
}
/**
 * Agents that tunnel through HTTP(S)_PROXY (honouring NO_PROXY) for runners behind a proxy. Node 24,
 * the runtime GitHub gives the action, does this itself through the agent's `proxyEnv` option;
 * older Node ignores the option and connects directly. Made only when a proxy is configured.
 */
const proxyAgents = new Map();
function agentFor(lib) {
    const env = process.env;
    if (!(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy))
        return undefined;
    let agent = proxyAgents.get(lib);
    if (!agent) {
        agent = new lib.Agent({ proxyEnv: env });
        proxyAgents.set(lib, agent);
    }
    return agent;
}
function isLoopbackHost(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
const send = async (request) => {
    const deadline = Date.now() + request.timeoutMs;
    let url = request.url;
    let method = request.method;
    let body = request.body;
    const headers = { ...request.headers };
    for (let hop = 0;; hop++) {
        const lib = await moduleFor(url.protocol);
        const response = await exchange({ ...request, method, url, headers, body }, deadline, lib);
        const location = response.headers.location;
        if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) {
            return response;
        }
        if (hop >= MAX_REDIRECTS) {
            throw new NetworkError('EREDIRECTS', `more than ${MAX_REDIRECTS} redirects from ${request.url.origin}`, false);
        }
        const next = new URL(location, url);
        if (next.protocol !== 'https:' &&
            !(next.protocol === 'http:' && isLoopbackHost(next.hostname))) {
            throw new NetworkError('EREDIRECT_INSECURE', `${url.origin} redirected to ${next.origin}, which is not https; not following`, false);
        }
        if (method === 'POST' && response.status !== 307 && response.status !== 308) {
            // A 301/302/303 would turn the POST into a GET and silently drop the trigger.
            throw new NetworkError('EREDIRECT_POST', `${url.origin} redirected the request to ${next.origin}${next.pathname}; set datafold-host to the address it redirects to`, false);
        }
        if (next.origin !== url.origin) {
            // Credentials are for the host the user named, never for wherever it points us.
            for (const name of Object.keys(headers)) {
                if (name.toLowerCase() === 'authorization' || name.toLowerCase() === 'cookie')
                    delete headers[name];
            }
        }
        url = next;
        if (response.status === 303) {
            method = 'GET';
            body = undefined;
        }
    }
};
/**
 * One request and its answer. Settles exactly once, whatever the socket does: the answer in full,
 * or a NetworkError. The timer and the abort settle the promise themselves instead of relying on
 * `destroy()` to raise an error, because after the request is written a destroyed request may emit
 * nothing at all; a connection that closes before the answer ends is an error, never a short body.
 */
function exchange(request, deadline, lib) {
    return new Promise((resolve, reject) => {
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            reject(timeoutError(request));
            return;
        }
        if (request.signal?.aborted) {
            reject(new NetworkError('EABORTED', 'request cancelled', true));
            return;
        }
        const headers = { ...request.headers };
        if (request.body !== undefined)
            headers['Content-Length'] = Buffer.byteLength(request.body);
        let connected = false;
        let settled = false;
        let received = 0;
        let answered = false;
        const req = lib.request(request.url, { method: request.method, headers, agent: agentFor(lib) });
        const cleanUp = () => {
            settled = true;
            clearTimeout(timer);
            request.signal?.removeEventListener('abort', onAbort);
        };
        const fail = (error) => {
            if (settled)
                return;
            cleanUp();
            req.destroy();
            reject(error);
        };
        const cutOff = () => new NetworkError('EINCOMPLETE', `the answer from ${request.url.host} was cut off after ${received} bytes of its body (the connection closed before the answer ended)`, false);
        const timer = setTimeout(() => fail(timeoutError(request)), remaining);
        const onAbort = () => fail(new NetworkError('EABORTED', 'request cancelled', !connected));
        request.signal?.addEventListener('abort', onAbort, { once: true });
        req.on('socket', (socket) => {
            const markConnected = () => {
                connected = true;
            };
            if (socket.connecting)
                socket.once('connect', markConnected);
            else
                markConnected();
        });
        req.on('error', (error) => {
            const code = error.code ?? 'ENETWORK';
            fail(new NetworkError(code, describeNetworkError(code, request.url, error.message), NOT_SENT_CODES.has(code) && !connected));
        });
        // Closed with no answer and no error (a clean close before the status line, say).
        req.on('close', () => {
            if (!answered)
                fail(new NetworkError('ECONNCLOSED', `${request.url.host} closed the connection without answering`, false));
        });
        req.on('response', (res) => {
            answered = true;
            const chunks = [];
            res.on('data', (chunk) => {
                received += chunk.length;
                if (received > MAX_BODY_BYTES) {
                    fail(new NetworkError('EBODYTOOLARGE', `the answer from ${request.url.origin} is larger than ${MAX_BODY_BYTES} bytes`, false));
                    return;
                }
                chunks.push(chunk);
            });
            res.on('end', () => {
                // 'end' only follows a complete body; `complete` says so explicitly.
                if (!res.complete)
                    return fail(cutOff());
                if (settled)
                    return;
                cleanUp();
                resolve({
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: Buffer.concat(chunks).toString('utf8'),
                    url: request.url
                });
            });
            res.on('error', () => fail(cutOff()));
            res.on('close', () => {
                if (!res.complete)
                    fail(cutOff());
            });
        });
        req.end(request.body);
    });
}
function timeoutError(request) {
    return new NetworkError('ETIMEDOUT', `no answer from ${request.url.origin} within the request time limit`, false);
}
function describeNetworkError(code, url, detail) {
    switch (code) {
        case 'ECONNREFUSED':
            return `${url.host} refused the connection`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `the host name ${url.hostname} could not be resolved`;
        case 'ECONNRESET':
            // Node's words when the server closed the connection before any answer.
            return detail === 'socket hang up'
                ? `${url.host} closed the connection without answering`
                : `the connection to ${url.host} was reset`;
        case 'CERT_HAS_EXPIRED':
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return `the TLS certificate of ${url.host} was not accepted (${code})`;
        default:
            return `network error talking to ${url.host}: ${detail}`;
    }
}


/***/ }),

/***/ 1319:
/***/ ((__unused_webpack_module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

"use strict";

;// CONCATENATED MODULE: ./src/clock.ts
const systemClock = {
    now: () => Date.now(),
    sleep: (ms, signal) => new Promise((resolve) => {
        if (signal?.aborted)
            return resolve();
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, Math.max(0, ms));
        signal?.addEventListener('abort', done, { once: true });
    })
};

;// CONCATENATED MODULE: ./src/fail-closed.ts
/**
 * The step is a merge gate, so it fails unless a verdict says it passes. The process starts with
 * exit code 1 and only a verdict changes it; whatever else ends the process (an exception nobody
 * caught, a promise that never settles so the event loop drains, a hang past the step's time)
 * ends it with 1 and an error that says what the step was doing.
 */
/**
 * Arms the guard: exit code 1 from now on, and the handlers that turn a silent ending into a
 * failure. `report` writes the error line; it must not throw (the guard catches it if it does).
 */
function failClosed(proc, report) {
    let phase = 'starting';
    let concluded = false;
    proc.exitCode = 1;
    const say = (message) => {
        try {
            report(message);
        }
        catch {
            // Nowhere left to say it; the exit code still fails the step.
        }
    };
    proc.on('beforeExit', () => {
        if (concluded)
            return;
        concluded = true;
        say(`The step stopped without a verdict while ${phase}: that part of the action never finished. Failing the step, since only a verdict can pass it.`);
        proc.exitCode = 1;
    });
    const crash = (error) => {
        concluded = true;
        const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
        say(`Unexpected error while ${phase}; failing the step. ${detail}`);
        proc.exit(1);
    };
    proc.on('uncaughtException', crash);
    proc.on('unhandledRejection', crash);
    return {
        phase(text) {
            phase = text;
        },
        conclude(exitCode) {
            concluded = true;
            proc.exitCode = exitCode;
        },
        get concluded() {
            return concluded;
        }
    };
}
/** The step took longer than its time limit: a wait somewhere was not bounded as it should be. */
class TimeLimitError extends Error {
    name = 'TimeLimitError';
}
/**
 * `work`, or a TimeLimitError after `ms` of real time, whichever comes first. A real timer, not the
 * step's Clock: this guards against faults in everything, the clock included. The timer is cleared
 * as soon as the work settles, and never keeps the process alive by itself.
 */
function withinTimeLimit(work, ms, what) {
    let timer;
    const limit = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new TimeLimitError(what())), ms);
        timer.unref?.();
    });
    return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

// EXTERNAL MODULE: ./src/datafold-client.ts
var datafold_client = __nccwpck_require__(9562);
// EXTERNAL MODULE: ./src/format.ts
var format = __nccwpck_require__(6264);
// EXTERNAL MODULE: ./src/json.ts
var json = __nccwpck_require__(8301);
;// CONCATENATED MODULE: ./src/pr-fields.ts
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
// eslint-disable-next-line no-control-regex -- control characters are what this rejects, with what git forbids in a branch name
const UNSAFE_BRANCH = /[\s\x00-\x1f\x7f~^:?*[\\]/;
const EXPECTED = {
    pr_number: 'a positive integer',
    pr_branch: 'a branch name such as main or feature/orders (no spaces or ~^:?*[\\)',
    base_branch: 'a branch name such as main or feature/orders (no spaces or ~^:?*[\\)',
    pr_sha: 'a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)',
    base_sha: 'a full commit SHA (40 hexadecimal characters, 64 in SHA-256 repositories)'
};
function isSha(value) {
    return typeof value === 'string' && SHA.test(value);
}
function isBranchName(value) {
    return typeof value === 'string' && value !== '' && !UNSAFE_BRANCH.test(value);
}
function isPrNumber(value) {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
/** The field as the trigger sends it (SHAs in lower case), or undefined when it breaks its rule. */
function checkField(key, value) {
    switch (key) {
        case 'pr_number':
            return (isPrNumber(value) ? value : undefined);
        case 'pr_branch':
        case 'base_branch':
            return (isBranchName(value) ? value : undefined);
        default:
            return (isSha(value) ? value.toLowerCase() : undefined);
    }
}
/** A value from outside, quoted for an error message: JSON, so null and "12" read as what they are. */
function quote(value) {
    if (value === undefined)
        return 'missing';
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = require("node:fs");
;// CONCATENATED MODULE: ./src/pull-request.ts
/**
 * Which pull request the step is about: read from the workflow's event payload, with single fields
 * overridden by inputs. On pull_request events the head SHA comes from the payload, never from
 * GITHUB_SHA, which there is a temporary merge commit Datafold cannot link to the pull request.
 */


/**
 * The event does not name the pull request fully and the inputs do not fill the gap, or GitHub could
 * not be asked which pull request it is.
 */
class EventError extends Error {
    name = 'EventError';
    /** True when timeout-minutes, not the fault itself, ended a lookup. */
    outOfTime;
    constructor(message, flags = {}) {
        super(message);
        this.outOfTime = flags.outOfTime ?? false;
    }
}
/** Events whose payload carries the whole pull request in `pull_request`. */
const PAYLOAD_EVENTS = [
    'pull_request',
    'pull_request_target',
    'pull_request_review',
    'pull_request_review_comment'
];
const PR_INPUTS = {
    pr_number: 'pr-number',
    pr_branch: 'pr-branch',
    base_branch: 'base-branch',
    pr_sha: 'pr-sha',
    base_sha: 'base-sha'
};
function readEventContext(env) {
    const path = env.GITHUB_EVENT_PATH;
    let payload = {};
    if (path) {
        try {
            payload = JSON.parse((0,external_node_fs_namespaceObject.readFileSync)(path, 'utf8'));
        }
        catch (error) {
            throw new EventError(`Could not read the event payload at GITHUB_EVENT_PATH (${path}): ${error.message}`);
        }
    }
    const repoFromPayload = payload.repository?.full_name;
    return {
        name: env.GITHUB_EVENT_NAME ?? '',
        payload,
        repository: env.GITHUB_REPOSITORY || repoFromPayload || '',
        serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
        apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, '')
    };
}
/** Where each field sits in a pull_request payload, to name it in errors. */
const PAYLOAD_FIELDS = {
    pr_number: 'pull_request.number',
    pr_branch: 'pull_request.head.ref',
    base_branch: 'pull_request.base.ref',
    pr_sha: 'pull_request.head.sha',
    base_sha: 'pull_request.base.sha'
};
/** The fields a payload with a `pull_request` carries, as found; {} for other events. */
function detailsFromPayload(event) {
    if (!PAYLOAD_EVENTS.includes(event.name))
        return {};
    const pr = event.payload.pull_request;
    if (typeof pr !== 'object' || pr === null)
        return {};
    return withoutUndefined({
        pr_number: pr.number,
        pr_branch: pr.head?.ref,
        base_branch: pr.base?.ref,
        pr_sha: pr.head?.sha,
        base_sha: pr.base?.sha
    });
}
/**
 * Payload fields, then input overrides. An EventError names every payload field that is not what it
 * should be (a null SHA, a number given as a string) and every input still missing.
 */
function completeDetails(event, found, overrides) {
    const keys = Object.keys(PR_INPUTS);
    const merged = { ...found, ...overrides };
    const invalid = keys.filter((key) => overrides[key] === undefined && key in found && checkField(key, found[key]) === undefined);
    if (invalid.length > 0) {
        const eventName = event.name || '(unknown)';
        throw new EventError(invalid
            .map((key) => `The ${eventName} event's ${PAYLOAD_FIELDS[key]} is ${quote(found[key])}: expected ${EXPECTED[key]}. Pass input ${PR_INPUTS[key]} to override it.`)
            .join('\n'));
    }
    const missing = keys.filter((key) => merged[key] === undefined);
    if (missing.length > 0) {
        const names = missing.map((key) => PR_INPUTS[key]).join(', ');
        const eventName = event.name || '(unknown)';
        throw new EventError(`The ${eventName} event does not say which pull request to check, and these inputs are missing: ${names}. ` +
            `Run the step on pull_request events, or pass all of pr-number, pr-branch, base-branch, pr-sha and base-sha.`);
    }
    return {
        pr_number: checkField('pr_number', merged.pr_number),
        pr_branch: checkField('pr_branch', merged.pr_branch),
        base_branch: checkField('base_branch', merged.base_branch),
        pr_sha: checkField('pr_sha', merged.pr_sha),
        base_sha: checkField('base_sha', merged.base_sha)
    };
}
function pullRequestUrl(event, prNumber) {
    return event.repository ? `${event.serverUrl}/${event.repository}/pull/${prNumber}` : undefined;
}
function withoutUndefined(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

// EXTERNAL MODULE: ./src/retry.ts
var retry = __nccwpck_require__(9809);
;// CONCATENATED MODULE: ./src/github-lookup.ts





/** Events this module can find the pull request for. */
const LOOKUP_EVENTS = ['push', 'issue_comment', 'workflow_run'];
/** True unless the payload names the pull request or the inputs name all of it. */
function needsLookup(event, overrides) {
    return !PAYLOAD_EVENTS.includes(event.name) && missingInputs(overrides).length > 0;
}
/** The pull request for the event, `none` when there is none to check, or an EventError. */
async function lookUpPullRequest(options) {
    const { event } = options;
    if (!LOOKUP_EVENTS.includes(event.name))
        throw unsupportedEvent(event, options.overrides);
    if (event.name === 'push') {
        const deleted = deletedRef(event);
        if (deleted)
            return { kind: 'none', reason: deleted };
    }
    const github = connect(options);
    switch (event.name) {
        case 'push':
            return forPush(event, github, options.log);
        case 'issue_comment':
            return forComment(event, github, options.log);
        default:
            return forWorkflowRun(event, github, options.log);
    }
}
async function forPush(event, github, log) {
    const payload = event.payload;
    const sha = (payload.after ?? '').toLowerCase();
    const where = refName(payload.ref);
    log.info(`Looking for the open pull request whose head is ${sha} (pushed to ${where}).`);
    const pulls = (await github.get('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { commit_sha: sha, per_page: 100 }, 'list')).filter(isPull);
    // The API also lists merged pull requests that contain the commit and open ones that contain it
    // further down their branch; only an open one whose head is this very commit is about this push.
    const open = pulls.filter((pr) => pr.state === 'open' && lower(pr.head?.sha) === sha);
    if (open.length === 0) {
        return {
            kind: 'none',
            reason: `No open pull request has ${(0,format/* shortSha */.Fu)(sha)}, the commit pushed to ${where}, as its head commit, so there is nothing for Datafold CI to check and nothing was sent to Datafold. ` +
                `Open a pull request for ${where} and push again (or run the step on pull_request events too), or pass pr-number, pr-branch, base-branch, pr-sha and base-sha.`
        };
    }
    return { kind: 'found', details: complete(choose(open, event, log, sha)) };
}
async function forComment(event, github, log) {
    const number = commentedIssue(event);
    log.info(`The comment is on pull request #${number}; fetching its head and base.`);
    const pr = (await github.get('GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: number }, 'object'));
    if (pr.state && pr.state !== 'open') {
        log.warning(`Pull request #${number} is ${pr.merged_at ? 'merged' : 'closed'}; checking its head commit anyway.`);
    }
    return { kind: 'found', details: complete(pr) };
}
async function forWorkflowRun(event, github, log) {
    const run = event.payload.workflow_run;
    if (!run)
        throw new EventError('The workflow_run event has no workflow_run in its payload.');
    const name = `"${run.name || 'workflow'}" (${run.event ?? 'unknown event'} on ${run.head_branch ?? 'an unknown branch'})`;
    const listed = (Array.isArray(run.pull_requests) ? run.pull_requests : [])
        .filter(isPull)
        .filter((pr) => typeof pr.number === 'number');
    if (listed.length === 0) {
        if (PAYLOAD_EVENTS.includes(run.event ?? '')) {
            throw new EventError(`The workflow run ${name} ran for a pull request, but GitHub lists none in workflow_run.pull_requests. ` +
                `GitHub leaves that list empty for pull requests from forks (and when the head branch is gone). ` +
                `Pass pr-number, pr-branch, base-branch, pr-sha and base-sha, for example pr-branch: \${{ github.event.workflow_run.head_branch }} and pr-sha: \${{ github.event.workflow_run.head_sha }} with the number and base saved by the pull_request workflow as an artifact.`);
        }
        return {
            kind: 'none',
            reason: `The workflow run ${name} belongs to no pull request (GitHub lists none in workflow_run.pull_requests), so there is nothing for Datafold CI to check and nothing was sent to Datafold.`
        };
    }
    // GitHub lists every pull request whose head commit matches the run's, in any repository: a fork
    // or another repository that shares the commit shows up too. Only one into this repository, from
    // the branch the run ran on, is this run's pull request.
    const repositoryId = event.payload.repository?.id;
    const pulls = listed.filter((pr) => (typeof repositoryId !== 'number' || pr.base?.repo?.id === repositoryId) &&
        pr.head?.ref === run.head_branch);
    if (pulls.length === 0) {
        const others = listed
            .map((pr) => `#${String(pr.number)} (${String(pr.head?.ref ?? '?')})`)
            .join(', ');
        return {
            kind: 'none',
            reason: `The workflow run ${name} lists pull requests ${others}, but none of them is into this repository (${event.repository || 'unknown'}) from ${run.head_branch ?? '(unknown)'}, the branch the run ran on: GitHub lists the pull requests of every repository that has the commit. There is nothing for Datafold CI to check here and nothing was sent to Datafold.`
        };
    }
    let pr = choose(pulls, event, log, run.head_sha);
    const summary = pr;
    if (!summary.head?.ref || !summary.head?.sha || !summary.base?.ref || !summary.base?.sha) {
        log.info(`The workflow run lists pull request #${String(summary.number)} without all of its head and base; fetching it.`);
        const fetched = (await github.get('GET /repos/{owner}/{repo}/pulls/{pull_number}', { pull_number: summary.number }, 'object'));
        pr = {
            number: summary.number,
            head: {
                ref: summary.head?.ref ?? fetched.head?.ref,
                sha: summary.head?.sha ?? fetched.head?.sha
            },
            base: {
                ref: summary.base?.ref ?? fetched.base?.ref,
                sha: summary.base?.sha ?? fetched.base?.sha
            }
        };
    }
    // The commit the workflow run built is the one to check, even if the pull request has moved on.
    const runSha = lower(run.head_sha);
    const listedSha = lower(pr.head?.sha);
    if (runSha && listedSha && runSha !== listedSha) {
        log.info(`Pull request #${String(pr.number)} lists head ${(0,format/* shortSha */.Fu)(listedSha)}; checking ${(0,format/* shortSha */.Fu)(runSha)}, the commit the workflow run ran on.`);
    }
    return {
        kind: 'found',
        details: complete({ ...pr, head: { ...pr.head, sha: runSha ?? pr.head?.sha } })
    };
}
/**
 * One pull request out of several with the same head: the one into the repository's default
 * branch (what a Datafold CI config usually checks), else the lowest number (the oldest). The API's
 * own order is not documented, so it is never relied on.
 */
function choose(pulls, event, log, sha) {
    const defaultBranch = event.payload.repository
        ?.default_branch;
    const sorted = [...pulls].sort((a, b) => Number(a.number ?? 0) - Number(b.number ?? 0));
    const intoDefault = sorted.filter((pr) => defaultBranch && pr.base?.ref === defaultBranch);
    const chosen = intoDefault[0] ?? sorted[0];
    if (pulls.length > 1) {
        const list = sorted
            .map((pr) => `#${String(pr.number)} (${String(pr.head?.ref ?? '?')} into ${String(pr.base?.ref ?? '?')})`)
            .join(', ');
        const why = intoDefault.length
            ? intoDefault.length > 1
                ? `it is the lowest-numbered of those into the default branch ${defaultBranch}`
                : `it is the one into the default branch ${defaultBranch}`
            : 'it has the lowest number (none is into the default branch)';
        log.info(`${pulls.length} open pull requests have head ${sha ? (0,format/* shortSha */.Fu)(sha) : 'this commit'}: ${list}. Checking #${String(chosen.number)}: ${why}. To check another, pass its pr-number, base-branch and base-sha.`);
    }
    return chosen;
}
/** Where each field sits in GitHub's pull request object, to name it in errors. */
const ANSWER_FIELDS = {
    pr_number: 'number',
    pr_branch: 'head.ref',
    base_branch: 'base.ref',
    pr_sha: 'head.sha',
    base_sha: 'base.sha'
};
/** The trigger's fields from GitHub's pull request, each checked like an input. */
function complete(pr) {
    const found = {
        pr_number: pr.number,
        pr_branch: pr.head?.ref,
        base_branch: pr.base?.ref,
        pr_sha: pr.head?.sha,
        base_sha: pr.base?.sha
    };
    const keys = Object.keys(found);
    const bad = keys.filter((key) => checkField(key, found[key]) === undefined);
    if (bad.length > 0) {
        const what = bad
            .map((key) => `${ANSWER_FIELDS[key]} ${quote(found[key])} (expected ${EXPECTED[key]})`)
            .join(', ');
        throw new EventError(`GitHub's answer for pull request #${typeof pr.number === 'number' ? pr.number : '?'} has ${what}. Pass ${bad.map((key) => PR_INPUTS[key]).join(', ')} to name them yourself.`);
    }
    return {
        pr_number: checkField('pr_number', found.pr_number),
        pr_branch: checkField('pr_branch', found.pr_branch),
        base_branch: checkField('base_branch', found.base_branch),
        pr_sha: checkField('pr_sha', found.pr_sha),
        base_sha: checkField('base_sha', found.base_sha)
    };
}
function isPull(value) {
    return (0,json/* isObject */.G)(value);
}
function lower(value) {
    return typeof value === 'string' ? value.toLowerCase() : undefined;
}
/** The number of the pull request commented on; an EventError for a plain issue. */
function commentedIssue(event) {
    const issue = event.payload.issue;
    if (typeof issue?.number !== 'number') {
        throw new EventError('The issue_comment event has no issue in its payload.');
    }
    if (!issue.pull_request) {
        throw new EventError(`The comment is on issue #${issue.number}, a plain issue, not a pull request, so there is no pull request for Datafold CI to check. ` +
            'Run the job only for comments on pull requests, for example with `if: github.event.issue.pull_request`.');
    }
    return issue.number;
}
/** Why a push has no commit to check (it deleted a branch or tag), or undefined. */
function deletedRef(event) {
    const payload = event.payload;
    if (payload.deleted || !payload.after || /^0+$/.test(payload.after)) {
        return `The push deleted ${refName(payload.ref)}, so there is no commit for Datafold CI to check and nothing was sent to Datafold.`;
    }
    return undefined;
}
function unsupportedEvent(event, overrides) {
    const name = event.name || '(unknown)';
    const names = missingInputs(overrides).join(', ');
    const mergeGroup = event.payload.merge_group;
    const why = event.name === 'merge_group'
        ? `A merge_group event checks the merge queue's temporary commit${mergeGroup?.head_ref ? ` (${refName(mergeGroup.head_ref)})` : ''}, which combines the queued pull requests with the base branch; it is no single pull request's head commit, which is what Datafold CI checks. ` +
            `Run the step on pull_request events and skip it on merge_group (a job skipped by \`if: github.event_name == 'pull_request'\` counts as passed for the queue), or pass`
        : `The ${name} event does not name a pull request, and the action reads one only on pull_request, pull_request_target, pull_request_review, pull_request_review_comment, push, issue_comment and workflow_run events. Pass`;
    return new EventError(`${why} these inputs: ${names}.`);
}
function missingInputs(overrides) {
    return Object.keys(PR_INPUTS)
        .filter((key) => overrides[key] === undefined)
        .map((key) => PR_INPUTS[key]);
}
function refName(ref) {
    if (!ref)
        return 'an unknown ref';
    if (ref.startsWith('refs/heads/'))
        return `branch ${ref.slice('refs/heads/'.length)}`;
    if (ref.startsWith('refs/tags/'))
        return `tag ${ref.slice('refs/tags/'.length)}`;
    return ref;
}
/**
 * The GitHub API for the event's repository, connected at the first request, if any. Each request
 * is bounded by request-timeout and the step's deadline, and repeated on the faults a Datafold
 * status check is repeated on (network faults, 429, 5xx, an answer that could not be read), with
 * the same backoff (retry.ts). Octokit's own retry plugin is not used: one policy for both APIs,
 * bounded by the same deadline, says the same things in the log.
 */
function connect(options) {
    const { event, clock, log, signal } = options;
    let octokit;
    const get = async (route, params, shape) => {
        octokit ??= await octokitFor(options);
        const [owner, repo] = event.repository.split('/');
        const full = { owner, repo, ...params };
        const label = route.replace(/\{(\w+)\}/g, (_, key) => String(full[key]));
        const request = `${label} on ${event.apiUrl}`;
        for (let attempt = 0;; attempt++) {
            const leftMs = options.deadlineMs - clock.now();
            if (leftMs <= 0) {
                throw new EventError(`timeout-minutes ran out before ${request} could be sent.`, {
                    outOfTime: true
                });
            }
            const limitMs = Math.max(1, Math.min(options.timeoutMs, leftMs));
            const timeout = AbortSignal.timeout(limitMs);
            const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
            let fault;
            let problem;
            let retryAfterMs;
            try {
                const response = await octokit.request(route, { ...full, request: { signal: both } });
                const data = response.data;
                if (shape === 'list' ? Array.isArray(data) : (0,json/* isObject */.G)(data))
                    return data;
                const contentType = String(response.headers['content-type'] ?? '');
                fault = { kind: 'bad-answer', json: /\bjson\b/i.test(contentType) };
                problem = wrongAnswer(request, shape, data, contentType);
                // A page that is not JSON at all (a proxy's or a single sign-on page) will not change.
                if (!fault.json)
                    throw problem;
            }
            catch (error) {
                if (error instanceof EventError)
                    throw error;
                if (signal?.aborted)
                    throw error;
                const failure = error;
                if (timeout.aborted) {
                    if (limitMs < options.timeoutMs) {
                        throw new EventError(`timeout-minutes ran out while waiting for the GitHub API to answer ${request}.`, { outOfTime: true });
                    }
                    fault = { kind: 'network', code: 'ETIMEDOUT', notSent: false };
                }
                else if (!failure.response) {
                    fault = { kind: 'network', code: errorCode(error), notSent: false };
                }
                else {
                    fault = { kind: 'status', status: failure.status ?? 0 };
                    retryAfterMs = (0,retry/* parseRetryAfter */.mu)(failure.response.headers?.['retry-after'], clock.now());
                }
                problem = explainGitHubError(error, label, event, timeout.aborted, limitMs);
                if (!(0,retry/* isRetryableRead */.bV)(fault))
                    throw problem;
            }
            const wait = (0,retry/* retryWaitMs */.Ko)({
                attempt,
                retryAfterMs,
                nowMs: clock.now(),
                deadlineMs: options.deadlineMs,
                random: options.random
            });
            if (wait === undefined) {
                throw new EventError(`${problem.message} timeout-minutes leaves no room for another try.`, {
                    outOfTime: true
                });
            }
            log.warning(`${problem.message} Retrying ${label} in ${(wait / 1000).toFixed(1)} s (retry ${attempt + 1}).`);
            await clock.sleep(wait, signal);
            if (signal?.aborted)
                throw new EventError(`${label} was cancelled.`);
        }
    };
    return { get };
}
/** An answer of the wrong shape, quoted briefly; an HTML page is named as what it likely is. */
function wrongAnswer(request, shape, data, contentType) {
    const expected = shape === 'list' ? 'a JSON list of pull requests' : 'a JSON pull request';
    const shown = typeof data === 'string' ? data : (JSON.stringify(data) ?? String(data));
    const flat = shown.replace(/\s+/g, ' ').trim();
    const excerpt = flat === '' ? '(empty or cut off)' : flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
    const hint = /html/i.test(contentType)
        ? ' An HTML page in place of the API usually comes from a proxy or a single sign-on page in front of GITHUB_API_URL.'
        : '';
    return new EventError(`GitHub's answer to ${request} is not ${expected}${contentType ? ` (content type ${contentType})` : ''}: ${excerpt}.${hint}`);
}
/** Node's error code (ECONNREFUSED, ...) from anywhere in fetch's chain of causes. */
function errorCode(error) {
    let current = error;
    for (let depth = 0; current && depth < 5; depth++) {
        if (typeof current.code === 'string')
            return current.code;
        current = current.cause;
    }
    return 'ENETWORK';
}
async function octokitFor(options) {
    const { event, token } = options;
    if (token === '') {
        throw new EventError(`Input github-token is empty, but the ${event.name} event does not carry the pull request, so the action looks it up through the GitHub API. ` +
            'Leave github-token at its default (${{ github.token }}) with `pull-requests: read` and `contents: read` permissions, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha.');
    }
    const [owner, repo] = event.repository.split('/');
    if (!owner || !repo) {
        throw new EventError(`The repository is unknown (GITHUB_REPOSITORY is "${event.repository}"), so the pull request cannot be looked up.`);
    }
    const { getOctokit } = await __nccwpck_require__.e(/* import() */ 413).then(__nccwpck_require__.bind(__nccwpck_require__, 2413));
    return getOctokit(token, { baseUrl: event.apiUrl, userAgent: 'datafold-ci-action' });
}
const PERMISSIONS = 'Give the job `permissions:` with `pull-requests: read` and `contents: read` (a job that sets `permissions:` gets none it does not list), or pass in github-token a token that has them';
/** The words for a failed GitHub request, with what to do about the token. */
function explainGitHubError(error, label, event, timedOut = false, timeoutMs = 0) {
    const failure = error;
    const request = `${label} on ${event.apiUrl}`;
    if (timedOut) {
        return new EventError(`The GitHub API did not answer ${request} within ${timeoutMs / 1000} s (the lesser of request-timeout and what is left of timeout-minutes).`);
    }
    if (!failure.response) {
        return new EventError(`Could not reach the GitHub API for ${request}: ${rootCause(error)}. ` +
            "On GitHub Enterprise Server the runner sets GITHUB_API_URL to the server's API; check that it is reachable from the runner.");
    }
    const said = githubMessage(failure.response.data) ?? failure.message ?? '';
    const quote = said ? ` GitHub said: "${said}".` : '';
    switch (failure.status) {
        case 401:
            return new EventError(`GitHub did not accept the token in github-token for ${request} (HTTP 401: bad or expired credentials).${quote} Leave github-token at its default, \${{ github.token }}, or pass a valid token.`);
        case 403:
        case 429:
            if (failure.status === 429 ||
                failure.response.headers?.['x-ratelimit-remaining'] === '0' ||
                /rate limit/i.test(said)) {
                return new EventError(`GitHub's API rate limit for the token in github-token is used up (HTTP ${failure.status}) for ${request}.${quote} Try again later, or pass pr-number, pr-branch, base-branch, pr-sha and base-sha so no lookup is needed.`);
            }
            return new EventError(`GitHub refused ${request} (HTTP 403): the token in github-token lacks permission to read the pull request.${quote} ${PERMISSIONS}.`);
        case 404:
            return new EventError(`GitHub answered 404 Not Found to ${request}.${quote} Either the pull request or commit is in a repository the token in github-token cannot see (another repository or organisation than the token was made for), or the token lacks permission to read it: GitHub answers 404, not 403, for what a token may not see. ${PERMISSIONS}.`);
        default:
            return new EventError(`GitHub answered HTTP ${failure.status} to ${request}.${quote}`);
    }
}
/** The innermost message of an error chain: fetch's "fetch failed" hides the socket's reason. */
function rootCause(error) {
    let current = error;
    let message = String(error);
    for (let depth = 0; current && depth < 5; depth++) {
        if (typeof current.message === 'string' && current.message !== '')
            message = current.message;
        current = current.cause;
    }
    return message;
}
function githubMessage(data) {
    if (typeof data === 'object' && data !== null && 'message' in data) {
        const message = data.message;
        if (typeof message === 'string' && message !== '')
            return message;
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/http.ts
var http = __nccwpck_require__(6803);
;// CONCATENATED MODULE: ./src/inputs.ts


const DEFAULT_HOST = 'https://app.datafold.com';
/** One or more inputs are invalid; each problem names the input, the value and what is expected. */
class InputError extends Error {
    problems;
    name = 'InputError';
    constructor(problems) {
        super(problems.join('\n'));
        this.problems = problems;
    }
}
const DEFAULTS = {
    wait: 'true',
    'poll-interval': '5',
    'max-poll-interval': '30',
    'timeout-minutes': '60',
    'start-timeout-minutes': '2',
    'fail-on-skip': 'false',
    'show-data-diffs': 'true',
    'fail-on-data-changes': 'false',
    'request-timeout': '30'
};
// GitHub-hosted jobs stop after 6 hours; a longer wait could never finish.
const MAX_TIMEOUT_MINUTES = 360;
const MAX_INTERVAL_SECONDS = 3600;
const MIN_REMOTE_SECONDS = 1;
// A host's path may only be plain segments: nothing in it may change the origin or the endpoint.
const PLAIN_PATH = /^(\/[A-Za-z0-9._~-]+)*\/?$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what these reject
const UNSAFE_KEY = /[\s\x00-\x1f\x7f]/;
/** Every secret among the inputs, to mask before anything is validated or logged. */
function secretsIn(input, env) {
    return [input('api-key'), (env.DATAFOLD_API_KEY ?? '').trim(), input('github-token')].filter((secret) => secret !== '');
}
function readSettings(input, env) {
    const problems = [];
    const raw = (name) => input(name) || DEFAULTS[name] || '';
    const fail = (message) => {
        problems.push(message);
        return undefined;
    };
    const apiKey = input('api-key') || (env.DATAFOLD_API_KEY ?? '').trim();
    const keySource = input('api-key') ? 'Input api-key' : 'The environment variable DATAFOLD_API_KEY';
    if (apiKey === '') {
        fail('Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set: expected a Datafold API key, for example `api-key: ${{ secrets.DATAFOLD_API_KEY }}`.');
    }
    else if (UNSAFE_KEY.test(apiKey)) {
        fail(`${keySource} contains spaces, line breaks or control characters (value hidden): expected the key exactly as Datafold shows it.`);
    }
    const ciConfigId = positiveInteger('ci-config-id', input('ci-config-id'), fail, true);
    const host = readHost(input('datafold-host'), env.DATAFOLD_HOST, fail);
    const overrides = {};
    const prNumber = positiveInteger('pr-number', input('pr-number'), fail, false);
    if (prNumber !== undefined)
        overrides.pr_number = prNumber;
    for (const [name, key] of [
        ['pr-branch', 'pr_branch'],
        ['base-branch', 'base_branch']
    ]) {
        const value = input(name);
        if (value === '')
            continue;
        const branch = value.replace(/^refs\/heads\//, '');
        if (isBranchName(branch))
            overrides[key] = branch;
        else
            fail(`Input ${name} is "${value}": expected ${EXPECTED[key]}.`);
    }
    for (const [name, key] of [
        ['pr-sha', 'pr_sha'],
        ['base-sha', 'base_sha']
    ]) {
        const value = input(name);
        if (value === '')
            continue;
        if (isSha(value))
            overrides[key] = value.toLowerCase();
        else
            fail(`Input ${name} is "${value}": expected ${EXPECTED[key]}.`);
    }
    const wait = inputs_boolean('wait', raw('wait'), fail);
    const failOnSkip = inputs_boolean('fail-on-skip', raw('fail-on-skip'), fail);
    const showDataDiffs = inputs_boolean('show-data-diffs', raw('show-data-diffs'), fail);
    const failOnDataChanges = inputs_boolean('fail-on-data-changes', raw('fail-on-data-changes'), fail);
    // A gate that cannot look would pass every run: say so rather than pass silently.
    if (failOnDataChanges && showDataDiffs === false) {
        fail('Input fail-on-data-changes is true but show-data-diffs is false: the step can only fail on data changes it reads. Leave show-data-diffs at true, or set fail-on-data-changes to false.');
    }
    if (failOnDataChanges && wait === false) {
        fail('Input fail-on-data-changes is true but wait is false: the step would pass before the data diffs exist. Set wait to true, or fail-on-data-changes to false.');
    }
    const pollInterval = positiveNumber('poll-interval', raw('poll-interval'), 'seconds', MAX_INTERVAL_SECONDS, fail);
    const maxPollInterval = positiveNumber('max-poll-interval', raw('max-poll-interval'), 'seconds', MAX_INTERVAL_SECONDS, fail);
    if (pollInterval !== undefined &&
        maxPollInterval !== undefined &&
        maxPollInterval < pollInterval) {
        fail(`Input max-poll-interval is ${raw('max-poll-interval')}, less than poll-interval ${raw('poll-interval')}: expected max-poll-interval to be at least poll-interval.`);
    }
    const timeoutMinutes = positiveNumber('timeout-minutes', raw('timeout-minutes'), 'minutes', MAX_TIMEOUT_MINUTES, fail);
    const startTimeoutMinutes = positiveNumber('start-timeout-minutes', raw('start-timeout-minutes'), 'minutes', MAX_TIMEOUT_MINUTES, fail);
    const requestTimeout = positiveNumber('request-timeout', raw('request-timeout'), 'seconds', MAX_INTERVAL_SECONDS, fail);
    // Sub-second polling or request limits are for a stand-in on this machine, never a real Datafold.
    if (host && !(0,http/* isLoopbackHost */.cW)(host.hostname)) {
        for (const [name, seconds] of [
            ['poll-interval', pollInterval],
            ['request-timeout', requestTimeout]
        ]) {
            if (seconds !== undefined && seconds < MIN_REMOTE_SECONDS) {
                fail(`Input ${name} is "${raw(name)}": expected at least ${MIN_REMOTE_SECONDS} second against ${host.origin} (shorter values are only for a local stand-in on localhost).`);
            }
        }
    }
    if (problems.length > 0)
        throw new InputError(problems);
    return {
        apiKey,
        ciConfigId: ciConfigId,
        host: host,
        overrides,
        wait: wait,
        pollIntervalMs: pollInterval * 1000,
        maxPollIntervalMs: maxPollInterval * 1000,
        timeoutMs: timeoutMinutes * 60_000,
        startTimeoutMs: startTimeoutMinutes * 60_000,
        requestTimeoutMs: requestTimeout * 1000,
        failOnSkip: failOnSkip,
        showDataDiffs: showDataDiffs,
        failOnDataChanges: failOnDataChanges,
        githubToken: input('github-token')
    };
}
function positiveInteger(name, value, fail, required) {
    if (value === '') {
        return required
            ? fail(`Input ${name} is required: expected a positive integer, for example ${name}: 123.`)
            : undefined;
    }
    const number = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < 1) {
        return fail(`Input ${name} is "${value}": expected a positive integer, for example ${name}: 123.`);
    }
    return number;
}
function positiveNumber(name, value, unit, max, fail) {
    const number = Number(value);
    if (!/^(\d+(\.\d*)?|\.\d+)$/.test(value) || !(number > 0) || number > max) {
        return fail(`Input ${name} is "${value}": expected a number of ${unit} greater than 0 and at most ${max} (decimals allowed).`);
    }
    return number;
}
function inputs_boolean(name, value, fail) {
    if (['true', 'True', 'TRUE'].includes(value))
        return true;
    if (['false', 'False', 'FALSE'].includes(value))
        return false;
    return fail(`Input ${name} is "${value}": expected true or false.`);
}
function readHost(inputValue, envValue, fail) {
    const source = inputValue !== '' ? 'Input datafold-host' : 'The environment variable DATAFOLD_HOST';
    const value = inputValue || (envValue ?? '').trim() || DEFAULT_HOST;
    const expected = 'expected the https address of your Datafold deployment, such as https://app.datafold.com';
    let url;
    try {
        url = new URL(value);
    }
    catch {
        return fail(`${source} is "${value}": ${expected}.`);
    }
    if (url.username || url.password)
        return fail(`${source} contains credentials: ${expected}, with the API key in api-key.`);
    if (url.search || url.hash)
        return fail(`${source} is "${value}": ${expected}, without ? or #.`);
    const loopback = (0,http/* isLoopbackHost */.cW)(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        return fail(`${source} is "${value}": ${expected} (plain http is allowed only for localhost, so the API key never crosses a network unencrypted).`);
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    // The URL parser reads a backslash as a slash; say so rather than guess what was meant.
    if (!PLAIN_PATH.test(url.pathname) || value.includes('\\')) {
        return fail(`${source} is "${value}": ${expected}, with at most a plain path such as /datafold (letters, digits, - . _ ~ between single slashes).`);
    }
    return url;
}

// EXTERNAL MODULE: ./src/verdict.ts
var verdict = __nccwpck_require__(3138);
// EXTERNAL MODULE: ./src/schedule.ts
var schedule = __nccwpck_require__(6318);
;// CONCATENATED MODULE: ./src/wait-for-run.ts




async function waitForRun(options) {
    const { client, clock, log, signal, target } = options;
    let polls = 0;
    let run;
    let followedId = 'ciRunId' in target ? target.ciRunId : undefined;
    let lastStatus;
    const unknownStatuses = new Set();
    const elapsed = () => (0,format/* formatDuration */.a3)(clock.now() - options.startedAtMs);
    const end = (outcome) => ({ outcome, polls });
    const { startDeadlineMs } = options;
    // A run that finishes just before timeout-minutes ends is still seen finished, not timed_out.
    const lastCheck = (0,schedule/* lastCheckMs */.pV)(options.startedAtMs, options.deadlineMs);
    for (;;) {
        if (signal?.aborted)
            return end({ kind: 'aborted', run });
        let runs;
        try {
            runs = await client.listRuns(options.prSha);
            polls++;
        }
        catch (error) {
            if (signal?.aborted)
                return end({ kind: 'aborted', run });
            if (error instanceof datafold_client/* DatafoldError */.OY && error.outOfTime) {
                return end({ kind: 'timed_out', run, reason: error.message });
            }
            return end({ kind: 'error', run, message: error.message });
        }
        if (followedId === undefined && !('ciRunId' in target)) {
            const created = newestNewRun(runs, target.existingRunIds, target.prNumber);
            if (created) {
                followedId = created.id;
                log.info(`Following Datafold CI run ${created.id}, the one created for this commit by the trigger.`);
            }
        }
        const current = followedId === undefined ? undefined : runs.find((r) => r.id === followedId);
        if (current) {
            run = current;
            if (current.status !== lastStatus) {
                lastStatus = current.status;
                log.info(`Datafold CI run ${current.id} is ${current.status} (after ${elapsed()}).`);
                if (!(0,verdict/* isKnownStatus */.ih)(current.status) && !unknownStatuses.has(current.status)) {
                    unknownStatuses.add(current.status);
                    log.notice(`Datafold reported status "${current.status}", which this action does not know; treating the run as still in progress.`);
                }
            }
            const conclusion = (0,verdict/* conclusionOf */.vu)(current.status);
            if (conclusion === 'success' || conclusion === 'failure' || conclusion === 'cancelled') {
                return end({ kind: 'finished', run: current, conclusion });
            }
        }
        else if (followedId !== undefined) {
            log.debug(`Datafold CI run ${followedId} is not in the list for ${options.prSha} yet (check ${polls}); waiting.`);
        }
        else {
            log.debug(`No new Datafold CI run for ${options.prSha} yet (check ${polls}).`);
        }
        const now = clock.now();
        if (followedId === undefined && now >= startDeadlineMs)
            return end({ kind: 'not_started' });
        if (now >= lastCheck)
            return end({ kind: 'timed_out', run });
        let delay = (0,schedule/* nextPollDelayMs */.Gc)(now - options.startedAtMs, options.schedule);
        delay = Math.min(delay, lastCheck - now);
        if (followedId === undefined)
            delay = Math.min(delay, startDeadlineMs - now);
        await clock.sleep(delay, signal);
        if (signal?.aborted)
            return end({ kind: 'aborted', run });
    }
}
/** The newest run of this pull request that did not exist before the trigger. */
function newestNewRun(runs, existing, prNumber) {
    return runs
        .filter((r) => !existing.has(r.id))
        .filter((r) => r.pr_num === undefined || String(r.pr_num) === String(prNumber))
        .reduce((newest, r) => (newest === undefined || r.id > newest.id ? r : newest), undefined);
}

;// CONCATENATED MODULE: ./src/main.ts









/**
 * How long past timeout-minutes the step may run before it stops waiting for its own work. Every
 * request and sleep is already bounded by the deadline; this catches one that is not (a bug).
 */
const GRACE_MS = 15_000;
/** Writing the job summary gets this long; a stuck file system must not hold the verdict. */
const SUMMARY_LIMIT_MS = 10_000;
// Loaded when first needed, so a step that stops on a bad input never parses them (the bundle
// puts each in a chunk of its own; README, Performance): the data diffs only after a run ended,
// the summary only once there is something to report.
const dataDiffsModule = () => __nccwpck_require__.e(/* import() */ 978).then(__nccwpck_require__.bind(__nccwpck_require__, 9978));
const readDataDiffsModule = () => __nccwpck_require__.e(/* import() */ 685).then(__nccwpck_require__.bind(__nccwpck_require__, 9685));
const summaryModule = () => __nccwpck_require__.e(/* import() */ 855).then(__nccwpck_require__.bind(__nccwpck_require__, 8855));
const SKIP_REASONS = [
    'the head commit message contains datafold-skip-ci;',
    'the CI config requires a "datafold" label that the pull request does not have;',
    "every changed file matches the CI config's ignore patterns;",
    'the base branch is not the one the CI config checks.'
];
function skipNote(failOnSkip) {
    return failOnSkip
        ? 'fail-on-skip is true, so the step fails.'
        : 'The step passes; set fail-on-skip: true to fail it instead.';
}
/** Runs the step; resolves to the process exit code. */
async function run(deps) {
    const { toolkit, env, clock } = deps;
    const startedAtMs = clock.now();
    let phase = 'reading the inputs';
    const enter = (text) => {
        phase = text;
        deps.phase?.(text);
    };
    enter(phase);
    secretsIn(toolkit.input, env).forEach((secret) => toolkit.mask(secret));
    let settings;
    try {
        settings = readSettings(toolkit.input, env);
    }
    catch (error) {
        if (!(error instanceof InputError))
            throw error;
        error.problems.forEach((problem) => toolkit.error(problem));
        return 1;
    }
    const progress = { polls: 0 };
    const limitMs = settings.timeoutMs + (deps.graceMs ?? GRACE_MS);
    const ending = await withinTimeLimit(execute(settings, deps, progress, startedAtMs, enter), limitMs, () => `The step was still ${phase} ${(0,format/* formatDuration */.a3)(limitMs - settings.timeoutMs)} after timeout-minutes (${(0,format/* formatDuration */.a3)(settings.timeoutMs)}) ended: a wait that should have ended did not. Stopping without a verdict.`).catch((error) => {
        if (error instanceof TimeLimitError)
            return { kind: 'error', message: error.message };
        throw error;
    });
    enter('writing the outputs and the job summary');
    try {
        return await finish(ending, settings, deps, progress, clock.now() - startedAtMs);
    }
    catch (error) {
        // Reporting failed half way: whatever the verdict was, it was not delivered whole.
        toolkit.error(`The step failed while writing its outputs and summary, so it fails rather than pass without a verdict: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return 1;
    }
}
async function execute(settings, deps, progress, startedAtMs, enter) {
    const { toolkit, clock, signal } = deps;
    const deadlineMs = startedAtMs + settings.timeoutMs;
    const client = new datafold_client/* DatafoldClient */.rF({
        host: settings.host,
        apiKey: settings.apiKey,
        ciConfigId: settings.ciConfigId,
        clock,
        log: toolkit,
        deadlineMs,
        requestTimeoutMs: settings.requestTimeoutMs,
        signal,
        transport: deps.transport,
        random: deps.random
    });
    try {
        const found = await toolkit.group('Pull request', async () => {
            enter('reading the pull request from the event');
            const event = readEventContext(deps.env);
            progress.event = event;
            let fromEvent = detailsFromPayload(event);
            if (needsLookup(event, settings.overrides)) {
                enter('looking up the pull request through the GitHub API');
                const lookup = await lookUpPullRequest({
                    event,
                    token: settings.githubToken,
                    overrides: settings.overrides,
                    log: toolkit,
                    timeoutMs: settings.requestTimeoutMs,
                    clock,
                    deadlineMs,
                    signal,
                    random: deps.random
                });
                if (lookup.kind === 'none')
                    return lookup;
                fromEvent = lookup.details;
            }
            const details = completeDetails(event, fromEvent, settings.overrides);
            toolkit.info(`Pull request #${details.pr_number}: ${details.pr_branch} (${details.pr_sha}) into ${details.base_branch} (${details.base_sha}).`);
            return details;
        });
        if ('kind' in found)
            return { kind: 'no_pull_request', reason: found.reason };
        const pr = found;
        progress.pr = pr;
        const target = await toolkit.group('Trigger Datafold CI', async () => {
            // Runs that already exist for this commit, so a trigger that returns no id (or whose answer
            // is lost) can still be matched to the run it created, and an older run is never mistaken
            // for it.
            enter('listing the runs of the commit before the trigger');
            const existing = settings.wait
                ? new Set((await client.listRuns(pr.pr_sha, { firstContact: true })).map((r) => r.id))
                : new Set();
            toolkit.debug(`Runs already listed for ${pr.pr_sha}: ${[...existing].join(', ') || 'none'}.`);
            toolkit.info(`Triggering CI config ${settings.ciConfigId} on ${settings.host.origin}.`);
            enter("waiting for Datafold's answer to the trigger");
            progress.triggerSent = true;
            let trigger;
            try {
                trigger = await client.trigger(pr);
            }
            catch (error) {
                if (!(error instanceof datafold_client/* DatafoldError */.OY) || signal?.aborted)
                    throw error;
                // From here on "sent" means Datafold may have it: not after a refused connection or an
                // HTTP error, which say it started nothing.
                progress.triggerSent = error.mayHaveStarted;
                if (!error.mayHaveStarted || error.outOfTime || !settings.wait)
                    throw error;
                // Sending it again could start a second run; the run it may have started is found by
                // looking for a new run of this commit, as for a trigger that names none.
                progress.triggerLost = error.message;
                toolkit.warning(`${error.message} Datafold may have started a run anyway, so the trigger is not sent again; looking for a new run of ${(0,format/* shortSha */.Fu)(pr.pr_sha)} instead.`);
                const lostTarget = { existingRunIds: existing, prNumber: pr.pr_number };
                return lostTarget;
            }
            progress.trigger = trigger;
            if (trigger.ciRunId !== null)
                await toolkit.setOutput('ci-run-id', String(trigger.ciRunId));
            if (trigger.runId !== null)
                await toolkit.setOutput('run-id', String(trigger.runId));
            toolkit.info(trigger.ciRunId !== null
                ? `Datafold started CI run ${trigger.ciRunId}${trigger.runId !== null ? ` (run_id ${trigger.runId})` : ''}.`
                : 'Datafold accepted the trigger without naming a run; looking for the run it creates.');
            const runTarget = trigger.ciRunId !== null
                ? { ciRunId: trigger.ciRunId }
                : { existingRunIds: existing, prNumber: pr.pr_number };
            return runTarget;
        });
        if (!settings.wait)
            return { kind: 'triggered' };
        enter('waiting for the Datafold CI run to finish');
        const result = await toolkit.group('Wait for the Datafold CI run', () => waitForRun({
            client,
            prSha: pr.pr_sha,
            target,
            clock,
            schedule: settings,
            startedAtMs,
            deadlineMs,
            startDeadlineMs: clock.now() + settings.startTimeoutMs,
            signal,
            log: toolkit
        }));
        progress.polls = result.polls;
        const outcome = result.outcome;
        if (outcome.kind !== 'not_started')
            progress.run = outcome.run;
        if (outcome.kind === 'aborted')
            return { kind: 'workflow_cancelled' };
        if (outcome.kind === 'error')
            return { kind: 'error', message: outcome.message };
        // What the run found in the data; after done or failed only (a cancelled run compared nothing
        // worth showing). Informational unless fail-on-data-changes makes it part of the verdict.
        if (outcome.kind === 'finished' &&
            outcome.conclusion !== 'cancelled' &&
            settings.showDataDiffs) {
            enter("reading the Datafold CI run's data diffs");
            const ciRunId = outcome.run.id;
            const { readDataDiffs } = await readDataDiffsModule();
            const read = await toolkit.group('Data diffs', () => readDataDiffs({
                client,
                ciRunId,
                untilSettled: settings.failOnDataChanges && outcome.conclusion === 'success',
                host: settings.host,
                clock,
                schedule: settings,
                startedAtMs,
                deadlineMs,
                signal,
                log: toolkit
            }));
            if ('aborted' in read)
                return { kind: 'workflow_cancelled' };
            progress.dataDiffs = read;
        }
        return { kind: 'waited', outcome };
    }
    catch (error) {
        if (signal?.aborted)
            return { kind: 'workflow_cancelled' };
        // Datafold or GitHub stayed unreachable (or kept answering 5xx) until timeout-minutes ran out.
        if ((error instanceof datafold_client/* DatafoldError */.OY || error instanceof EventError) && error.outOfTime) {
            return { kind: 'waited', outcome: { kind: 'timed_out', reason: error.message } };
        }
        if (error instanceof datafold_client/* DatafoldError */.OY && error.mayHaveStarted) {
            return {
                kind: 'error',
                message: `${error.message} Datafold may have started a CI run for this commit anyway; look in Datafold before you re-run the job.`
            };
        }
        if (error instanceof datafold_client/* DatafoldError */.OY ||
            error instanceof EventError ||
            error instanceof http/* NetworkError */.Dr) {
            return { kind: 'error', message: error.message };
        }
        return {
            kind: 'error',
            message: `Unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
        };
    }
}
/** The verdict: outputs first, then the summary, then the log line and the exit code. */
async function finish(ending, settings, deps, progress, waitedMs) {
    const { toolkit } = deps;
    const { pr, run } = progress;
    const diffs = progress.dataDiffs !== undefined || settings.failOnDataChanges
        ? await dataDiffsModule()
        : undefined;
    const runName = run
        ? `Datafold CI run ${run.id}`
        : progress.trigger?.ciRunId
            ? `Datafold CI run ${progress.trigger.ciRunId}`
            : 'The Datafold CI run';
    const prName = pr
        ? `pull request #${pr.pr_number} (${pr.pr_branch} at ${(0,format/* shortSha */.Fu)(pr.pr_sha)})`
        : 'the pull request';
    const lastStatus = run?.status;
    let conclusion;
    let title;
    let message;
    switch (ending.kind) {
        case 'triggered':
            title = 'Datafold CI triggered';
            message = `${runName} was started for ${prName}; the step did not wait for it (wait: false).`;
            break;
        case 'no_pull_request':
            conclusion = 'skipped';
            title = 'No pull request to check';
            message = [ending.reason, '', skipNote(settings.failOnSkip)].join('\n');
            break;
        case 'workflow_cancelled':
            title = 'Stopped: the workflow was cancelled';
            message = !progress.triggerSent
                ? 'Cancelled by the workflow before Datafold CI was triggered; nothing was started in Datafold.'
                : !progress.trigger
                    ? 'Cancelled by the workflow while waiting for the answer to the trigger; Datafold may have started a CI run for this commit.'
                    : lastStatus !== undefined && (0,verdict/* conclusionOf */.vu)(lastStatus) !== undefined
                        ? `Cancelled by the workflow while reading the data diffs of ${runName.replace(/^The/, 'the')}, which ended with status ${lastStatus}.`
                        : `Cancelled by the workflow; ${runName.replace(/^The/, 'the')} keeps running in Datafold, last status ${lastStatus ?? 'unknown'}.`;
            break;
        case 'error':
            title = 'Datafold CI could not run';
            message = ending.message;
            break;
        case 'waited': {
            const outcome = ending.outcome;
            switch (outcome.kind) {
                case 'finished':
                    conclusion = outcome.conclusion;
                    title = {
                        success: 'Datafold CI passed',
                        failure: 'Datafold CI failed',
                        cancelled: 'Datafold CI run was cancelled'
                    }[outcome.conclusion];
                    message = {
                        success: `${runName} for ${prName} finished with status ${outcome.run.status}.`,
                        failure: `${runName} for ${prName} finished with status ${outcome.run.status}. Open the run in Datafold to see what failed.`,
                        cancelled: `${runName} for ${prName} was cancelled in Datafold (status ${outcome.run.status}). Datafold cancels the runs of commits that a newer push superseded; the newer commit's check carries the verdict.`
                    }[outcome.conclusion];
                    if (outcome.conclusion === 'success' && diffs && settings.failOnDataChanges) {
                        // The gate: a done run passes only when every one of its diffs was read and is
                        // identical or empty. Anything less proves nothing, so it fails.
                        const problems = diffs.dataChangeProblems(progress.dataDiffs);
                        if (problems.length > 0) {
                            conclusion = 'failure';
                            const changed = progress.dataDiffs?.diffs?.some((diff) => diffs.standingOf(diff) === 'changed');
                            title = changed
                                ? 'Datafold CI found data changes'
                                : 'Datafold CI could not show the data unchanged';
                            message = [
                                `${runName} for ${prName} finished with status ${outcome.run.status}, but fail-on-data-changes is true and`,
                                ...problems.map((problem) => `- ${problem}`)
                            ].join('\n');
                        }
                    }
                    break;
                case 'timed_out': {
                    conclusion = 'timed_out';
                    title = 'Datafold CI did not finish in time';
                    // Say how long the step really waited: a Retry-After longer than the time left ends
                    // the wait before timeout-minutes has passed.
                    const when = `after ${(0,format/* formatDuration */.a3)(waitedMs)} (timeout-minutes is ${(0,format/* formatDuration */.a3)(settings.timeoutMs)})`;
                    const what = run || progress.trigger?.ciRunId != null
                        ? `${runName} for ${prName} had no final status ${when}; last status ${lastStatus ?? 'unknown'}.`
                        : progress.triggerLost
                            ? `The answer to the trigger was lost (${progress.triggerLost}), and no new Datafold CI run for ${prName} had appeared ${when}.`
                            : progress.trigger
                                ? `Datafold named no run for ${prName} and none had appeared ${when}, before start-timeout-minutes (${(0,format/* formatDuration */.a3)(settings.startTimeoutMs)}) could show that it started none.`
                                : progress.triggerSent
                                    ? `Datafold had not answered the trigger for ${prName} ${when}; Datafold may have started a CI run for this commit.`
                                    : `Datafold CI could not be triggered for ${prName}: the step stopped ${when}.`;
                    message = what + (outcome.reason ? `\nLast problem: ${outcome.reason}` : '');
                    break;
                }
                case 'not_started':
                    if (progress.triggerLost) {
                        title = 'Datafold CI could not run';
                        message = `The answer to the trigger was lost (${progress.triggerLost}), and no new Datafold CI run for ${prName} appeared within start-timeout-minutes (${(0,format/* formatDuration */.a3)(settings.startTimeoutMs)}). Datafold may not have received the trigger; re-run the job.`;
                        break;
                    }
                    conclusion = 'skipped';
                    title = 'Datafold CI started no run';
                    message = [
                        `Datafold started no CI run for ${prName} within start-timeout-minutes (${(0,format/* formatDuration */.a3)(settings.startTimeoutMs)}). Datafold skips a commit when:`,
                        ...SKIP_REASONS.map((reason) => `- ${reason}`),
                        '',
                        skipNote(settings.failOnSkip)
                    ].join('\n');
                    break;
            }
        }
    }
    // A trigger that named no run leaves ci-run-id unset until the run is found in the list.
    if (run && progress.trigger?.ciRunId == null)
        await toolkit.setOutput('ci-run-id', String(run.id));
    if (run)
        await toolkit.setOutput('status', run.status);
    if (conclusion)
        await toolkit.setOutput('conclusion', conclusion);
    // Only a list known to be whole: a partial one would say "nothing changed" about tables it lacks.
    const reading = progress.dataDiffs;
    if (diffs && reading?.diffs && !reading.incomplete && !reading.problem) {
        const changed = reading.diffs.filter((diff) => diffs.standingOf(diff) === 'changed').length;
        const list = JSON.stringify(diffs.diffOutputs(reading.diffs, settings.host));
        await toolkit.setOutput('data-diffs', list);
        await toolkit.setOutput('data-diffs-changed', String(changed));
    }
    const report = {
        title,
        message,
        host: settings.host,
        ciConfigId: settings.ciConfigId,
        pr,
        prUrl: pr && progress.event ? pullRequestUrl(progress.event, pr.pr_number) : undefined,
        ciRunId: progress.trigger?.ciRunId ?? (run ? run.id : progress.trigger ? null : undefined),
        triggerSent: progress.triggerSent ?? false,
        runId: progress.trigger?.runId,
        status: lastStatus,
        conclusion,
        waitedMs,
        polls: progress.polls,
        dataDiffs: progress.dataDiffs
    };
    const { renderSummary } = await summaryModule();
    const markdown = renderSummary(report, toolkit.redact);
    try {
        await withinTimeLimit(toolkit.appendSummary(markdown), SUMMARY_LIMIT_MS, () => `writing it took more than ${(0,format/* formatDuration */.a3)(SUMMARY_LIMIT_MS)}`);
    }
    catch (error) {
        toolkit.warning(`Could not write the job summary: ${error.message}`);
    }
    const passed = ending.kind === 'triggered' ||
        (conclusion !== undefined && (0,verdict/* passes */.WE)(conclusion, settings.failOnSkip));
    if (passed) {
        if (conclusion === 'skipped')
            toolkit.warning(message);
        else
            toolkit.info(message);
        return 0;
    }
    toolkit.error(message);
    return 1;
}

// EXTERNAL MODULE: ./src/redact.ts
var redact = __nccwpck_require__(6670);
;// CONCATENATED MODULE: ./src/toolkit.ts
/**
 * The runner's side of the step: inputs, masks, log lines, groups, outputs and the job summary.
 *
 * Workflow commands (`::error::`, `::group::`, `::add-mask::` ...) are formatted here, escaped the
 * way @actions/core escapes them, and written straight to file descriptor 1: @actions/core writes
 * through process.stdout, which on the runner's pipe builds a socket and Node's stream machinery at
 * first use, a cost paid by every step. Outputs and the job summary use @actions/core's own writers
 * (the output file's random delimiter, the summary file), imported when first used, so a step that
 * stops on a bad input never loads them or node:crypto. They are imported from their files, not the
 * package entry point, which would also load the OIDC client and undici (about 0.9 MB) for code this
 * action never calls; the package's `exports` map hides those files, hence the plain paths.
 *
 * Every line, output and summary passes through `scrub`, so a registered secret never leaves the
 * process, even in text Datafold sent back (the runner's own masking covers the log only).
 */


const fileCommands = () => __nccwpck_require__.e(/* import() */ 841).then(__nccwpck_require__.bind(__nccwpck_require__, 841));
const summaryWriter = () => __nccwpck_require__.e(/* import() */ 170).then(__nccwpck_require__.bind(__nccwpck_require__, 1170));
/**
 * Text from Datafold or GitHub (a status, an error body) must never issue a workflow command. The
 * runner reads `::name::` at the start of a line (after any .NET whitespace, which includes U+0085)
 * and the older `##[name]` anywhere in a line; both are broken up here.
 */
function defuse(text) {
    return text.replace(/^([\s\u0085]*)::/gm, '$1: :').replace(/##\[/g, '# #[');
}
/** `::name key=value::message`, escaped like @actions/core so a message is always one line. */
function workflowCommand(name, message = '', properties = {}) {
    const escapeData = (text) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const escapeProperty = (text) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
    const props = Object.entries(properties)
        .map(([key, value]) => `${key}=${escapeProperty(value)}`)
        .join(',');
    return `::${name}${props ? ` ${props}` : ''}::${escapeData(message)}`;
}
/** Writes all of `text` to stdout's descriptor, waiting out a full non-blocking pipe. */
function writeToStdout(text) {
    const bytes = Buffer.from(text, 'utf8');
    for (let offset = 0; offset < bytes.length;) {
        try {
            offset += (0,external_node_fs_namespaceObject.writeSync)(1, bytes, offset);
        }
        catch (error) {
            if (error.code !== 'EAGAIN')
                throw error;
        }
    }
}
/**
 * `env` supplies the inputs and says whether the runner gave output and summary files; the files
 * themselves are written by @actions/core, which reads their paths from process.env, so the two
 * must agree (they are the same object in the action; tests set both).
 */
function createToolkit(env = process.env, write = writeToStdout) {
    const secrets = [];
    const scrub = (text) => (0,redact/* redact */.E$)(text, secrets);
    let outputFailed = false;
    const line = (text) => write(`${text}\n`);
    const command = (name, message, properties) => line(workflowCommand(name, defuse(scrub(message)), properties));
    return {
        input: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
        mask(secret) {
            if (secret === '' || secrets.includes(secret))
                return;
            secrets.push(secret);
            for (const form of (0,redact/* secretForms */.eo)(secret))
                line(workflowCommand('add-mask', form));
        },
        redact: scrub,
        debug: (message) => command('debug', message),
        info: (message) => line(defuse(scrub(message))),
        notice: (message) => command('notice', message),
        warning: (message) => command('warning', message),
        error: (message) => command('error', message),
        async group(name, work) {
            command('group', name);
            try {
                return await work();
            }
            finally {
                command('endgroup', '');
            }
        },
        async setOutput(name, value) {
            try {
                if (env.GITHUB_OUTPUT) {
                    const { issueFileCommand, prepareKeyValueMessage } = await fileCommands();
                    issueFileCommand('OUTPUT', prepareKeyValueMessage(name, scrub(value)));
                }
                else {
                    // Runners older than the output file read this command from the log instead.
                    command('set-output', value, { name });
                }
            }
            catch (error) {
                if (outputFailed)
                    return;
                outputFailed = true;
                command('warning', `Could not set output ${name} (GITHUB_OUTPUT is ${env.GITHUB_OUTPUT ?? 'not set'}): ${error.message}. Outputs are left unset; the verdict and the job summary still follow.`);
            }
        },
        async appendSummary(markdown) {
            if (!env.GITHUB_STEP_SUMMARY)
                return;
            const { summary } = await summaryWriter();
            await summary.addRaw(scrub(markdown), true).write();
            summary.emptyBuffer();
        }
    };
}

;// CONCATENATED MODULE: ./src/index.ts
/** Entry point of the bundled action: wires the real runner, clock and signals into main.run. */




const toolkit = createToolkit();
// Exit code 1 from here on; only a verdict from run() changes it (fail-closed.ts).
const guard = failClosed(process, (message) => toolkit.error(message));
// The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it. Stop waiting at
// the first signal; main writes the outputs and summary it can, and the timer below bounds that.
const CANCEL_GRACE_MS = 1_500;
// After the verdict, anything still holding the event loop (a socket a server keeps open, say)
// gets this long before the process exits anyway.
const EXIT_GRACE_MS = 2_000;
const cancelled = new AbortController();
const onSignal = () => {
    if (cancelled.signal.aborted)
        return;
    cancelled.abort();
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// No top-level await: the bundle is CommonJS (see src/index.cjs).
void run({
    toolkit,
    env: process.env,
    clock: systemClock,
    signal: cancelled.signal,
    phase: guard.phase
}).then((exitCode) => {
    guard.conclude(cancelled.signal.aborted ? exitCode || 1 : exitCode);
    if (cancelled.signal.aborted)
        process.exit();
    setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}, (error) => {
    toolkit.error(`Unexpected error; failing the step. ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    guard.conclude(1);
    process.exit();
});


/***/ }),

/***/ 8301:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ isObject),
/* harmony export */   q: () => (/* binding */ parseJson)
/* harmony export */ });
/** Reading JSON from outside: nothing in it is trusted until checked. */
/** The parsed value, or undefined when `text` is not JSON. */
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
/** A plain JSON object (not null, not an array). */
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}


/***/ }),

/***/ 6670:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E$: () => (/* binding */ redact),
/* harmony export */   eo: () => (/* binding */ secretForms)
/* harmony export */ });
/* unused harmony export REDACTED */
/**
 * Removing secrets from text. A server that echoes a request back (an error page, a debug answer)
 * may return the key escaped for its own format, so every form a key takes in JSON, URLs and HTML
 * is removed, not just the key as sent.
 */
const REDACTED = '***';
const HTML_ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '"': '&quot;',
    "'": '&#39;'
};
/** The secret as sent, JSON-escaped (also with `\/`), URL-encoded (both hex cases), HTML-escaped. */
function secretForms(secret) {
    if (secret === '')
        return [];
    const json = JSON.stringify(secret).slice(1, -1);
    const url = encodeURIComponent(secret);
    const forms = [
        secret,
        json,
        json.replace(/\//g, '\\/'),
        url,
        url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
        secret.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char])
    ];
    return [...new Set(forms)];
}
/** `text` with every form of every secret replaced by ***; longest forms first. */
function redact(text, secrets) {
    const forms = secrets.flatMap(secretForms).sort((a, b) => b.length - a.length);
    return forms.reduce((out, form) => out.split(form).join(REDACTED), text);
}


/***/ }),

/***/ 9809:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ko: () => (/* binding */ retryWaitMs),
/* harmony export */   LK: () => (/* binding */ isRetryableTrigger),
/* harmony export */   PB: () => (/* binding */ isAmbiguousTrigger),
/* harmony export */   bV: () => (/* binding */ isRetryableRead),
/* harmony export */   mT: () => (/* binding */ isRetryableDiffRead),
/* harmony export */   mu: () => (/* binding */ parseRetryAfter),
/* harmony export */   u4: () => (/* binding */ LAST_ATTEMPT_MS)
/* harmony export */ });
/* unused harmony exports RETRY_BASE_MS, RETRY_MAX_BACKOFF_MS, RETRY_AFTER_CAP_MS, backoffDelayMs */
/**
 * When a failed request is worth repeating, and how long to wait first: bounded exponential backoff
 * with full jitter, `Retry-After` honoured up to a cap, and never a wait past the step's deadline.
 * Pure functions; the loop that uses them lives in the Datafold client.
 */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_BACKOFF_MS = 30_000;
const RETRY_AFTER_CAP_MS = 120_000;
/** The least time worth giving a last attempt before the deadline. */
const LAST_ATTEMPT_MS = 1_000;
/** Full jitter: a uniform draw from [0, min(cap, base * 2^attempt)). `attempt` counts from 0. */
function backoffDelayMs(attempt, random = Math.random) {
    const ceiling = Math.min(RETRY_MAX_BACKOFF_MS, RETRY_BASE_MS * 2 ** Math.min(attempt, 30));
    return Math.floor(random() * ceiling);
}
/** `Retry-After` as milliseconds from `nowMs`: delta-seconds or an HTTP date; undefined if unusable. */
function parseRetryAfter(value, nowMs) {
    const text = (Array.isArray(value) ? value[0] : value)?.trim();
    if (!text)
        return undefined;
    if (/^\d+$/.test(text))
        return Math.min(Number(text) * 1000, RETRY_AFTER_CAP_MS);
    // Every HTTP-date form starts with a day name. Date.parse alone takes "1.5" or "-5" for dates in
    // 2001, which would turn a malformed header into an immediate retry.
    const date = /^[a-z]{3}/i.test(text) ? Date.parse(text) : NaN;
    if (Number.isNaN(date))
        return undefined;
    return Math.min(Math.max(0, date - nowMs), RETRY_AFTER_CAP_MS);
}
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);
// Network faults that the same request will meet again: an untrusted TLS certificate (a missing
// corporate CA, say) or an answer http.ts refuses. Retrying them would only hold the step until
// timeout-minutes before it reports what was clear at the first try.
const PERMANENT_NETWORK_CODES = new Set([
    'EREDIRECT_INSECURE',
    'EREDIRECT_POST',
    'EREDIRECTS',
    'EBODYTOOLARGE',
    'CERT_HAS_EXPIRED',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'ERR_TLS_CERT_ALTNAME_INVALID'
]);
/** Status checks are reads: repeating one is always safe, and worth it unless the fault is permanent. */
function isRetryableRead(fault) {
    if (fault.kind === 'status')
        return TRANSIENT_STATUSES.has(fault.status);
    if (fault.kind === 'network')
        return fault.code !== 'EABORTED' && !PERMANENT_NETWORK_CODES.has(fault.code);
    return true;
}
/**
 * Reading a finished run's data diffs: network faults and HTTP statuses as for a status check, but
 * of the answers that cannot be read only JSON cut short is retried. An HTML page or JSON of
 * another shape is what this Datafold serves at that address (a deployment without the endpoint,
 * a single sign-on page), and the run's verdict should not wait on it for the rest of
 * timeout-minutes.
 */
function isRetryableDiffRead(fault) {
    if (fault.kind === 'bad-answer')
        return fault.json && !fault.parsed;
    return isRetryableRead(fault);
}
/**
 * The trigger starts a Datafold run, so it is repeated only where the first attempt certainly or
 * most likely started none: the connection was never made (refused, DNS), the server said it is
 * rate limiting before doing anything (429), or a gateway in front of Datafold could not hand the
 * request over (502, 503). A 504 is not repeated: the gateway gave up waiting for Datafold, which
 * may still have started a run. That, a reset or a timeout mid-request, or an answer cut off, leave
 * the trigger's fate unknown, and the client reports them so (see `isAmbiguousTrigger`); the step
 * then looks for the run instead of sending a second trigger.
 */
function isRetryableTrigger(fault) {
    if (fault.kind === 'network')
        return fault.notSent && fault.code !== 'EABORTED';
    if (fault.kind === 'status')
        return [429, 502, 503].includes(fault.status);
    return false;
}
/**
 * Faults after which Datafold may have acted on the trigger although the step cannot tell: the
 * request reached it but the answer was lost (reset, timeout, cut off, a gateway timeout) or could
 * not be read.
 */
function isAmbiguousTrigger(fault) {
    if (fault.kind === 'network')
        return !fault.notSent;
    if (fault.kind === 'status')
        return fault.status === 504;
    return true;
}
/**
 * The wait before the next attempt, or undefined when the deadline leaves no room for one.
 * A backoff that would cross the deadline is shortened so one last attempt still gets
 * LAST_ATTEMPT_MS before it; a Retry-After that crosses it ends the retries, since the server
 * said it will not answer sooner.
 */
function retryWaitMs(args) {
    const latest = args.deadlineMs - args.nowMs - LAST_ATTEMPT_MS;
    // Retry-After is a floor, not a replacement: a server that keeps answering `Retry-After: 0`
    // still gets the growing backoff instead of a tight loop.
    const backoff = backoffDelayMs(args.attempt, args.random);
    if (args.retryAfterMs !== undefined && args.retryAfterMs > latest)
        return undefined;
    if (latest <= 0)
        return undefined;
    return Math.min(Math.max(args.retryAfterMs ?? 0, backoff), latest);
}


/***/ }),

/***/ 6318:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Gc: () => (/* binding */ nextPollDelayMs),
/* harmony export */   pV: () => (/* binding */ lastCheckMs)
/* harmony export */ });
/* unused harmony export GROWTH */
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9809);
/**
 * How long to wait before the next status check. The wait starts at `poll-interval` and grows with
 * the time already waited, so a short run is noticed within seconds and a long one costs few calls:
 * the delay between a run finishing and the action noticing stays under
 * max(poll-interval, GROWTH x the run's duration), and never above `max-poll-interval`.
 */

const GROWTH = 0.1;
function nextPollDelayMs(waitedMs, schedule) {
    const grown = Math.max(schedule.pollIntervalMs, waitedMs * GROWTH);
    return Math.min(grown, schedule.maxPollIntervalMs);
}
/**
 * When the last status check starts: a little before the deadline (a second, or a twentieth of a
 * very short timeout), so a run that finishes just before timeout-minutes ends is still seen.
 */
function lastCheckMs(startedAtMs, deadlineMs) {
    return deadlineMs - Math.min(_retry_js__WEBPACK_IMPORTED_MODULE_0__/* .LAST_ATTEMPT_MS */ .u4, (deadlineMs - startedAtMs) / 20);
}


/***/ }),

/***/ 3138:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

"use strict";
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   WE: () => (/* binding */ passes),
/* harmony export */   ih: () => (/* binding */ isKnownStatus),
/* harmony export */   nQ: () => (/* binding */ CONCLUSION_ICONS),
/* harmony export */   vu: () => (/* binding */ conclusionOf)
/* harmony export */ });
/* unused harmony export RUNNING_STATUSES */
/** Statuses Datafold documents for a run that has not finished. */
const RUNNING_STATUSES = ['waiting', 'queued', 'processing'];
const TERMINAL = {
    done: 'success',
    failed: 'failure',
    cancelled: 'cancelled'
};
/** The conclusion for a final status, or undefined while the run is still going (or unknown). */
function conclusionOf(status) {
    const normalized = status.trim().toLowerCase();
    // Own keys only: "constructor" or "__proto__" from a server must not read Object's prototype.
    return Object.hasOwn(TERMINAL, normalized) ? TERMINAL[normalized] : undefined;
}
function isKnownStatus(status) {
    const normalized = status.trim().toLowerCase();
    return Object.hasOwn(TERMINAL, normalized) || RUNNING_STATUSES.includes(normalized);
}
/** Whether the step passes with this conclusion. */
function passes(conclusion, failOnSkip) {
    return conclusion === 'success' || (conclusion === 'skipped' && !failOnSkip);
}
const CONCLUSION_ICONS = {
    success: '✅',
    failure: '❌',
    cancelled: '🚫',
    timed_out: '⏱️',
    skipped: '⏭️'
};


/***/ }),

/***/ 2613:
/***/ ((module) => {

"use strict";
module.exports = require("assert");

/***/ }),

/***/ 6982:
/***/ ((module) => {

"use strict";
module.exports = require("crypto");

/***/ }),

/***/ 4434:
/***/ ((module) => {

"use strict";
module.exports = require("events");

/***/ }),

/***/ 9896:
/***/ ((module) => {

"use strict";
module.exports = require("fs");

/***/ }),

/***/ 8611:
/***/ ((module) => {

"use strict";
module.exports = require("http");

/***/ }),

/***/ 5692:
/***/ ((module) => {

"use strict";
module.exports = require("https");

/***/ }),

/***/ 9278:
/***/ ((module) => {

"use strict";
module.exports = require("net");

/***/ }),

/***/ 4589:
/***/ ((module) => {

"use strict";
module.exports = require("node:assert");

/***/ }),

/***/ 6698:
/***/ ((module) => {

"use strict";
module.exports = require("node:async_hooks");

/***/ }),

/***/ 4573:
/***/ ((module) => {

"use strict";
module.exports = require("node:buffer");

/***/ }),

/***/ 7540:
/***/ ((module) => {

"use strict";
module.exports = require("node:console");

/***/ }),

/***/ 7598:
/***/ ((module) => {

"use strict";
module.exports = require("node:crypto");

/***/ }),

/***/ 3053:
/***/ ((module) => {

"use strict";
module.exports = require("node:diagnostics_channel");

/***/ }),

/***/ 610:
/***/ ((module) => {

"use strict";
module.exports = require("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

"use strict";
module.exports = require("node:events");

/***/ }),

/***/ 7067:
/***/ ((module) => {

"use strict";
module.exports = require("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

"use strict";
module.exports = require("node:http2");

/***/ }),

/***/ 4708:
/***/ ((module) => {

"use strict";
module.exports = require("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

"use strict";
module.exports = require("node:net");

/***/ }),

/***/ 643:
/***/ ((module) => {

"use strict";
module.exports = require("node:perf_hooks");

/***/ }),

/***/ 1792:
/***/ ((module) => {

"use strict";
module.exports = require("node:querystring");

/***/ }),

/***/ 7075:
/***/ ((module) => {

"use strict";
module.exports = require("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

"use strict";
module.exports = require("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

"use strict";
module.exports = require("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

"use strict";
module.exports = require("node:util");

/***/ }),

/***/ 3429:
/***/ ((module) => {

"use strict";
module.exports = require("node:util/types");

/***/ }),

/***/ 5919:
/***/ ((module) => {

"use strict";
module.exports = require("node:worker_threads");

/***/ }),

/***/ 8522:
/***/ ((module) => {

"use strict";
module.exports = require("node:zlib");

/***/ }),

/***/ 857:
/***/ ((module) => {

"use strict";
module.exports = require("os");

/***/ }),

/***/ 3193:
/***/ ((module) => {

"use strict";
module.exports = require("string_decoder");

/***/ }),

/***/ 4756:
/***/ ((module) => {

"use strict";
module.exports = require("tls");

/***/ }),

/***/ 9023:
/***/ ((module) => {

"use strict";
module.exports = require("util");

/***/ })

/******/ 	});
/************************************************************************/
/******/ 	// The module cache
/******/ 	var __webpack_module_cache__ = {};
/******/ 	
/******/ 	// The require function
/******/ 	function __nccwpck_require__(moduleId) {
/******/ 		// Check if module is in cache
/******/ 		var cachedModule = __webpack_module_cache__[moduleId];
/******/ 		if (cachedModule !== undefined) {
/******/ 			return cachedModule.exports;
/******/ 		}
/******/ 		// Create a new module (and put it into the cache)
/******/ 		var module = __webpack_module_cache__[moduleId] = {
/******/ 			// no module.id needed
/******/ 			// no module.loaded needed
/******/ 			exports: {}
/******/ 		};
/******/ 	
/******/ 		// Execute the module function
/******/ 		var threw = true;
/******/ 		try {
/******/ 			__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
/******/ 			threw = false;
/******/ 		} finally {
/******/ 			if(threw) delete __webpack_module_cache__[moduleId];
/******/ 		}
/******/ 	
/******/ 		// Return the exports of the module
/******/ 		return module.exports;
/******/ 	}
/******/ 	
/******/ 	// expose the modules object (__webpack_modules__)
/******/ 	__nccwpck_require__.m = __webpack_modules__;
/******/ 	
/************************************************************************/
/******/ 	/* webpack/runtime/asset-relocator-loader */
/******/ 	if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = __dirname + "/";
/******/ 	
/******/ 	/* webpack/runtime/create fake namespace object */
/******/ 	(() => {
/******/ 		var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 		var leafPrototypes;
/******/ 		// create a fake namespace object
/******/ 		// mode & 1: value is a module id, require it
/******/ 		// mode & 2: merge all properties of value into the ns
/******/ 		// mode & 4: return value when already ns object
/******/ 		// mode & 16: return value when it's Promise-like
/******/ 		// mode & 8|1: behave like require
/******/ 		__nccwpck_require__.t = function(value, mode) {
/******/ 			if(mode & 1) value = this(value);
/******/ 			if(mode & 8) return value;
/******/ 			if(typeof value === 'object' && value) {
/******/ 				if((mode & 4) && value.__esModule) return value;
/******/ 				if((mode & 16) && typeof value.then === 'function') return value;
/******/ 			}
/******/ 			var ns = Object.create(null);
/******/ 			__nccwpck_require__.r(ns);
/******/ 			var def = {};
/******/ 			leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 			for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 				Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 			}
/******/ 			def['default'] = () => (value);
/******/ 			__nccwpck_require__.d(ns, def);
/******/ 			return ns;
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/define property getters */
/******/ 	(() => {
/******/ 		// define getter functions for harmony exports
/******/ 		__nccwpck_require__.d = (exports, definition) => {
/******/ 			for(var key in definition) {
/******/ 				if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 					Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 				}
/******/ 			}
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/ensure chunk */
/******/ 	(() => {
/******/ 		__nccwpck_require__.f = {};
/******/ 		// This file contains only the entry chunk.
/******/ 		// The chunk loading function for additional chunks
/******/ 		__nccwpck_require__.e = (chunkId) => {
/******/ 			return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 				__nccwpck_require__.f[key](chunkId, promises);
/******/ 				return promises;
/******/ 			}, []));
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/get javascript chunk filename */
/******/ 	(() => {
/******/ 		// This function allow to reference async chunks
/******/ 		__nccwpck_require__.u = (chunkId) => {
/******/ 			// return url for filenames based on template
/******/ 			return "" + chunkId + ".index.cjs.js";
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/hasOwnProperty shorthand */
/******/ 	(() => {
/******/ 		__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/make namespace object */
/******/ 	(() => {
/******/ 		// define __esModule on exports
/******/ 		__nccwpck_require__.r = (exports) => {
/******/ 			if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 				Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 			}
/******/ 			Object.defineProperty(exports, '__esModule', { value: true });
/******/ 		};
/******/ 	})();
/******/ 	
/******/ 	/* webpack/runtime/require chunk loading */
/******/ 	(() => {
/******/ 		// no baseURI
/******/ 		
/******/ 		// object to store loaded chunks
/******/ 		// "1" means "loaded", otherwise not loaded yet
/******/ 		var installedChunks = {
/******/ 			792: 1
/******/ 		};
/******/ 		
/******/ 		// no on chunks loaded
/******/ 		
/******/ 		var installChunk = (chunk) => {
/******/ 			var moreModules = chunk.modules, chunkIds = chunk.ids, runtime = chunk.runtime;
/******/ 			for(var moduleId in moreModules) {
/******/ 				if(__nccwpck_require__.o(moreModules, moduleId)) {
/******/ 					__nccwpck_require__.m[moduleId] = moreModules[moduleId];
/******/ 				}
/******/ 			}
/******/ 			if(runtime) runtime(__nccwpck_require__);
/******/ 			for(var i = 0; i < chunkIds.length; i++)
/******/ 				installedChunks[chunkIds[i]] = 1;
/******/ 		
/******/ 		};
/******/ 		
/******/ 		// require() chunk loading for javascript
/******/ 		__nccwpck_require__.f.require = (chunkId, promises) => {
/******/ 			// "1" is the signal for "already loaded"
/******/ 			if(!installedChunks[chunkId]) {
/******/ 				if(true) { // all chunks have JS
/******/ 					installChunk(require("./" + __nccwpck_require__.u(chunkId)));
/******/ 				} else installedChunks[chunkId] = 1;
/******/ 			}
/******/ 		};
/******/ 		
/******/ 		// no external install chunk
/******/ 		
/******/ 		// no HMR
/******/ 		
/******/ 		// no HMR manifest
/******/ 	})();
/******/ 	
/************************************************************************/
var __webpack_exports__ = {};
// The build entry for ncc; the action itself is src/index.ts. A .cjs entry makes ncc emit a
// CommonJS bundle, which Node starts about 3 ms (a sixth of `node -e 0`) sooner than the same code
// as an ES module: every step pays that (README, Performance). `npm run bundle` then names it
// dist/index.js, beside a dist/package.json that says "commonjs".
__nccwpck_require__(1319)

module.exports = __webpack_exports__;
/******/ })()
;