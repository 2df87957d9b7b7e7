/**
 * Which dbt model (or seed, or snapshot) built the table a data diff compares, and where its file
 * is in the repository. Datafold lists a table as its names (`["ANALYTICS", "PR_42", "ORDERS"]`);
 * the manifest gives each model's database, schema and alias. They are compared in the letter-case
 * rules of the warehouse (docs/dbt-annotations.md#letter-case):
 *
 * - a name dbt does not quote was folded by the warehouse (Snowflake to upper case, PostgreSQL and
 *   most others to lower case), so it matches in any letter case;
 * - a name dbt quotes is kept as written, so it matches only exactly;
 * - except where the warehouse ignores case even in quotes (Databricks, Spark, Redshift by
 *   default, DuckDB) or keeps it even unquoted (BigQuery's datasets and tables).
 *
 * Whether dbt quotes a name is read from the node's `relation_name`, which dbt renders with the
 * adapter's quote policy and the project's and model's `quoting` config; when a node has none, from
 * those configs directly. Pure: the manifest comes in parsed (dbt-manifest.ts).
 */
import { posix } from 'node:path'
import type { Manifest, ManifestNode, Quoting, RelationType } from './dbt-manifest.js'

/** A model's file in the repository. */
export interface ModelFile {
  uniqueId: string
  resourceType: RelationType
  /** Path from the repository's root, with `/`. */
  path: string
}

type Part = keyof Quoting
const PARTS: readonly Part[] = ['database', 'schema', 'identifier']
/** How one name compares: exactly, or after the warehouse's folding of letter case. */
type Rule = 'exact' | 'fold'

/** Adapters that ignore letter case in every name, quoted or not. */
const CASE_BLIND = new Set(['databricks', 'spark', 'redshift', 'duckdb'])
/** Adapters whose default quote policy quotes nothing (dbt's base policy quotes all three). */
const UNQUOTED_BY_DEFAULT = new Set(['snowflake'])

interface Entry {
  model: ModelFile
  names: Record<Part, string | null>
  rules: Record<Part, Rule>
}

export class ModelIndex {
  /** Entries by schema and identifier, each folded; database and rules are checked per entry. */
  private readonly entries = new Map<string, Entry[]>()
  private readonly fold: (name: string) => string
  /** How many models, seeds and snapshots of the root project the index holds. */
  readonly size: number

  /**
   * `projectDir`: the dbt project's folder, relative to the repository's root ('' for the root);
   * a node's `original_file_path` is relative to it.
   */
  constructor(manifest: Manifest, projectDir: string) {
    const adapter = (manifest.adapterType ?? '').toLowerCase()
    // Snowflake folds to upper case; the rest fold to lower. Equal names fold equally either way,
    // except for the odd letter (ß) whose upper case is two letters.
    this.fold =
      adapter === 'snowflake' ? (name) => name.toUpperCase() : (name) => name.toLowerCase()
    let size = 0
    for (const node of manifest.nodes) {
      // A package's models live in dbt_packages/, not in this repository.
      if (manifest.projectName !== null && node.packageName !== manifest.projectName) continue
      const path = repositoryPath(projectDir, node.file)
      if (path === undefined) continue
      const quoted = quotingOf(node, manifest, adapter)
      const rules = Object.fromEntries(
        PARTS.map((part) => [part, ruleFor(adapter, part, quoted[part])])
      ) as Record<Part, Rule>
      const entry: Entry = {
        model: { uniqueId: node.uniqueId, resourceType: node.resourceType, path },
        names: { database: node.database, schema: node.schema, identifier: node.identifier },
        rules
      }
      const key = this.key(node.schema, node.identifier)
      const list = this.entries.get(key)
      if (list) list.push(entry)
      else this.entries.set(key, [entry])
      size++
    }
    this.size = size
  }

  /**
   * The model that builds the table `parts` names (`[database, schema, table]`, or `[schema,
   * table]`); undefined when none does, or when more than one file could (a two-part name whose
   * schema and table exist in two databases).
   */
  match(parts: readonly string[]): ModelFile | undefined {
    if (parts.length < 2 || parts.length > 3) return undefined
    const [identifier, schema, database] = [...parts].reverse()
    const found = (this.entries.get(this.key(schema, identifier)) ?? []).filter(
      (entry) =>
        this.same(entry, 'identifier', identifier) &&
        this.same(entry, 'schema', schema) &&
        (database === undefined || this.same(entry, 'database', database))
    )
    const files = new Set(found.map((entry) => entry.model.path))
    return files.size === 1 ? found[0].model : undefined
  }

  private same(entry: Entry, part: Part, name: string): boolean {
    const own = entry.names[part]
    if (own === null) return false
    return entry.rules[part] === 'exact' ? own === name : this.fold(own) === this.fold(name)
  }

  private key(schema: string, identifier: string): string {
    return `${this.fold(schema)}\u0000${this.fold(identifier)}`
  }
}

/** How the warehouse compares one part of a name dbt quoted (or not). */
function ruleFor(adapter: string, part: Part, quoted: boolean): Rule {
  if (CASE_BLIND.has(adapter)) return 'fold'
  // BigQuery: project ids are lower case only; datasets and tables keep their case, quoted or not.
  if (adapter === 'bigquery') return part === 'database' ? 'fold' : 'exact'
  return quoted ? 'exact' : 'fold'
}

/**
 * Whether dbt quotes each part of the node's name: from `relation_name` where it shows the part,
 * else the node's `quoting` config, the project's, and the adapter's default.
 */
function quotingOf(node: ManifestNode, manifest: Manifest, adapter: string): Record<Part, boolean> {
  const rendered = node.relationName === null ? undefined : splitRelation(node.relationName)
  const fallback = !UNQUOTED_BY_DEFAULT.has(adapter)
  const result = {} as Record<Part, boolean>
  PARTS.forEach((part, index) => {
    // relation_name names the parts from the right: identifier, schema, then the database, which
    // an adapter's include policy may leave out.
    const shown = rendered?.[rendered.length - (PARTS.length - index)]
    result[part] = shown?.quoted ?? node.quoting[part] ?? manifest.quoting[part] ?? fallback
  })
  return result
}

/**
 * `"analytics"."PR_42".orders` → its names and whether each is quoted (`"` or a backtick, a doubled
 * quote standing for one); undefined when it is not such a name.
 */
export function splitRelation(text: string): { name: string; quoted: boolean }[] | undefined {
  const parts: { name: string; quoted: boolean }[] = []
  let i = 0
  for (;;) {
    const quote = text[i]
    if (quote === '"' || quote === '`') {
      let name = ''
      i++
      for (;;) {
        if (i >= text.length) return undefined
        if (text[i] === quote) {
          if (text[i + 1] !== quote) break
          i++
        }
        name += text[i++]
      }
      i++
      parts.push({ name, quoted: true })
    } else {
      const end = text.indexOf('.', i)
      const name = text.slice(i, end < 0 ? text.length : end)
      if (name === '' || /["`\s]/.test(name)) return undefined
      parts.push({ name, quoted: false })
      i = end < 0 ? text.length : end
    }
    if (i === text.length) return parts
    if (text[i] !== '.') return undefined
    i++
  }
}

/** The node's file from the repository's root; undefined when it would lie outside it. */
function repositoryPath(projectDir: string, file: string): string | undefined {
  const path = posix.normalize(posix.join(projectDir.replace(/\\/g, '/'), file.replace(/\\/g, '/')))
  if (path.startsWith('/') || path === '..' || path.startsWith('../') || path === '.')
    return undefined
  return path
}
