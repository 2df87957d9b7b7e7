import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 373:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   m: () => (/* binding */ systemClock)
/* harmony export */ });
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


/***/ }),

/***/ 407:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(373);
/* harmony import */ var _main_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(557);
/* harmony import */ var _toolkit_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(207);
/** Entry point of the bundled action: wires the real runner, clock and signals into main.run. */



// The runner cancels a step with SIGINT, then SIGTERM 7.5 s later, then kills it. Stop waiting at
// the first signal; main writes the outputs and summary it can, and the timer below bounds that.
const CANCEL_GRACE_MS = 1_500;
const cancelled = new AbortController();
const onSignal = () => {
    if (cancelled.signal.aborted)
        return;
    cancelled.abort();
    setTimeout(() => process.exit(1), CANCEL_GRACE_MS).unref();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
const exitCode = await (0,_main_js__WEBPACK_IMPORTED_MODULE_1__/* .run */ .N)({
    toolkit: (0,_toolkit_js__WEBPACK_IMPORTED_MODULE_2__/* .createToolkit */ .Z)(),
    env: process.env,
    clock: _clock_js__WEBPACK_IMPORTED_MODULE_0__/* .systemClock */ .m,
    signal: cancelled.signal
});
if (cancelled.signal.aborted)
    process.exit(exitCode || 1);
process.exitCode = exitCode;

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 557:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  N: () => (/* binding */ run)
});

// UNUSED EXPORTS: SKIP_REASONS

;// CONCATENATED MODULE: external "node:http"
const external_node_http_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");
;// CONCATENATED MODULE: external "node:https"
const external_node_https_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");
;// CONCATENATED MODULE: ./src/http.ts


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
 * Agents that tunnel through HTTP(S)_PROXY (honouring NO_PROXY) for runners behind a proxy. Node 24,
 * the runtime GitHub gives the action, does this itself through the agent's `proxyEnv` option;
 * older Node ignores the option and connects directly. Made only when a proxy is configured.
 */
let proxyAgents;
function agentFor(protocol) {
    const env = process.env;
    if (!(env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy))
        return undefined;
    proxyAgents ??= {
        http: new external_node_http_namespaceObject.Agent({ proxyEnv: env }),
        https: new external_node_https_namespaceObject.Agent({ proxyEnv: env })
    };
    return protocol === 'https:' ? proxyAgents.https : proxyAgents.http;
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
        const response = await exchange({ ...request, method, url, headers, body }, deadline);
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
function exchange(request, deadline) {
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
        const lib = request.url.protocol === 'https:' ? external_node_https_namespaceObject : external_node_http_namespaceObject;
        const headers = { ...request.headers };
        if (request.body !== undefined)
            headers['Content-Length'] = Buffer.byteLength(request.body);
        let connected = false;
        const req = lib.request(request.url, { method: request.method, headers, agent: agentFor(request.url.protocol) });
        const timer = setTimeout(() => req.destroy(timeoutError(request)), remaining);
        const onAbort = () => {
            req.destroy(new NetworkError('EABORTED', 'request cancelled', !connected));
        };
        request.signal?.addEventListener('abort', onAbort, { once: true });
        const finish = () => {
            clearTimeout(timer);
            request.signal?.removeEventListener('abort', onAbort);
        };
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
            finish();
            if (error instanceof NetworkError)
                reject(error);
            else {
                const code = error.code ?? 'ENETWORK';
                reject(new NetworkError(code, describeNetworkError(code, request.url, error.message), NOT_SENT_CODES.has(code) && !connected));
            }
        });
        req.on('response', (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size > MAX_BODY_BYTES) {
                    req.destroy(new NetworkError('EBODYTOOLARGE', `the answer from ${request.url.origin} is larger than ${MAX_BODY_BYTES} bytes`, false));
                    return;
                }
                chunks.push(chunk);
            });
            res.on('end', () => {
                finish();
                resolve({
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: Buffer.concat(chunks).toString('utf8'),
                    url: request.url
                });
            });
            res.on('error', () => undefined); // surfaced through req's 'error'
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
            return `the connection to ${url.host} was reset`;
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

;// CONCATENATED MODULE: ./src/retry.ts
/**
 * When a failed request is worth repeating, and how long to wait first: bounded exponential backoff
 * with full jitter, `Retry-After` honoured up to a cap, and never a wait past the step's deadline.
 * Pure functions; the loop that uses them lives in the Datafold client.
 */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_BACKOFF_MS = 30_000;
