"use strict";
exports.id = 685;
exports.ids = [685,978];
exports.modules = {

/***/ 9978:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DIFF_PAGE_SIZE: () => (/* binding */ DIFF_PAGE_SIZE),
/* harmony export */   DiffListing: () => (/* binding */ DiffListing),
/* harmony export */   MAX_DIFF_PAGES: () => (/* binding */ MAX_DIFF_PAGES),
/* harmony export */   countResults: () => (/* binding */ countResults),
/* harmony export */   dataChangeProblems: () => (/* binding */ dataChangeProblems),
/* harmony export */   diffName: () => (/* binding */ diffName),
/* harmony export */   diffOutputs: () => (/* binding */ diffOutputs),
/* harmony export */   diffUrl: () => (/* binding */ diffUrl),
/* harmony export */   inDisplayOrder: () => (/* binding */ inDisplayOrder),
/* harmony export */   readDataDiffPage: () => (/* binding */ readDataDiffPage),
/* harmony export */   standingOf: () => (/* binding */ standingOf)
/* harmony export */ });
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6264);
/* harmony import */ var _json_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8301);
/**
 * What a CI run found in the data: its data diffs from `GET /api/v1/datadiffs`. Reads one page of
 * Datafold's answer into typed data diffs, decides whether the next page can hold more of this
 * run's diffs, and turns the diffs into the `data-diffs` output, links and the judgement of
 * fail-on-data-changes. Pure functions; the requests are in datafold-client.ts, the re-checks of
 * diffs still running in read-data-diffs.ts.
 */


/** Asked for on each page: the endpoint's default; the spec documents no larger maximum. */
const DIFF_PAGE_SIZE = 100;
/**
 * The most pages read for one run (1,000 entries). A Datafold that honours the ci_run_id filter
 * needs one page for almost every run; one that ignores it lists every diff of the organisation.
 */
