"use strict";
exports.id = 855;
exports.ids = [855,978];
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

/***/ 8855:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SUMMARY_DIFFS: () => (/* binding */ SUMMARY_DIFFS),
/* harmony export */   renderSummary: () => (/* binding */ renderSummary)
/* harmony export */ });
/* harmony import */ var _data_diffs_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9978);
/* harmony import */ var _format_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6264);
/* harmony import */ var _verdict_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3138);



/** Data diffs shown in the summary's table; the rest are counted below it. */
const SUMMARY_DIFFS = 50;
/** Icons for the results Datafold documents. */
const RESULT_ICONS = {
    different: '🔶',
    identical: '✅',
    empty: '⚪',
    error: '❌',
    'bad-pks': '❌',
    'missing-pks': '❌'
};
/**
 * `redact` removes secrets from every piece of outside text before it is escaped: escaping first
 * would turn a key with a backslash or `<` into text that no longer matches the key.
 */
function renderSummary(report, redact = (t) => t) {
    const code = (raw) => codeSpan(redact(raw));
    const escapeText = (text) => escapeHtml(redact(text));
    const escapeLine = (line) => plainLine(redact(line));
    const icon = report.conclusion ? _verdict_js__WEBPACK_IMPORTED_MODULE_1__/* .CONCLUSION_ICONS */ .nQ[report.conclusion] : '⚠️';
    const rows = [];
    if (report.pr) {
        const pr = report.pr;
        const number = report.prUrl ? `[#${pr.pr_number}](${report.prUrl})` : `#${pr.pr_number}`;
        rows.push(['Pull request', `${number}: ${code(pr.pr_branch)} into ${code(pr.base_branch)}`]);
        rows.push(['Commits', `head ${code((0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .shortSha */ .Fu)(pr.pr_sha))}, base ${code((0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .shortSha */ .Fu)(pr.base_sha))}`]);
    }
    rows.push(['Datafold CI run', escapeText(runCell(report))]);
    rows.push(['Final status', report.status ? code(report.status) : 'unknown']);
    rows.push(['Conclusion', report.conclusion ? `${icon} ${report.conclusion}` : `${icon} none`]);
    rows.push([
        'Waited',
        `${(0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatDuration */ .a3)(report.waitedMs)}, ${report.polls} status ${report.polls === 1 ? 'check' : 'checks'}`
    ]);
    rows.push([
        'Datafold',
        `${escapeText(report.host.href.replace(/\/$/, ''))}, CI config ${report.ciConfigId}`
    ]);
    return [
        `### ${icon} ${escapeText(report.title)}`,
        '',
        report.message
            .split('\n')
            .map((line) => escapeLine(line.trimEnd()))
            .join('  \n'),
        '',
        '| | |',
        '| --- | --- |',
        ...rows.map(tableRow),
        '',
        ...(report.dataDiffs ? dataDiffSection(report.dataDiffs, report.host, code, escapeLine) : [])
    ].join('\n');
}
/**
 * The "Data diffs" section: a sentence with the counts, then a table of the diffs (changed tables
 * first), each linked to its page in Datafold. Table names, results and statuses come from
 * Datafold, so they are code spans (or escaped lines) like every other outside text.
 */
function dataDiffSection(reading, host, code, escapeLine) {
    const lines = ['#### Data diffs', ''];
    if (reading.problem)
        lines.push(escapeLine(`Data diffs could not be read: ${reading.problem}`), '');
    const diffs = reading.diffs ? (0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_0__.inDisplayOrder)(reading.diffs) : undefined;
    if (diffs === undefined)
        return lines;
    if (diffs.length === 0) {
        lines.push(reading.incomplete
            ? 'Datafold listed no data diffs of this run in the pages read.'
            : 'Datafold lists no data diffs for this run.', '');
    }
    else {
        const changed = diffs.filter((diff) => (0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_0__.standingOf)(diff) === 'changed').length;
        lines.push(escapeLine(`${(0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(changed)} of ${(0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(diffs.length)} ${diffs.length === 1 ? 'table' : 'tables'} changed (${(0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_0__.countResults)(diffs)}).`), '', '| Table | Result | Rows added | Rows removed | Rows with changed values | Match ratio | Details |', '| --- | --- | ---: | ---: | ---: | ---: | --- |', ...diffs
            .slice(0, SUMMARY_DIFFS)
            .map((diff) => tableRow([
            diff.table === null ? '(query)' : code(diff.table),
            resultCell(diff, code),
            count(diff.rowsAdded),
            count(diff.rowsRemoved),
            count(diff.rowsChanged),
            diff.matchRatio === null ? '–' : (0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatRatio */ .B0)(diff.matchRatio),
            `[#${diff.id}](${(0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_0__.diffUrl)(host, diff.id)})`
        ])), '');
        if (diffs.length > SUMMARY_DIFFS) {
            lines.push(`Showing the first ${SUMMARY_DIFFS} of ${(0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(diffs.length)} data diffs, changed tables first${reading.incomplete || reading.problem ? '' : '; the `data-diffs` output lists them all'}.`, '');
        }
    }
    if (reading.incomplete)
        lines.push(escapeLine(reading.incomplete), '');
    return lines;
}
function resultCell(diff, code) {
    if (diff.result !== null) {
        const icon = Object.hasOwn(RESULT_ICONS, diff.result) ? RESULT_ICONS[diff.result] : undefined;
        return icon ? `${icon} ${diff.result}` : `❔ ${code(diff.result)}`;
    }
    const status = diff.status === null ? 'no status' : code(diff.status);
    return (0,_data_diffs_js__WEBPACK_IMPORTED_MODULE_0__.standingOf)(diff) === 'running' ? `⏳ ${status}` : `❌ ${status}`;
}
function count(value) {
    return value === null ? '–' : (0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .formatCount */ .B4)(value);
}
/** A row of a table; a pipe inside a cell (in a code span too) must be escaped to stay in it. */
function tableRow(cells) {
    return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
}
function runCell(report) {
    if (report.ciRunId === undefined) {
        return report.triggerSent ? 'trigger sent, no answer from Datafold' : 'not triggered';
    }
    if (report.ciRunId === null)
        return 'none reported by Datafold';
    return report.runId ? `${report.ciRunId} (run_id ${report.runId})` : String(report.ciRunId);
}
/**
 * Inline code that survives any branch name or status: one line (a line break would end the table
 * row), with a fence longer than any backtick run inside.
 */
function codeSpan(raw) {
    const text = (0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .oneLine */ .TN)(raw);
    const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
    if (longest === 0)
        return `\`${text}\``;
    const fence = '`'.repeat(longest + 1);
    return `${fence} ${text} ${fence}`;
}
/** Text from outside (Datafold's messages, names) shown as text, never as HTML. */
function escapeHtml(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/**
 * One line of a message, which carries text from Datafold or GitHub: no HTML, no links (GFM turns
 * bare URLs, www. addresses and e-mail addresses into links, so their `:`, `.` and `@` are escaped),
 * no code spans, emphasis or table cells, and nothing that starts a block (a heading, a quote, a
 * setext underline) except the message's own `- ` bullets.
 */
function plainLine(line) {
    const text = escapeHtml((0,_format_js__WEBPACK_IMPORTED_MODULE_2__/* .oneLine */ .TN)(line))
        .replace(/[\\`[\]*_~|:@]/g, '\\$&')
        .replace(/\b(www)\./gi, '$1\\.');
    return text.replace(/^(\s*)([#=+]|-(?!\s))/, '$1\\$2');
}


/***/ })

};
;