const RETRY_AFTER_CAP_MS = 120_000;
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
    const date = Date.parse(text);
    if (Number.isNaN(date))
        return undefined;
    return Math.min(Math.max(0, date - nowMs), RETRY_AFTER_CAP_MS);
}
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Status checks are reads: repeating one is always safe. */
function isRetryableRead(fault) {
    if (fault.kind === 'status')
        return TRANSIENT_STATUSES.has(fault.status);
    return fault.kind === 'network' ? fault.code !== 'EABORTED' : true;
}
/**
 * The trigger starts a Datafold run, so it is repeated only where the first attempt cannot have
 * started one: the connection was never made (refused, DNS), the server said it is rate limiting
 * before doing anything (429), or a gateway in front of Datafold answered because it could not
 * hand the request over (502, 503) or gave up waiting (504). A 500, a reset or a timeout mid-request
 * may come after Datafold accepted the trigger; repeating it could start a second run, so those fail.
 */
function isRetryableTrigger(fault) {
    if (fault.kind === 'network')
        return fault.notSent && fault.code !== 'EABORTED';
    if (fault.kind === 'status')
        return [429, 502, 503, 504].includes(fault.status);
    return false;
}
/**
 * The wait before the next attempt, or undefined when the deadline leaves no room for one
 * (the wait plus a minimal request would end past it).
 */
function retryWaitMs(args) {
    const wait = args.retryAfterMs ?? backoffDelayMs(args.attempt, args.random);
    return args.nowMs + wait < args.deadlineMs ? wait : undefined;
}

;// CONCATENATED MODULE: ./src/datafold-client.ts