const MAX_DIFF_PAGES = 10;
function standingOf(diff) {
    switch (diff.result) {
        case 'identical':
        case 'empty':
            return 'unchanged';
        case 'different':
            return 'changed';
        case null: {
            // No result yet. A diff that failed or was cancelled will never have one; any other status
            // (done included: the result may be a moment behind it) is waited for.
            const status = (diff.status ?? '').trim().toLowerCase();
            return status === 'failed' || status === 'cancelled' ? 'not_compared' : 'running';
        }
        default:
            // error, bad-pks, missing-pks, or a result this action does not know: nothing proves the
            // data unchanged.
            return 'not_compared';
    }
}
// ---------------------------------------------------------------------------------------------
// Reading a page
/** One page of Datafold's answer; an Error that quotes the answer when it is not one. */
function readDataDiffPage(text, ciRunId) {
    const body = (0,_json_js__WEBPACK_IMPORTED_MODULE_0__/* .parseJson */ .q)(text);
    if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .G)(body) || !Array.isArray(body.results) || !isCount(body.total_pages)) {
        throw new Error(`Datafold's list of data diffs is not what its API documents (expected JSON with results and total_pages): ${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .excerpt */ .Kb)(text)}`);
    }
    const page = {
        totalPages: body.total_pages,
        count: isCount(body.count) ? body.count : undefined,
        runIds: [],
        ids: [],
        diffs: []
    };
    for (const entry of body.results) {
        if (!(0,_json_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .G)(entry))
            throw badEntry('an entry that is not an object', entry);
        const runId = entry.ci_run_id ?? null;
        if (runId !== null && !Number.isSafeInteger(runId))
            throw badEntry('a data diff whose ci_run_id is not an integer', entry);
        const id = entry.id ?? null;
        if (id !== null && !isId(id))
            throw badEntry('a data diff whose id is not a positive integer', entry);
        page.runIds.push(runId);
        page.ids.push(id);
        if (runId === ciRunId)
            page.diffs.push(readDiff(entry));
    }
    return page;
}
/** A diff of the run; every field it shows is checked, since it goes into links and the gate. */
function readDiff(entry) {
    if (!isId(entry.id))
        throw badEntry('a data diff of this run without an id', entry);
    const stats = entry.diff_stats ?? null;
    if (stats !== null && !(0,_json_js__WEBPACK_IMPORTED_MODULE_0__/* .isObject */ .G)(stats))
        throw badEntry('a data diff whose diff_stats is not an object', entry);
    const number = (name) => {
        const value = stats?.[name] ?? null;
        if (value === null)
            return null;
        if (typeof value !== 'number' || !Number.isFinite(value))
            throw badEntry(`a data diff whose diff_stats.${name} is not a number`, entry);
        return value;
    };
    const text = (name) => {
        const value = entry[name] ?? null;
        if (value !== null && typeof value !== 'string')
            throw badEntry(`a data diff whose ${name} is not text`, entry);
        return value;
    };
    return {
        id: entry.id,
        table: tablePath(entry, 'table2') ?? tablePath(entry, 'table1'),
        status: text('status'),
        result: text('result'),
        rowsAdded: number('rows_added'),
        rowsRemoved: number('rows_removed'),
        rowsChanged: number('diff_rows_count'),
        matchRatio: number('match_ratio')
    };
}
/** `["db", "schema", "orders"]` → `db.schema.orders`; null when there is no table. */
function tablePath(entry, name) {
    const value = entry[name] ?? null;
    if (value === null)
        return null;
    if (!Array.isArray(value) || !value.every((part) => typeof part === 'string'))
        throw badEntry(`a data diff whose ${name} is not a list of names`, entry);
    return value.length > 0 ? value.join('.') : null;
}
function badEntry(what, entry) {
    return new Error(`Datafold listed ${what}: ${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .excerpt */ .Kb)(JSON.stringify(entry) ?? String(entry))}`);
}
function isId(value) {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
function isCount(value) {
    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
// ---------------------------------------------------------------------------------------------
// Paging
/**
 * The run's diffs gathered page by page. The request asks Datafold for this run's diffs only
 * (`ci_run_id`), ordered by `ci_run_id` descending, but the filter is not in the endpoint's spec:
 * a Datafold that ignores it lists every data diff, so only entries of this run are kept, and the
 * walk stops early once the list, still in descending order, has passed this run.
 */
class DiffListing {
    ciRunId;
    diffs = [];
    /** Entries of other runs (or outside CI) that were left out. */
    others = 0;
    pages = 0;
    /** Set when the walk ended without proof that it saw every diff of the run. */
    incomplete;
    seen = new Set();
    lastRunId;
    descending = true;
    onlyThisRun = true;
    count;
    constructor(ciRunId) {
        this.ciRunId = ciRunId;
    }
    /** Adds the next page; true when the page after it may hold more of the run's diffs. */
    add(page) {
        this.pages++;
        let fresh = 0;
        page.runIds.forEach((runId, i) => {
            const id = page.ids[i];
            if (id !== null) {
                if (this.seen.has(id))
                    return;
                this.seen.add(id);
            }
            fresh++;
            if (runId !== this.ciRunId) {
                this.others++;
                this.onlyThisRun = false;
            }
            if (runId !== null) {
                if (this.lastRunId !== undefined && runId > this.lastRunId)
                    this.descending = false;
                this.lastRunId = runId;
            }
        });
        const known = new Set(this.diffs.map((diff) => diff.id));
        this.diffs.push(...page.diffs.filter((diff) => !known.has(diff.id)));
        this.count = page.count;
        if (page.runIds.length === 0 || this.pages >= page.totalPages)
            return this.done();
        if (fresh === 0) {
            this.incomplete = `Datafold answered page ${this.pages} of its list of data diffs with entries it had already listed, and says there are ${page.totalPages} pages.`;
            return false;
        }
        // Sorted by ci_run_id descending, a run id below this one means the rest are older runs.
        if (this.descending && this.lastRunId !== undefined && this.lastRunId < this.ciRunId)
            return false;
        if (this.pages >= MAX_DIFF_PAGES) {
            this.incomplete = `Datafold's list of data diffs has ${page.totalPages} pages; the action reads at most ${MAX_DIFF_PAGES} (${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatCount */ .B4)(MAX_DIFF_PAGES * DIFF_PAGE_SIZE)} entries), so this run may have more data diffs than shown.`;
            return false;
        }
        return true;
    }
    /** The last page: when every entry was this run's (the filter worked), `count` must add up. */
    done() {
        if (this.onlyThisRun && this.count !== undefined && this.diffs.length < this.count) {
            this.incomplete = `Datafold counts ${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatCount */ .B4)(this.count)} data diffs for this run but its pages held ${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatCount */ .B4)(this.diffs.length)} different ones (the pages may have shifted while they were read).`;
        }
        return false;
    }
}
// ---------------------------------------------------------------------------------------------
// What the diffs mean
/** The diff's page in Datafold: `{host}/datadiffs/{id}/overview`, under the host's own path. */
function diffUrl(host, id) {
    if (!isId(id))
        throw new Error(`Not a data diff id: ${String(id)}`);
    const url = new URL(host.href);
    url.pathname = `${host.pathname.replace(/\/+$/, '')}/datadiffs/${id}/overview`;
    url.search = '';
    url.hash = '';
    return url.href;
}
/** The `data-diffs` output: one object per diff, in the order of their ids. */
function diffOutputs(diffs, host) {
    return [...diffs]
        .sort((a, b) => a.id - b.id)
        .map((diff) => ({
        id: diff.id,
        table: diff.table,
        result: diff.result,
        rows_added: diff.rowsAdded,
        rows_removed: diff.rowsRemoved,
        rows_changed: diff.rowsChanged,
        match_ratio: diff.matchRatio,
        url: diffUrl(host, diff.id)
    }));
}
const STANDING_ORDER = {
    changed: 0,
    not_compared: 1,
    running: 2,
    unchanged: 3
};
/** Changed tables first, then those that could not be compared, still running, unchanged. */
function inDisplayOrder(diffs) {
    return [...diffs].sort((a, b) => STANDING_ORDER[standingOf(a)] - STANDING_ORDER[standingOf(b)] ||
        compareNames(a.table, b.table) ||
        a.id - b.id);
}
function compareNames(a, b) {
    if (a === b)
        return 0;
    if (a === null)
        return 1;
    if (b === null)
        return -1;
    return a < b ? -1 : 1;
}
/** The table a diff compares, or what stands for it, on one line for a sentence or a log line. */
function diffName(diff) {
    return diff.table === null ? `data diff ${diff.id} (a query)` : (0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(diff.table);
}
/** Results in the order a reader wants their counts; others (unknown ones) before `no result`. */
const COUNT_ORDER = [
    'different',
    'error',
    'bad-pks',
    'missing-pks',
    'no result',
    'no result yet',
    'identical',
    'empty'
];
/** "2 different, 1 error, 3 identical": the count of each result, most important first. */
function countResults(diffs) {
    const counts = new Map();
    for (const diff of diffs) {
        const label = diff.result ?? (standingOf(diff) === 'running' ? 'no result yet' : 'no result');
        counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    const rank = (label) => {
        const known = COUNT_ORDER.indexOf(label);
        return known >= 0 ? known : COUNT_ORDER.indexOf('no result') - 0.5;
    };
    return [...counts]
        .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
        .map(([label, n]) => `${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatCount */ .B4)(n)} ${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .oneLine */ .TN)(label)}`)
        .join(', ');
}
const NAMES_SHOWN = 10;
/**
 * Why fail-on-data-changes fails the step, one reason a line; [] when every diff of the run was
 * read and is identical or empty. Anything short of that fails: nothing proves the data unchanged.
 */
function dataChangeProblems(reading) {
    if (!reading)
        return ['the data diffs were not read.'];
    const reasons = [];
    if (reading.problem)
        reasons.push(`the data diffs could not be read: ${reading.problem}`);
    if (reading.incomplete)
        reasons.push(reading.incomplete);
    const diffs = inDisplayOrder(reading.diffs ?? []);
    const names = (standing, detail = () => '') => {
        const matching = diffs.filter((diff) => standingOf(diff) === standing);
        const shown = matching.slice(0, NAMES_SHOWN).map((diff) => `${diffName(diff)}${detail(diff)}`);
        if (matching.length > shown.length)
            shown.push(`and ${matching.length - shown.length} more`);
        return shown;
    };
    const changed = names('changed');
    if (changed.length > 0)
        reasons.push(`${plural(countOf(diffs, 'changed'), 'table differs', 'tables differ')}: ${changed.join(', ')}.`);
    const failed = names('not_compared', (diff) => ` (${diff.result ?? diff.status ?? 'no result'})`);
    if (failed.length > 0)
        reasons.push(`${plural(countOf(diffs, 'not_compared'), 'table', 'tables')} could not be compared: ${failed.join(', ')}.`);
    const running = names('running', (diff) => ` (${diff.status ?? 'no status'})`);
    if (running.length > 0)
        reasons.push(`${plural(countOf(diffs, 'running'), 'data diff', 'data diffs')} had no result when the step ended: ${running.join(', ')}.`);
    return reasons;
}
function countOf(diffs, standing) {
    return diffs.filter((diff) => standingOf(diff) === standing).length;
}
function plural(n, one, many) {
    return `${(0,_format_js__WEBPACK_IMPORTED_MODULE_1__/* .formatCount */ .B4)(n)} ${n === 1 ? one : many}`;
}


/***/ }),

/***/ 9685:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   readDataDiffs: () => (/* binding */ readDataDiffs)
/* harmony export */ });
/* harmony import */ var _datafold_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9562);
/* harmony import */ var _data_diffs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9978);
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6264);
/* harmony import */ var _schedule_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6318);




