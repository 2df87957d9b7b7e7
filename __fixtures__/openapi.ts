/**
 * Checks requests (and stand-in answers) against Datafold's OpenAPI spec in openapi/, so a test
 * fails when the action sends something the real API would reject.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { parse } from 'yaml'

type Spec = {
  paths: Record<string, Record<string, Operation>>
}
type Operation = {
  description?: string
  parameters?: { in: string; name: string; required?: boolean; schema: object }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> }
  responses: Record<string, { content?: Record<string, { schema: object }> }>
}

const specDir = fileURLToPath(new URL('../openapi/', import.meta.url))
const specs: Record<string, Spec> = {
  trigger: parse(readFileSync(`${specDir}trigger-ci-run.yaml`, 'utf8')) as Spec,
  runs: parse(readFileSync(`${specDir}list-ci-runs.yaml`, 'utf8')) as Spec,
  datadiffs: parse(readFileSync(`${specDir}list-data-diffs.yaml`, 'utf8')) as Spec,
  // Last: its path template `/ci/{ci_config_id}/{pr_num}` would also match `/ci/42/trigger`.
  upload: parse(readFileSync(`${specDir}upload-pr-changes.yaml`, 'utf8')) as Spec
}

/**
 * Query parameters an operation accepts beyond the ones it declares. `GET /api/v1/datadiffs`
 * declares only paging and sorting, but its description says every field of a data diff is a filter
 * ("All fields support multiple items, using just comma delimiter"), and the action filters by
 * `ci_run_id`. So a field of `ApiDataDiffFull` is accepted as a query parameter when the operation's
 * description still says so, and its value (each comma-separated item) must match that field's own
 * schema. Any other undeclared parameter is still an error.
 */
const FIELD_FILTERS: Record<string, { schema: string; promise: string }> = {
  datadiffs: { schema: 'ApiDataDiffFull', promise: 'All fields support multiple items' }
}

const ajv = new Ajv2020({ strict: false, allErrors: true })
// The data diff schema has date-time and uri fields.
addFormats.default(ajv)
for (const [id, spec] of Object.entries(specs)) ajv.addSchema(spec, id)

/** The validator of the schema at `ref` (`<spec id>#<JSON pointer>`), compiled once. */
const validators = new Map<string, ValidateFunction>()
function validator(ref: string): ValidateFunction {
  let validate = validators.get(ref)
  if (!validate) {
    validate = ajv.compile({ $ref: ref })
    validators.set(ref, validate)
  }
  return validate
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

function operationFor(request: RecordedRequest): {
  id: string
  template: string
  op: Operation
  pathParams: Record<string, string>
} {
  for (const [id, spec] of Object.entries(specs)) {
    for (const [template, ops] of Object.entries(spec.paths)) {
      const names: string[] = []
      const pattern = new RegExp(
        '^' +
          template.replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)')) +
          '$'
      )
      const match = pattern.exec(request.path)
      const op = ops[request.method.toLowerCase()]
      if (match && op) {
        return {
          id,
          template,
          op,
          pathParams: Object.fromEntries(names.map((n, i) => [n, match[i + 1]]))
        }
      }
    }
  }
  throw new Error(`${request.method} ${request.path} is not an operation of the Datafold spec`)
}

/**
 * Coerces a path or query string the way the API's framework does, then validates it against the
 * schema at `pointer` in spec `id` (a reference, so `$ref`s inside the schema resolve in that spec).
 */
function checkParameter(
  id: string,
  pointer: string,
  shown: object,
  raw: string,
  where: string
): string[] {
  const validate = validator(`${id}#${pointer}`)
  const asNumber = Number(raw)
  const candidates: unknown[] = [raw]
  if (raw !== '' && /^-?\d+$/.test(raw) && Number.isSafeInteger(asNumber))
    candidates.unshift(asNumber)
  return candidates.some((value) => validate(value))
    ? []
    : [`${where} = ${JSON.stringify(raw)} does not match ${JSON.stringify(shown)}`]
}

/** Every way the request breaks the spec; [] when it is valid. */
export function specViolations(request: RecordedRequest): string[] {
  const { id, template, op, pathParams } = operationFor(request)
  const problems: string[] = []
  const opPointer = `/paths/${escapePointer(template)}/${request.method.toLowerCase()}`
  for (const [index, param] of (op.parameters ?? []).entries()) {
    const value =
      param.in === 'path'
        ? pathParams[param.name]
        : param.in === 'query'
          ? request.query[param.name]
          : undefined
    if (value === undefined) {
      if (param.required) problems.push(`missing ${param.in} parameter ${param.name}`)
      continue
    }
    problems.push(
      ...checkParameter(
        id,
        `${opPointer}/parameters/${index}/schema`,
        param.schema,
        value,
        `${param.in} parameter ${param.name}`
      )
    )
  }
  const known = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name))
  const filters = fieldFilters(id, op)
  for (const [name, value] of Object.entries(request.query)) {
    if (known.has(name)) continue
    const field = filters?.properties[name]
    if (!filters || !field) {
      problems.push(`unknown query parameter ${name}`)
      continue
    }
    for (const item of value.split(','))
      problems.push(
        ...checkParameter(
          id,
          `/components/schemas/${filters.schema}/properties/${escapePointer(name)}`,
          field,
          item,
          `query filter ${name}`
        )
      )
  }
  const auth = request.headers.authorization
  if (typeof auth !== 'string' || !/^Key \S+$/.test(auth))
    problems.push('Authorization header is not "Key <api-key>"')
  if (op.requestBody) {
    const schema = op.requestBody.content['application/json']?.schema
    if (request.body === undefined) {
      if (op.requestBody.required) problems.push('missing JSON body')
    } else if (schema) {
      const validate = validator(`${id}#${opPointer}/requestBody/content/application~1json/schema`)
      if (!validate(request.body))
        problems.push(...(validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`))
    }
    const type = request.headers['content-type']
    if (typeof type !== 'string' || !type.startsWith('application/json'))
      problems.push('Content-Type is not application/json')
  }
  return problems
}

/** Every way a 200 answer breaks the spec; [] when it is valid. */
export function responseViolations(method: string, path: string, body: unknown): string[] {
  const { id, template } = operationFor({ method, path, query: {}, headers: {}, body: undefined })
  const validate = validator(
    `${id}#/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/200/content/application~1json/schema`
  )
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `response${e.instancePath} ${e.message}`)
}

/** The fields an operation's description says can filter it, with their schema's name. */
function fieldFilters(
  id: string,
  op: Operation
): { schema: string; properties: Record<string, object> } | undefined {
  const filters = FIELD_FILTERS[id]
  if (!filters || !(op.description ?? '').includes(filters.promise)) return undefined
  const spec = specs[id] as Spec & {
    components: { schemas: Record<string, { properties: Record<string, object> }> }
  }
  return { schema: filters.schema, properties: spec.components.schemas[filters.schema].properties }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}