class DatafoldError extends Error {
    outOfTime;
    name = 'DatafoldError';
    constructor(message, 
    /** True when the deadline, not the fault itself, ended the retries. */
    outOfTime = false) {
        super(message);
        this.outOfTime = outOfTime;
    }
}
const PAGE_SIZE = 100;
const MAX_PAGES = 50;
const EXCERPT_CHARS = 300;
class DatafoldClient {
    options;
    transport;
    constructor(options) {
        this.options = options;
        this.transport = options.transport ?? send;
    }
    async trigger(pr) {
        const path = this.path('trigger');
        const answer = await this.request('POST', path, JSON.stringify(pr), isRetryableTrigger);
        const body = parseJson(answer.body);
        if (!isObject(body) || !isIdOrNull(body.ci_run_id) || !isIdOrNull(body.run_id)) {
            throw new DatafoldError(`Datafold's answer to the trigger is not what its API documents (expected JSON with ci_run_id and run_id): ${excerpt(answer.body)}`);
        }
        return { ciRunId: body.ci_run_id ?? null, runId: body.run_id ?? null };
    }
    /** Every run Datafold has for the commit, following `limit`/`offset` pages. */
    async listRuns(prSha) {
        const runs = [];
        const seen = new Set();
        for (let page = 0; page < MAX_PAGES; page++) {
            const query = new URLSearchParams({
                pr_sha: prSha,
                limit: String(PAGE_SIZE),
                offset: String(page * PAGE_SIZE)
            });
            const answer = await this.request('GET', `${this.path('runs')}?${query}`, undefined, (fault) => isRetryableRead(fault), readRunsPage);
            const batch = readRunsPage(answer);
            const fresh = batch.filter((run) => !seen.has(run.id));
            fresh.forEach((run) => seen.add(run.id));
            runs.push(...fresh);
            // A short page is the last; so is one with nothing new (a server that ignores `offset`).
            if (batch.length < PAGE_SIZE || fresh.length === 0)
                break;
        }
        return runs;
    }
    path(endpoint) {
        return `/api/v1/ci/${this.options.ciConfigId}/${endpoint}`;
    }
    /**
     * One request with its retries. `validate` checks a 2xx body; its failure counts as a fault
     * (`bad-answer`) that `retryable` may choose to retry.
     */
    async request(method, pathAndQuery, body, retryable, validate) {
        const { clock, log, deadlineMs, signal } = this.options;
        const url = new URL(this.options.host.pathname.replace(/\/$/, '') + pathAndQuery, this.options.host.origin);
        const label = `${method} ${url.pathname}`;
        for (let attempt = 0;; attempt++) {
            const remaining = deadlineMs - clock.now();
            if (remaining <= 0)
                throw new DatafoldError(`The time limit ran out before ${label} could be sent.`, true);
            let fault;
            let problem;
            let retryAfterMs;
            try {
                const answer = await this.transport({
                    method,
                    url,
                    headers: {
                        Authorization: `Key ${this.options.apiKey}`,
                        Accept: 'application/json',
                        'User-Agent': 'datafold-ci-action',
                        ...(body === undefined ? {} : { 'Content-Type': 'application/json' })
                    },
                    body,
                    timeoutMs: Math.min(this.options.requestTimeoutMs, remaining),
                    signal
                });
                if (answer.status >= 200 && answer.status < 300) {
                    try {
                        validate?.(answer);
                        return answer;
                    }
                    catch (error) {
                        fault = { kind: 'bad-answer' };
                        problem = error.message;
                        if (!retryable(fault))
                            throw error;
                    }
                }
                else {
                    fault = { kind: 'status', status: answer.status };
                    problem = explainStatus(answer, this.options.ciConfigId, this.options.host);
                    retryAfterMs = parseRetryAfter(answer.headers['retry-after'], clock.now());
                    if (!retryable(fault))
                        throw new DatafoldError(problem);
                }
            }
            catch (error) {
                if (error instanceof DatafoldError)
                    throw error;
                if (!(error instanceof NetworkError))
                    throw error;
                fault = { kind: 'network', code: error.code, notSent: error.notSent };
                problem = `Could not reach Datafold at ${this.options.host.origin}: ${error.message}.`;
                if (error.code === 'EABORTED' || !retryable(fault))
                    throw new DatafoldError(problem);
            }
            const wait = retryWaitMs({
                attempt,
                retryAfterMs,
                nowMs: clock.now(),
                deadlineMs,
                random: this.options.random
            });
            if (wait === undefined)
                throw new DatafoldError(`${problem} The time limit leaves no room for another try.`, true);
            log.warning(`${problem} Retrying ${label} in ${(wait / 1000).toFixed(1)} s (retry ${attempt + 1}).`);
            await clock.sleep(wait, signal);
            if (signal?.aborted)
                throw new DatafoldError(`${label} was cancelled.`);
        }
    }
}
function readRunsPage(answer) {
    const body = parseJson(answer.body);
    if (!Array.isArray(body)) {
        throw new DatafoldError(`Datafold's list of runs is not a JSON array: ${excerpt(answer.body)}`);
    }
    for (const run of body) {
        if (!isObject(run) || typeof run.id !== 'number' || typeof run.status !== 'string') {
            throw new DatafoldError(`Datafold listed a run without a numeric id and a status: ${excerpt(JSON.stringify(run))}`);
        }
    }
    return body;
}
/** The words a pull request author needs for an HTTP error from Datafold. */
function explainStatus(answer, ciConfigId, host) {
    const status = answer.status;
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
                : `Datafold rejected the request as invalid (HTTP 422): ${excerpt(answer.body)}`;
        }
        case 429:
            return `Datafold is rate limiting requests (HTTP 429).`;
        default:
            return status >= 500
                ? `Datafold had a server error (HTTP ${status}): ${excerpt(answer.body)}`
                : `Datafold answered HTTP ${status}: ${excerpt(answer.body)}`;
    }
}
function validationLines(text) {
    const body = parseJson(text);
    if (!isObject(body) || !Array.isArray(body.detail))
        return [];
    return body.detail.map((item) => {
        if (!isObject(item))
            return String(item);
        const where = Array.isArray(item.loc) ? item.loc.join('.') : '';
        return where ? `${where}: ${String(item.msg)}` : String(item.msg);
    });
}
/** The start of a body, on one line, for error messages. */
function excerpt(text) {
    const flat = text.replace(/\s+/g, ' ').trim();
    if (flat === '')
        return '(empty body)';
    return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}
function parseJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function isIdOrNull(value) {
    return (value === undefined || value === null || (typeof value === 'number' && Number.isInteger(value)));
}