/** Diffs listed one by one in the log; the rest are counted. */
const LOGGED_DIFFS = 50;
async function readDataDiffs(options) {
    const { client, clock, log, signal, ciRunId } = options;
    const lastCheck = (0,_schedule_js__WEBPACK_IMPORTED_MODULE_2__/* .lastCheckMs */ .pV)(options.startedAtMs, options.deadlineMs);
    let reading = {};
    for (;;) {
        if (signal?.aborted)
            return { aborted: true };
        let list;
        try {
            list = await client.listDataDiffs(ciRunId);
        }
        catch (error) {
            if (signal?.aborted)
                return { aborted: true };
            if (!(error instanceof _datafold_client_js__WEBPACK_IMPORTED_MODULE_0__/* .DatafoldError */ .OY))
                throw error;
            log.notice(`The data diffs of Datafold CI run ${ciRunId} could not be read: ${error.message} ${options.untilSettled ? 'fail-on-data-changes needs them, so the step fails.' : "The run's own verdict stands."}`);
            reading = { ...reading, problem: error.message };
            break;
        }
        reading = { diffs: list.diffs, incomplete: list.incomplete };
        if (list.others > 0) {
            log.debug(`Left out ${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(list.others)} data diffs of other runs that Datafold listed too (it did not filter by ci_run_id).`);
        }
        const running = list.diffs.filter((diff) => (0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_1__.standingOf)(diff) === 'running');
        if (!options.untilSettled || running.length === 0 || list.incomplete)
            break;
        const now = clock.now();
        if (now >= lastCheck)
            break;
        const delay = Math.min((0,_schedule_js__WEBPACK_IMPORTED_MODULE_2__/* .nextPollDelayMs */ .Gc)(now - options.startedAtMs, options.schedule), lastCheck - now);
        log.info(`${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(running.length)} of ${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(list.diffs.length)} data diffs ${running.length === 1 ? 'has' : 'have'} no result yet; fail-on-data-changes needs every result, so they are checked again in ${(delay / 1000).toFixed(1)} s.`);
        await clock.sleep(delay, signal);
    }
    if (signal?.aborted)
        return { aborted: true };
    logReading(reading, options);
    return reading;
}
function logReading(reading, { ciRunId, host, log }) {
    if (!reading.diffs)
        return;
    const diffs = (0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_1__.inDisplayOrder)(reading.diffs);
    log.info(diffs.length === 0
        ? `Datafold lists no data diffs for CI run ${ciRunId}.`
        : `Datafold lists ${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(diffs.length)} data ${diffs.length === 1 ? 'diff' : 'diffs'} for CI run ${ciRunId}: ${(0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_1__.countResults)(diffs)}.`);
    for (const diff of diffs.slice(0, LOGGED_DIFFS))
        log.info(`  ${describe(diff)}: ${(0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_1__.diffUrl)(host, diff.id)}`);
    if (diffs.length > LOGGED_DIFFS)
        log.info(`  and ${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(diffs.length - LOGGED_DIFFS)} more.`);
    if (reading.incomplete)
        log.notice(reading.incomplete);
}
/** `different: db.orders (12 added, 3 removed, 340 with changed values, 98.21 % match)`. */
function describe(diff) {
    const label = (0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .oneLine */ .TN)(diff.result ?? `no result (${diff.status ?? 'no status'})`);
    const counts = [
        diff.rowsAdded !== null ? `${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(diff.rowsAdded)} added` : '',
        diff.rowsRemoved !== null ? `${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(diff.rowsRemoved)} removed` : '',
        diff.rowsChanged !== null ? `${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatCount */ .B4)(diff.rowsChanged)} with changed values` : '',
        diff.matchRatio !== null ? `${(0,_format_js__WEBPACK_IMPORTED_MODULE_3__/* .formatRatio */ .B0)(diff.matchRatio)} match` : ''
    ].filter(Boolean);
    return `${label}: ${(0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_1__.diffName)(diff)}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}`;
}


/***/ })

};
;