/**
 * The `dbt-manifest` input's file, read: dbt's `target/manifest.json` reduced to what matching a
 * data diff's table to a model needs. A large project's manifest runs to hundreds of megabytes, so
 * it is parsed as a stream (@streamparser/json) that drops each node once it is read: memory stays
 * near the size of the kept fields, not of the file (docs/dbt-annotations.md has the figures).
 * Loaded with a dynamic import, only when the input is given, so other steps never load the parser.
 */
import { JSONParser } from '@streamparser/json'

/** The relations a data diff can compare: dbt builds a table or view for each of these. */
const RELATION_TYPES = ['model', 'seed', 'snapshot'] as const
export type RelationType = (typeof RELATION_TYPES)[number]

/** dbt's `quoting` config: whether each part of a relation's name is quoted. */
export interface Quoting {
  database?: boolean
  schema?: boolean
  identifier?: boolean
}

/** One model, seed or snapshot, as the manifest names it. */
export interface ManifestNode {
  uniqueId: string
  resourceType: RelationType
  packageName: string | null
  database: string | null
  schema: string
  /** `alias`, else `name`: the relation's own name in the warehouse. */
  identifier: string
  /** `relation_name`: the name dbt rendered with the adapter's quoting, when it gives one. */
  relationName: string | null
  /** `config.quoting`: the node's own quoting config, when it sets one. */
  quoting: Quoting
  /** `original_file_path`: the file, relative to the project's folder. */
  file: string
}

export interface Manifest {
  /** The number in `metadata.dbt_schema_version` (12 for .../manifest/v12.json). */
  schemaVersion: number
  /** `metadata.adapter_type`: snowflake, postgres, bigquery... */
  adapterType: string | null
  /** `metadata.project_name`: the root project, whose files are in the repository. */
  projectName: string | null
  /** `metadata.quoting`: the project's quoting config (dbt 1.9 and later write it). */
  quoting: Quoting
  nodes: ManifestNode[]
}

/** The file is not a manifest this action can read; the message says what it is instead. */
export class ManifestError extends Error {
  override name = 'ManifestError'
}

/** The oldest manifest schema read: v10, written by dbt 1.6. */
const OLDEST_SCHEMA = 10
const SCHEMA_URL = /^https:\/\/schemas\.getdbt\.com\/dbt\/([a-z-]+)\/v(\d+)\.json$/

/**
 * The manifest in `chunks` (the file's bytes, in order). Throws ManifestError when it is not JSON,
 * not a dbt manifest, older than v10, or a model, seed or snapshot lacks a name the match needs.
 */
export async function parseManifest(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>
): Promise<Manifest> {
  const metadata: Record<string, unknown> = {}
  const nodes: ManifestNode[] = []
  let problem: ManifestError | undefined
  // `$.*.*`: every member of a top-level object (each node, each metadata field), emitted when it
  // is complete; with keepStack false the parser then forgets it, so only what is kept here stays.
  const parser = new JSONParser({ paths: ['$.*.*'], keepStack: false })
  parser.onValue = ({ value, key, stack }) => {
    if (problem) return
    const section = stack[1]?.key
    if (section === 'metadata' && typeof key === 'string') metadata[key] = value
    else if (section === 'nodes') {
      if (typeof key !== 'string') {
        problem = new ManifestError('its nodes are a list: expected an object keyed by unique_id')
        return
      }
      try {
        const node = readNode(key, value)
        if (node) nodes.push(node)
      } catch (error) {
        problem = error as ManifestError
      }
    }
  }
  // Only the parser's errors say the JSON is bad; a failing read (a file that grew past its
  // limit) is thrown as it came.
  const parse = (step: () => void): void => {
    try {
      step()
    } catch (error) {
      throw new ManifestError(`it is not valid JSON (${jsonProblem(error)})`)
    }
    if (problem) throw problem
  }
  let bytes = 0
  for await (const chunk of chunks) {
    bytes += chunk.length
    parse(() => parser.write(chunk))
  }
  if (bytes === 0) throw new ManifestError('it is empty')
  parse(() => {
    if (!parser.isEnded) parser.end()
  })
  return {
    schemaVersion: schemaVersionOf(metadata.dbt_schema_version),
    adapterType: typeof metadata.adapter_type === 'string' ? metadata.adapter_type : null,
    projectName: typeof metadata.project_name === 'string' ? metadata.project_name : null,
    quoting: quotingOf(metadata.quoting),
    nodes
  }
}

function schemaVersionOf(url: unknown): number {
  if (typeof url !== 'string') {
    throw new ManifestError(
      'it is not a dbt manifest: it has no metadata.dbt_schema_version, which every manifest dbt writes carries'
    )
  }
  const match = SCHEMA_URL.exec(url)
  if (!match) throw new ManifestError(`it is not a dbt manifest: its dbt_schema_version is ${url}`)
  const [, kind, version] = match
  if (kind !== 'manifest')
    throw new ManifestError(`it is dbt's ${kind} artifact (${url}), not the manifest`)
  const number = Number(version)
  if (number < OLDEST_SCHEMA) {
    throw new ManifestError(
      `it is a manifest of schema v${number}, written by a dbt older than 1.6: the action reads v${OLDEST_SCHEMA} and later`
    )
  }
  return number
}

/** A model, seed or snapshot that builds a relation; undefined for any other node. */
function readNode(key: string, value: unknown): ManifestNode | undefined {
  if (!isRecord(value) || typeof value.resource_type !== 'string')
    throw new ManifestError(`its node ${key} is not a dbt node (no resource_type)`)
  const type = value.resource_type as RelationType
  if (!RELATION_TYPES.includes(type)) return undefined
  const config = isRecord(value.config) ? value.config : {}
  // An ephemeral model is a CTE inside others: no relation of its own to compare.
  if (config.materialized === 'ephemeral') return undefined
  const text = (name: string): string => {
    const field = value[name]
    if (typeof field !== 'string' || field === '')
      throw new ManifestError(`its ${type} ${key} has no ${name}`)
    return field
  }
  const database = value.database ?? null
  if (database !== null && typeof database !== 'string')
    throw new ManifestError(`its ${type} ${key} has a database that is not text`)
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
  }
}

function quotingOf(value: unknown): Quoting {
  if (!isRecord(value)) return {}
  const quoting: Quoting = {}
  for (const part of ['database', 'schema', 'identifier'] as const)
    if (typeof value[part] === 'boolean') quoting[part] = value[part]
  return quoting
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The parser's own words, without its advice about chunks, which means nothing to a user. */
function jsonProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message
    .replace(/\.?\s*Either not all the data was received.*$/s, '')
    .replace(/at chunk position "\d+" \(absolute position "(\d+)"\) in state \w+/, 'at byte $1')
}