;// CONCATENATED MODULE: ./src/format.ts
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
    'request-timeout': '30'
};
// GitHub-hosted jobs stop after 6 hours; a longer wait could never finish.
const MAX_TIMEOUT_MINUTES = 360;
const MAX_INTERVAL_SECONDS = 3600;
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what these reject
const UNSAFE_KEY = /[\s\x00-\x1f\x7f]/;
// eslint-disable-next-line no-control-regex -- as above, plus what git forbids in a branch name
const UNSAFE_BRANCH = /[\s\x00-\x1f\x7f~^:?*[\\]/;
function readSettings(input, env) {
    const problems = [];
    const raw = (name) => input(name) || DEFAULTS[name] || '';
    const fail = (message) => {
        problems.push(message);
        return undefined;
    };
    const apiKey = input('api-key') || (env.DATAFOLD_API_KEY ?? '').trim();
    if (apiKey === '') {
        fail('Input api-key is empty and the environment variable DATAFOLD_API_KEY is not set: expected a Datafold API key, for example `api-key: ${{ secrets.DATAFOLD_API_KEY }}`.');
    }
    else if (UNSAFE_KEY.test(apiKey)) {
        fail('Input api-key contains spaces, line breaks or control characters (value hidden): expected the key exactly as Datafold shows it.');
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
        if (UNSAFE_BRANCH.test(branch) || branch === '') {
            fail(`Input ${name} is "${value}": expected a branch name such as main or feature/orders (no spaces or ~^:?*[\\).`);
        }
        else
            overrides[key] = branch;
    }
    for (const [name, key] of [
        ['pr-sha', 'pr_sha'],
        ['base-sha', 'base_sha']
    ]) {
        const value = input(name);
        if (value === '')
            continue;
        if (SHA.test(value))
            overrides[key] = value.toLowerCase();
        else
            fail(`Input ${name} is "${value}": expected a full commit SHA (40 hexadecimal characters).`);
    }
    const wait = inputs_boolean('wait', raw('wait'), fail);
    const failOnSkip = inputs_boolean('fail-on-skip', raw('fail-on-skip'), fail);
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
    const loopback = isLoopbackHost(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
        return fail(`${source} is "${value}": ${expected} (plain http is allowed only for localhost, so the API key never crosses a network unencrypted).`);
    }
    url.pathname = url.pathname.replace(/\/+$/, '');
    return url;
}

;// CONCATENATED MODULE: external "node:fs"
const external_node_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");
;// CONCATENATED MODULE: ./src/pull-request.ts
/**
 * Which pull request the step is about: read from the workflow's event payload, with single fields
 * overridden by inputs. On pull_request events the head SHA comes from the payload, never from
 * GITHUB_SHA, which there is a temporary merge commit Datafold cannot link to the pull request.
 */

/** The event does not name the pull request fully and the inputs do not fill the gap. */
class EventError extends Error {
    name = 'EventError';
}
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
        serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
    };
}
/** The fields a pull_request or pull_request_target payload carries; {} for other events. */
function detailsFromPayload(event) {
    if (event.name !== 'pull_request' && event.name !== 'pull_request_target')
        return {};
    const pr = event.payload.pull_request;
    if (!pr)
        return {};
    return withoutUndefined({
        pr_number: pr.number,
        pr_branch: pr.head?.ref,
        base_branch: pr.base?.ref,
        pr_sha: pr.head?.sha,
        base_sha: pr.base?.sha
    });
}
/** Payload fields, then input overrides; an EventError naming the missing inputs if incomplete. */
function completeDetails(event, found, overrides) {
    const merged = { ...found, ...overrides };
    const missing = Object.keys(PR_INPUTS).filter((key) => merged[key] === undefined);
    if (missing.length > 0) {
        const names = missing.map((key) => PR_INPUTS[key]).join(', ');
        const eventName = event.name || '(unknown)';
        throw new EventError(`The ${eventName} event does not say which pull request to check, and these inputs are missing: ${names}. ` +
            `Run the step on pull_request events, or pass all of pr-number, pr-branch, base-branch, pr-sha and base-sha.`);
    }
    return {
        pr_number: merged.pr_number,
        pr_branch: merged.pr_branch,
        base_branch: merged.base_branch,
        pr_sha: merged.pr_sha,
        base_sha: merged.base_sha
    };
}
function pullRequestUrl(event, prNumber) {
    return event.repository ? `${event.serverUrl}/${event.repository}/pull/${prNumber}` : undefined;
}
function withoutUndefined(value) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

