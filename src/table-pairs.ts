/**
 * The `diffs` input: the table pairs an API (custom) integration of Datafold CI compares, since
 * Datafold cannot tell from the code which tables a pull request changed. A JSON or YAML list,
 * given inline or as the path of a file, checked against `CiDiff` (openapi/upload-pr-changes.yaml)
 * before anything is sent, so a typo fails the step here instead of in Datafold.
 */
import { InputError } from './input-error.js'
import { readWorkspaceFile } from './workspace-file.js'
// The YAML parser is a chunk of its own in the bundle (about 280 KB), loaded only when `diffs` is
// given: every other step starts without it (docs/performance.md, start-up).
let yaml: typeof import('yaml') | undefined

/** Loads the YAML parser; readTablePairs needs it loaded first. */
export async function loadYaml(): Promise<void> {
  yaml ??= await import('yaml')
}

/** One entry of the upload's body: `CiDiff` from the spec. */
export interface TablePair {
  /** The production table, as a dotted path. */
  prod: string
  /** The pull request's table, as a dotted path. */
  pr: string
  /** Primary key columns; null or absent lets Datafold find them. */
  pk?: string[] | null
  include_columns?: string[]
  exclude_columns?: string[]
}

const FIELDS = ['prod', 'pr', 'pk', 'include_columns', 'exclude_columns'] as const
/** Larger files are not a list of table pairs someone wrote; reading them would only slow the step. */
const MAX_FILE_BYTES = 1_000_000
/** An example of one entry, for the errors. */
const EXAMPLE = '[{"prod": "analytics.prod.orders", "pr": "analytics.pr_42.orders", "pk": ["id"]}]'
/** Fatal: a byte that is not UTF-8 is an error, not a U+FFFD in a table name sent to Datafold. */
const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * The pairs of `value`, or every problem with it, each naming the input, the entry (its position
 * and `pr` path) and the field. `workspace` is where a relative file path starts (GITHUB_WORKSPACE);
 * a file is read only from inside it (workspace-file.ts).
 */
