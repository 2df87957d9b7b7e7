export const id = 911;
export const ids = [911];
export const modules = {

/***/ 2911:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ManifestError: () => (/* binding */ ManifestError),
/* harmony export */   parseManifest: () => (/* binding */ parseManifest)
/* harmony export */ });
/* harmony import */ var _streamparser_json__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5497);
/**
 * The `dbt-manifest` input's file, read: dbt's `target/manifest.json` reduced to what matching a
 * data diff's table to a model needs. A large project's manifest runs to hundreds of megabytes, so
 * it is parsed as a stream (@streamparser/json) that drops each node once it is read: memory stays
 * near the size of the kept fields, not of the file (docs/dbt-annotations.md has the figures).
 * Loaded with a dynamic import, only when the input is given, so other steps never load the parser.
 */

/** The relations a data diff can compare: dbt builds a table or view for each of these. */
const RELATION_TYPES = ['model', 'seed', 'snapshot'];
/** The file is not a manifest this action can read; the message says what it is instead. */
class ManifestError extends Error {
    name = 'ManifestError';
}
/** The oldest manifest schema read: v10, written by dbt 1.6. */
const OLDEST_SCHEMA = 10;
const SCHEMA_URL = /^https:\/\/schemas\.getdbt\.com\/dbt\/([a-z-]+)\/v(\d+)\.json$/;
/**
 * The manifest in `chunks` (the file's bytes, in order). Throws ManifestError when it is not JSON,
 * not a dbt manifest, older than v10, or a model, seed or snapshot lacks a name the match needs.
 */
async function parseManifest(chunks) {
    const metadata = {};
    const nodes = [];
    let problem;
    // `$.*.*`: every member of a top-level object (each node, each metadata field), emitted when it
    // is complete; with keepStack false the parser then forgets it, so only what is kept here stays.
    const parser = new _streamparser_json__WEBPACK_IMPORTED_MODULE_0__/* .JSONParser */ .oj({ paths: ['$.*.*'], keepStack: false });
    parser.onValue = ({ value, key, stack }) => {
        if (problem)
            return;
        const section = stack[1]?.key;
        if (section === 'metadata' && typeof key === 'string')
            metadata[key] = value;
        else if (section === 'nodes') {
            if (typeof key !== 'string') {
                problem = new ManifestError('its nodes are a list: expected an object keyed by unique_id');
                return;
            }
            try {
                const node = readNode(key, value);
                if (node)
                    nodes.push(node);
            }
            catch (error) {
                problem = error;
            }
        }
    };
    // Only the parser's errors say the JSON is bad; a failing read (a file that grew past its
    // limit) is thrown as it came.
    const parse = (step) => {
        try {
            step();
        }
        catch (error) {
            throw new ManifestError(`it is not valid JSON (${jsonProblem(error)})`);
        }
        if (problem)
            throw problem;
    };
    let bytes = 0;
    for await (const chunk of chunks) {
        bytes += chunk.length;
        parse(() => parser.write(chunk));
    }
    if (bytes === 0)
        throw new ManifestError('it is empty');
    parse(() => {
        if (!parser.isEnded)
            parser.end();
    });
    return {
        schemaVersion: schemaVersionOf(metadata.dbt_schema_version),
        adapterType: typeof metadata.adapter_type === 'string' ? metadata.adapter_type : null,
        projectName: typeof metadata.project_name === 'string' ? metadata.project_name : null,
        quoting: quotingOf(metadata.quoting),
        nodes
    };
}
function schemaVersionOf(url) {
    if (typeof url !== 'string') {
        throw new ManifestError('it is not a dbt manifest: it has no metadata.dbt_schema_version, which every manifest dbt writes carries');
    }
    const match = SCHEMA_URL.exec(url);
    if (!match)
        throw new ManifestError(`it is not a dbt manifest: its dbt_schema_version is ${url}`);
    const [, kind, version] = match;
    if (kind !== 'manifest')
        throw new ManifestError(`it is dbt's ${kind} artifact (${url}), not the manifest`);
    const number = Number(version);
    if (number < OLDEST_SCHEMA) {
        throw new ManifestError(`it is a manifest of schema v${number}, written by a dbt older than 1.6: the action reads v${OLDEST_SCHEMA} and later`);
    }
    return number;
}
/** A model, seed or snapshot that builds a relation; undefined for any other node. */
function readNode(key, value) {
    if (!isRecord(value) || typeof value.resource_type !== 'string')
        throw new ManifestError(`its node ${key} is not a dbt node (no resource_type)`);
    const type = value.resource_type;
    if (!RELATION_TYPES.includes(type))
        return undefined;
    const config = isRecord(value.config) ? value.config : {};
    // An ephemeral model is a CTE inside others: no relation of its own to compare.
    if (config.materialized === 'ephemeral')
        return undefined;
    const text = (name) => {
        const field = value[name];
        if (typeof field !== 'string' || field === '')
            throw new ManifestError(`its ${type} ${key} has no ${name}`);
        return field;
    };
    const database = value.database ?? null;
    if (database !== null && typeof database !== 'string')
        throw new ManifestError(`its ${type} ${key} has a database that is not text`);
    return {
        uniqueId: typeof value.unique_id === 'string' ? value.unique_id : key,
        resourceType: type,
        packageName: typeof value.package_name === 'string' ? value.package_name : null,
        database,
        schema: text('schema'),
        identifier: typeof value.alias === 'string' && value.alias !== '' ? value.alias : text('name'),
        relationName: typeof value.relation_name === 'string' ? value.relation_name : null,
        quoting: quotingOf(config.quoting),
        file: text('original_file_path')
    };
}
function quotingOf(value) {
    if (!isRecord(value))
        return {};
    const quoting = {};
    for (const part of ['database', 'schema', 'identifier'])
        if (typeof value[part] === 'boolean')
            quoting[part] = value[part];
    return quoting;
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** The parser's own words, without its advice about chunks, which means nothing to a user. */
function jsonProblem(error) {
    const message = error instanceof Error ? error.message : String(error);
    return message
        .replace(/\.?\s*Either not all the data was received.*$/s, '')
        .replace(/at chunk position "\d+" \(absolute position "(\d+)"\) in state \w+/, 'at byte $1');
}


/***/ })

};