;// CONCATENATED MODULE: ./src/verdict.ts
/** Statuses Datafold documents for a run that has not finished. */
const RUNNING_STATUSES = ['waiting', 'queued', 'processing'];
const TERMINAL = {
    done: 'success',
    failed: 'failure',
    cancelled: 'cancelled'
};
/** The conclusion for a final status, or undefined while the run is still going (or unknown). */
function conclusionOf(status) {
    return TERMINAL[status.trim().toLowerCase()];
}
function isKnownStatus(status) {
    const normalized = status.trim().toLowerCase();
    return normalized in TERMINAL || RUNNING_STATUSES.includes(normalized);
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

;// CONCATENATED MODULE: ./src/summary.ts


function renderSummary(report) {
    const icon = report.conclusion ? CONCLUSION_ICONS[report.conclusion] : '⚠️';
    const rows = [];
    if (report.pr) {
        const pr = report.pr;
        const number = report.prUrl ? `[#${pr.pr_number}](${report.prUrl})` : `#${pr.pr_number}`;
        rows.push(['Pull request', `${number}: ${code(pr.pr_branch)} into ${code(pr.base_branch)}`]);
        rows.push(['Commits', `head ${code(shortSha(pr.pr_sha))}, base ${code(shortSha(pr.base_sha))}`]);
    }
    rows.push(['Datafold CI run', runCell(report)]);
    rows.push(['Final status', report.status ? code(report.status) : 'unknown']);
    rows.push(['Conclusion', report.conclusion ? `${icon} ${report.conclusion}` : `${icon} none`]);
    rows.push([
        'Waited',
        `${formatDuration(report.waitedMs)}, ${report.polls} status ${report.polls === 1 ? 'check' : 'checks'}`
    ]);
    rows.push([
        'Datafold',
        `${escapeText(report.host.href.replace(/\/$/, ''))}, CI config ${report.ciConfigId}`
    ]);
    return [
        `### ${icon} ${escapeText(report.title)}`,
        '',
        escapeText(report.message)
            .split('\n')
            .map((line) => line.trimEnd())
            .join('  \n'),
        '',
        '| | |',
        '| --- | --- |',
        ...rows.map(([name, value]) => `| ${name} | ${value.replace(/\|/g, '\\|')} |`),
        ''
    ].join('\n');
}
function runCell(report) {
    if (report.ciRunId === undefined)
        return 'not triggered';
    if (report.ciRunId === null)
        return 'none reported by Datafold';
    return report.runId ? `${report.ciRunId} (data diff ${report.runId})` : String(report.ciRunId);
}
/** Inline code that survives any branch name: backticks inside widen the fence. */
function code(text) {
    return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}
/** Text from outside (Datafold's messages, names) shown as text, never as HTML. */
function escapeText(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

;// CONCATENATED MODULE: ./src/schedule.ts
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

;// CONCATENATED MODULE: ./src/wait-for-run.ts




async function waitForRun(options) {
    const { client, clock, log, signal, target } = options;
    let polls = 0;
    let run;
    let followedId = 'ciRunId' in target ? target.ciRunId : undefined;
    let lastStatus;
    const unknownStatuses = new Set();
    const elapsed = () => formatDuration(clock.now() - options.startedAtMs);
    const end = (outcome) => ({ outcome, polls });
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
            if (error instanceof DatafoldError && error.outOfTime) {
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
                if (!isKnownStatus(current.status) && !unknownStatuses.has(current.status)) {
                    unknownStatuses.add(current.status);
                    log.notice(`Datafold reported status "${current.status}", which this action does not know; treating the run as still in progress.`);
                }
            }
            const conclusion = conclusionOf(current.status);
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
        if (followedId === undefined && now >= options.startDeadlineMs)
            return end({ kind: 'not_started' });
        if (now >= options.deadlineMs)
            return end({ kind: 'timed_out', run });
        let delay = nextPollDelayMs(now - options.startedAtMs, options.schedule);
        delay = Math.min(delay, options.deadlineMs - now);
        if (followedId === undefined)
            delay = Math.min(delay, options.startDeadlineMs - now);
        await clock.sleep(delay, signal);
        if (signal?.aborted)
            return end({ kind: 'aborted', run });
        if (clock.now() >= options.deadlineMs)
            return end({ kind: 'timed_out', run });
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







const SKIP_REASONS = [
    'the head commit message contains datafold-skip-ci;',
    'the CI config requires a "datafold" label that the pull request does not have;',
    "every changed file matches the CI config's ignore patterns;",
    'the base branch is not the one the CI config checks.'
];
/** Runs the step; resolves to the process exit code. */
async function run(deps) {
    const { toolkit, env, clock } = deps;
    const startedAtMs = clock.now();
    toolkit.mask(toolkit.input('api-key'));
    toolkit.mask((env.DATAFOLD_API_KEY ?? '').trim());
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
    const ending = await execute(settings, deps, progress, startedAtMs);
    return finish(ending, settings, deps, progress, clock.now() - startedAtMs);
}
async function execute(settings, deps, progress, startedAtMs) {
    const { toolkit, clock, signal } = deps;
    const deadlineMs = startedAtMs + settings.timeoutMs;
    const client = new DatafoldClient({
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
        const pr = await toolkit.group('Pull request', async () => {
            const event = readEventContext(deps.env);
            progress.event = event;
            const details = completeDetails(event, detailsFromPayload(event), settings.overrides);
            toolkit.info(`Pull request #${details.pr_number}: ${details.pr_branch} (${details.pr_sha}) into ${details.base_branch} (${details.base_sha}).`);
            return details;
        });
        progress.pr = pr;
        const target = await toolkit.group('Trigger Datafold CI', async () => {
            // Runs that already exist for this commit, so a trigger that returns no id can still be
            // matched to the run it created, and an older run is never mistaken for it.
            const existing = settings.wait
                ? new Set((await client.listRuns(pr.pr_sha)).map((r) => r.id))
                : new Set();
            toolkit.debug(`Runs already listed for ${pr.pr_sha}: ${[...existing].join(', ') || 'none'}.`);
            toolkit.info(`Triggering CI config ${settings.ciConfigId} on ${settings.host.origin}.`);
            const trigger = await client.trigger(pr);
            progress.trigger = trigger;
            if (trigger.ciRunId !== null)
                toolkit.setOutput('ci-run-id', String(trigger.ciRunId));
            if (trigger.runId !== null)
                toolkit.setOutput('run-id', String(trigger.runId));
            toolkit.info(trigger.ciRunId !== null
                ? `Datafold started CI run ${trigger.ciRunId}${trigger.runId !== null ? ` (data diff ${trigger.runId})` : ''}.`
                : 'Datafold accepted the trigger without naming a run; looking for the run it creates.');
            const runTarget = trigger.ciRunId !== null
                ? { ciRunId: trigger.ciRunId }
                : { existingRunIds: existing, prNumber: pr.pr_number };
            return runTarget;
        });
        if (!settings.wait)
            return { kind: 'triggered' };
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
        return { kind: 'waited', outcome };
    }
    catch (error) {
        if (signal?.aborted)
            return { kind: 'workflow_cancelled' };
        if (error instanceof Error &&
            ['DatafoldError', 'EventError', 'NetworkError'].includes(error.name)) {
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
    const runName = run
        ? `Datafold CI run ${run.id}`
        : progress.trigger?.ciRunId
            ? `Datafold CI run ${progress.trigger.ciRunId}`
            : 'The Datafold CI run';
    const prName = pr
        ? `pull request #${pr.pr_number} (${pr.pr_branch} at ${shortSha(pr.pr_sha)})`
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
        case 'workflow_cancelled':
            title = 'Stopped: the workflow was cancelled';
            message = `Cancelled by the workflow; ${runName.replace(/^The/, 'the')} keeps running in Datafold, last status ${lastStatus ?? 'unknown'}.`;
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
                    break;
                case 'timed_out':
                    conclusion = 'timed_out';
                    title = 'Datafold CI did not finish in time';
                    message =
                        `${runName} for ${prName} did not reach a final status within timeout-minutes (${formatDuration(settings.timeoutMs)}); last status ${lastStatus ?? 'unknown'}.` +
                            (outcome.reason ? `\nLast problem: ${outcome.reason}` : '');
                    break;
                case 'not_started':
                    conclusion = 'skipped';
                    title = 'Datafold CI started no run';
                    message = [
                        `Datafold started no CI run for ${prName} within start-timeout-minutes (${formatDuration(settings.startTimeoutMs)}). Datafold skips a commit when:`,
                        ...SKIP_REASONS.map((reason) => `- ${reason}`),
                        settings.failOnSkip
                            ? 'fail-on-skip is true, so the step fails.'
                            : 'The step passes; set fail-on-skip: true to fail it instead.'
                    ].join('\n');
                    break;
            }
        }
    }
    if (run)
        toolkit.setOutput('status', run.status);
    if (conclusion)
        toolkit.setOutput('conclusion', conclusion);
    const report = {
        title,
        message,
        host: settings.host,
        ciConfigId: settings.ciConfigId,
        pr,
        prUrl: pr && progress.event ? pullRequestUrl(progress.event, pr.pr_number) : undefined,
        ciRunId: progress.trigger?.ciRunId ?? (run ? run.id : progress.trigger ? null : undefined),
        runId: progress.trigger?.runId,
        status: lastStatus,
        conclusion,
        waitedMs,
        polls: progress.polls
    };
    try {
        await toolkit.appendSummary(renderSummary(report));
    }
    catch (error) {
        toolkit.warning(`Could not write the job summary: ${error.message}`);
    }
    const passed = ending.kind === 'triggered' ||
        (conclusion !== undefined && passes(conclusion, settings.failOnSkip));
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


/***/ }),

/***/ 207:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  Z: () => (/* binding */ createToolkit)
});