export function readTablePairs(
  value: string,
  workspace: string
): { pairs: TablePair[] } | { problems: string[] } {
  const text = value.trim()
  // A list written inline starts with `[` or `-` (or `{`, a list forgotten), or spans lines;
  // anything else names a file.
  const inline = /^[[{-]/.test(text) || text.includes('\n')
  let source = 'Input diffs'
  let content = text
  if (!inline) {
    source = `Input diffs (file ${text})`
    let bytes: Buffer
    try {
      bytes = readWorkspaceFile({
        workspace,
        path: text,
        input: 'diffs',
        maxBytes: MAX_FILE_BYTES,
        expected: `the path of a JSON or YAML file inside GITHUB_WORKSPACE, or the list itself, for example ${EXAMPLE}`
      })
    } catch (error) {
      // Stryker disable next-line ConditionalExpression: readWorkspaceFile throws only InputErrors; anything else would be a bug, rethrown rather than read as problems
      if (error instanceof InputError) return { problems: error.problems }
      throw error
    }
    try {
      content = UTF8.decode(bytes)
    } catch {
      return {
        problems: [
          `${source} is not UTF-8 text: expected a JSON or YAML file saved as UTF-8 (the table names would reach Datafold garbled).`
        ]
      }
    }
  }

  // YAML 1.2 reads JSON too, so one parser takes both forms.
  if (!yaml) throw new Error('readTablePairs needs loadYaml() first.')
  const document = yaml.parseDocument(content, { prettyErrors: false, uniqueKeys: true })
  if (document.errors.length > 0) {
    return {
      problems: [
        `${source} is not valid JSON or YAML: ${document.errors[0].message.split('\n')[0]}. Expected a list of table pairs, for example ${EXAMPLE}.`
      ]
    }
  }
  let list: unknown
  try {
    // No alias is resolved (maxAliasCount 0): a few bytes of aliases can stand for millions of
    // entries, and a pair list has no need of them; JSON has none.
    list = document.toJS({ maxAliasCount: 0 })
  } catch {
    return {
      problems: [
        `${source} uses a YAML alias (*name): expected every value written out, without anchors reused as aliases, so that what is checked is what is sent.`
      ]
    }
  }
  if (!Array.isArray(list) || list.length === 0) {
    const what = Array.isArray(list) ? 'an empty list' : describe(list)
    return {
      problems: [
        `${source} is ${what}: expected a list of at least one table pair, for example ${EXAMPLE}.`
      ]
    }
  }
  const problems = list.flatMap((entry, index) => entryProblems(source, entry, index + 1))
  return problems.length > 0 ? { problems } : { pairs: list.map(toPair) }
}

function entryProblems(source: string, entry: unknown, position: number): string[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return [
      `${source}, entry ${position} is ${describe(entry)}: expected an object with prod and pr, for example ${EXAMPLE}.`
    ]
  }
  const fields = entry as Record<string, unknown>
  const pr = typeof fields.pr === 'string' && fields.pr.trim() !== '' ? ` (pr ${fields.pr})` : ''
  const where = `${source}, entry ${position}${pr}`
  const problems: string[] = []
  for (const name of ['prod', 'pr'] as const) {
    const field = fields[name]
    if (field === undefined) {
      problems.push(
        `${where}: field ${name} is missing: expected a table path such as ${name === 'prod' ? 'analytics.prod.orders' : 'analytics.pr_42.orders'}.`
      )
    } else if (typeof field !== 'string' || field.trim() === '') {
      problems.push(
        `${where}: field ${name} is ${describe(field)}: expected a table path such as analytics.prod.orders.`
      )
    }
  }
  if (fields.pk !== undefined && fields.pk !== null) {
    const problem = columnsProblem(fields.pk, true)
    if (problem)
      problems.push(
        `${where}: field pk is ${describe(fields.pk)}: expected ${problem}, or null to let Datafold find the key.`
      )
  }
  for (const name of ['include_columns', 'exclude_columns'] as const) {
    if (fields[name] === undefined) continue
    const problem = columnsProblem(fields[name], false)
    if (problem)
      problems.push(`${where}: field ${name} is ${describe(fields[name])}: expected ${problem}.`)
  }
  // Datafold ignores a field it does not know; a misspelt pk would be dropped without a word.
  for (const name of Object.keys(fields)) {
    if (!(FIELDS as readonly string[]).includes(name)) {
      problems.push(
        `${where}: field ${name} is not a field of a table pair: expected only ${FIELDS.join(', ')}.`
      )
    }
  }
  return problems
}

/** Why `value` is not a list of column names, or undefined when it is. */
function columnsProblem(value: unknown, unique: boolean): string | undefined {
  const expected = `a list of column names, such as [id]${unique ? ', each once' : ''}`
  if (!Array.isArray(value)) return expected
  if (value.some((column) => typeof column !== 'string' || column.trim() === '')) return expected
  if (unique && new Set(value).size !== value.length) return expected
  return undefined
}

function toPair(entry: Record<string, unknown>): TablePair {
  const pair: TablePair = { prod: entry.prod as string, pr: entry.pr as string }
  if (entry.pk !== undefined) pair.pk = entry.pk as string[] | null
  if (entry.include_columns !== undefined) pair.include_columns = entry.include_columns as string[]
  if (entry.exclude_columns !== undefined) pair.exclude_columns = entry.exclude_columns as string[]
  return pair
}

/** A short description of a value for an error: its JSON, cut, or its kind. */
function describe(value: unknown): string {
  // == null: null (an empty document or entry) and undefined alike.
  if (value == null) return 'empty'
  const json = JSON.stringify(value)
  return json.length > 60 ? `${json.slice(0, 57)}...` : json
}
