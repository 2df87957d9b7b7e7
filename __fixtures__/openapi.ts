/**
 * Checks requests (and stand-in answers) against Datafold's OpenAPI spec in openapi/, so a test
 * fails when the action sends something the real API would reject.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'

type Spec = {
  paths: Record<string, Record<string, Operation>>
}
type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema: object }[]
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> }
  responses: Record<string, { content?: Record<string, { schema: object }> }>
}

const specDir = fileURLToPath(new URL('../openapi/', import.meta.url))
const specs: Record<string, Spec> = {
  trigger: parse(readFileSync(`${specDir}trigger-ci-run.yaml`, 'utf8')),
  runs: parse(readFileSync(`${specDir}list-ci-runs.yaml`, 'utf8'))
}

const ajv = new Ajv2020({ strict: false, allErrors: true })
for (const [id, spec] of Object.entries(specs)) ajv.addSchema(spec, id)

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

/** Coerces a path or query string the way the API's framework does, then validates it. */
function checkParameter(schema: object, raw: string, where: string): string[] {
  const validate = ajv.compile(schema)
  const asNumber = Number(raw)
  const candidates: unknown[] = [raw]
  if (raw !== '' && /^-?\d+$/.test(raw) && Number.isSafeInteger(asNumber))
    candidates.unshift(asNumber)
  return candidates.some((value) => validate(value))
    ? []
    : [`${where} = ${JSON.stringify(raw)} does not match ${JSON.stringify(schema)}`]
}

/** Every way the request breaks the spec; [] when it is valid. */
export function specViolations(request: RecordedRequest): string[] {
  const { id, template, op, pathParams } = operationFor(request)
  const problems: string[] = []
  for (const param of op.parameters ?? []) {
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
    problems.push(...checkParameter(param.schema, value, `${param.in} parameter ${param.name}`))
  }
  const known = new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name))
  for (const name of Object.keys(request.query)) {
    if (!known.has(name)) problems.push(`unknown query parameter ${name}`)
  }
  const auth = request.headers.authorization
  if (typeof auth !== 'string' || !/^Key \S+$/.test(auth))
    problems.push('Authorization header is not "Key <api-key>"')
  if (op.requestBody) {
    const schema = op.requestBody.content['application/json']?.schema
    if (request.body === undefined) {
      if (op.requestBody.required) problems.push('missing JSON body')
    } else if (schema) {
      const validate = ajv.compile({
        $ref: `${id}#/paths/${escapePointer(template)}/${request.method.toLowerCase()}/requestBody/content/application~1json/schema`
      })
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
  const validate = ajv.compile({
    $ref: `${id}#/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/200/content/application~1json/schema`
  })
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `response${e.instancePath} ${e.message}`)
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1')
}