;// CONCATENATED MODULE: external "os"
const external_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("os");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/utils.js
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}
//# sourceMappingURL=utils.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/command.js


/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + external_os_namespaceObject.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}
//# sourceMappingURL=command.js.map
;// CONCATENATED MODULE: external "crypto"
const external_crypto_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("crypto");
;// CONCATENATED MODULE: external "fs"
const external_fs_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/file-command.js
// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */




function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!external_fs_namespaceObject.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    external_fs_namespaceObject.appendFileSync(filePath, `${toCommandValue(message)}${external_os_namespaceObject.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${external_crypto_namespaceObject.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${external_os_namespaceObject.EOL}${convertedValue}${external_os_namespaceObject.EOL}${delimiter}`;
}
//# sourceMappingURL=file-command.js.map
;// CONCATENATED MODULE: ./node_modules/@actions/core/lib/summary.js
var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};


const { access, appendFile, writeFile } = external_fs_namespaceObject.promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
const SUMMARY_DOCS_URL = 'https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-job-summary';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, external_fs_namespaceObject.constants.R_OK | external_fs_namespaceObject.constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return __awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return __awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(external_os_namespaceObject.EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
/**
 * @deprecated use `core.summary`
 */
const markdownSummary = (/* unused pure expression or super */ null && (_summary));
const summary = _summary;
//# sourceMappingURL=summary.js.map
;// CONCATENATED MODULE: ./src/toolkit.ts
/**
 * The runner's side of the step: inputs, masks, log lines, groups, outputs and the job summary.
 *
 * It uses @actions/core's own leaf modules (command escaping, the output-file delimiter, the
 * summary writer) rather than the package entry point: the entry point also loads the OIDC client
 * and with it undici, about 0.9 MB whose evaluation costs more than starting Node itself, for code
 * this action never calls. The package's `exports` map hides these files, hence the plain paths.
 *
 * Every line, output and summary passes through `scrub`, so a registered secret never leaves the
 * process, even in text Datafold sent back (the runner's own masking covers the log only).
 */



const REDACTED = '***';
function createToolkit(env = process.env) {
    const secrets = [];
    const scrub = (text) => secrets.reduce((out, secret) => out.split(secret).join(REDACTED), text);
    return {
        input: (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim(),
        mask(secret) {
            if (secret === '' || secrets.includes(secret))
                return;
            secrets.push(secret);
            // Longest first, so a secret that contains another is scrubbed whole.
            secrets.sort((a, b) => b.length - a.length);
            issueCommand('add-mask', {}, secret);
        },
        debug: (message) => issueCommand('debug', {}, scrub(message)),
        info: (message) => process.stdout.write(`${scrub(message)}\n`),
        notice: (message) => issueCommand('notice', {}, scrub(message)),
        warning: (message) => issueCommand('warning', {}, scrub(message)),
        error: (message) => issueCommand('error', {}, scrub(message)),
        async group(name, work) {
            issue('group', scrub(name));
            try {
                return await work();
            }
            finally {
                issue('endgroup');
            }
        },
        setOutput(name, value) {
            if (env.GITHUB_OUTPUT) {
                issueFileCommand('OUTPUT', prepareKeyValueMessage(name, scrub(value)));
            }
            else {
                // Runners older than the output file read this command from the log instead.
                issueCommand('set-output', { name }, scrub(value));
            }
        },
        async appendSummary(markdown) {
            if (!env.GITHUB_STEP_SUMMARY)
                return;
            await summary.addRaw(scrub(markdown), true).write();
            summary.emptyBuffer();
        }
    };
}


/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(407);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
