/**
 * action.yml is what the runner reads; README's Inputs and Outputs tables are what people read.
 * These tests fail when the two disagree (names, defaults, which inputs are required), when an
 * input or output lacks a description, or when the code reads an input or sets an output that
 * action.yml does not declare. They also keep the README a page a user can read: at most 3,000
 * words outside code blocks, and every link in it and in CONTRIBUTING.md leads somewhere.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { renderSummary } from '../src/summary.js'
import { linksIn, renderGfm, textOf } from '../__fixtures__/gfm.js'
import { PRESETS } from '../scripts/stand-in-datafold.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (path: string): string => readFileSync(join(root, path), 'utf8')

interface ActionInput {
  description?: string
  required?: boolean
  default?: string
  deprecationMessage?: string
}
interface Action {
  name?: string
  description?: string
  branding?: { icon?: string; color?: string }
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description?: string }>
  runs: { using: string; main: string }
}

const action = parse(read('action.yml')) as Action
const readme = read('README.md')

/** The rows of the first table under `## <heading>`: first cell (unquoted), second cell. */
function tableRows(heading: string): { name: string; cells: string[] }[] {
  const start = readme.indexOf(`\n## ${heading}\n`)
  if (start < 0) throw new Error(`README has no "## ${heading}" section`)
  const next = readme.indexOf('\n## ', start + 1)
  const lines = readme.slice(start, next < 0 ? undefined : next).split('\n')
  const first = lines.findIndex((line) => line.startsWith('|'))
  const table: string[] = []
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break
    table.push(line)
  }
  // Header and separator first; then one row per input or output.
  return table.slice(2).map((line) => {
    const cells = line
      .slice(1, -1)
      .split(/(?<!\\)\|/)
      .map((cell) => cell.trim())
    return { name: unquote(cells[0]), cells: cells.slice(1) }
  })
}

function unquote(cell: string): string {
  const match = /^`(.*)`$/.exec(cell)
  return match ? match[1] : cell
}

/** README's Default cell as action.yml spells it: `required`, `''` or the value in backticks. */
function readmeDefault(cell: string): { required: boolean; default?: string } {
  if (cell === 'required') return { required: true }
  const value = unquote(cell)
  return { required: false, default: value === "''" ? '' : value }
}

describe('README and action.yml', () => {
  const inputs = tableRows('Inputs')
  const outputs = tableRows('Outputs')

  it('list the same inputs, in the same order', () => {
    expect(inputs.map((row) => row.name)).toEqual(Object.keys(action.inputs))
  })

  it('give every input the same default, and mark the same ones required', () => {
    const fromReadme = Object.fromEntries(
      inputs.map((row) => [row.name, readmeDefault(row.cells[0])])
    )
    const fromAction = Object.fromEntries(
      Object.entries(action.inputs).map(([name, input]) => [
        name,
        input.required === true && input.default === undefined
          ? { required: true }
          : { required: false, default: String(input.default ?? '') }
      ])
    )
    expect(fromReadme).toEqual(fromAction)
  })

  it('list the same outputs', () => {
    expect(outputs.map((row) => row.name)).toEqual(Object.keys(action.outputs))
  })

  it('describe every input and output in both', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, (input.description ?? '').length > 20]).toEqual([name, true])
    }
    for (const [name, output] of Object.entries(action.outputs)) {
      expect([name, (output.description ?? '').length > 20]).toEqual([name, true])
    }
    for (const row of [...inputs, ...outputs]) {
      expect([row.name, row.cells[row.cells.length - 1].length > 20]).toEqual([row.name, true])
    }
  })
})

describe('one name for each input and output from v1.0.0', () => {
  // Renamed before the first release; an old name kept after the tag would have to stay through v1.
  it('has none of the old names, and nothing deprecated', () => {
    expect(Object.keys(action.inputs)).not.toContain('timeout-minutes')
    expect(Object.keys(action.outputs)).not.toEqual(expect.arrayContaining(['run-id']))
    expect(Object.keys(action.outputs)).not.toEqual(expect.arrayContaining(['conclusion']))
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, input.deprecationMessage]).toEqual([name, undefined])
    }
  })
})

describe('action.yml', () => {
  it('has a name, a description and branding for the Marketplace', () => {
    expect(action.name).toBeTruthy()
    expect(action.description).toBeTruthy()
    expect(action.branding?.icon).toBeTruthy()
    expect(action.branding?.color).toBeTruthy()
  })

  it('has a description the Marketplace takes (at most 125 characters)', () => {
    expect(action.description?.length).toBeLessThanOrEqual(125)
  })

  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
    expect(readdirSync(join(root, 'dist'))).toContain('index.js')
  })

  it('declares every input the code reads and every output it sets, and nothing else', () => {
    const source = readdirSync(join(root, 'src'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => read(join('src', name)))
      .join('\n')
    const used = (pattern: RegExp): string[] =>
      [...new Set([...source.matchAll(pattern)].map((match) => match[1]))].sort()
    const declared = Object.keys(action.inputs)
    // Read by name, input('name') or raw('name'): each must be declared.
    const byName = used(/\b(?:input|raw)\('([a-z-]+)'\)/g)
    expect(byName.filter((name) => !declared.includes(name))).toEqual([])
    // Some are read in a loop over their names: each declared one appears quoted in the code.
    expect(declared.filter((name) => !source.includes(`'${name}'`))).toEqual([])
    // Set directly (main.ts) or decided as [name, value] pairs that main.ts sets (decide.ts).
    expect(used(/(?:setOutput\(|outputs\.push\(\[)'([a-z-]+)'/g)).toEqual(
      Object.keys(action.outputs).sort()
    )
  })
})

describe('the summary example in docs/results.md', () => {
  it('is what renderSummary writes for that run, as GitHub renders both', () => {
    const results = read('docs/results.md')
    const start = results.indexOf('<!-- summary-example:start')
    const end = results.indexOf('<!-- summary-example:end -->')
    expect([start, end].every((at) => at > 0)).toBe(true)
    const example = results
      .slice(results.indexOf('\n', start) + 1, end)
      .split('\n')
      .map((line) => line.replace(/^> ?/, ''))
      .join('\n')
    // The stand-in's `changed` run (what `npm run demo -- --preset changed` shows).
    const diffs = (PRESETS.changed.dataDiffs ?? []).map((diff, i) => ({
      id: 4101 + i,
      table: diff.table ?? null,
      status: 'done',
      result: diff.result ?? null,
      rowsAdded: diff.rowsAdded ?? null,
      rowsRemoved: diff.rowsRemoved ?? null,
      rowsChanged: diff.rowsChanged ?? null,
      matchRatio: diff.matchRatio ?? null
    }))
    const markdown = renderSummary({
      title: 'Datafold CI passed',
      message:
        'Datafold CI run 1234 for pull request #2 (changes at ec26c3e) finished with status done.',
      host: new URL('https://app.datafold.com'),
      ciConfigId: 123,
      pr: {
        pr_number: 2,
        pr_branch: 'changes',
        base_branch: 'master',
        pr_sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
        base_sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'
      },
      prUrl: 'https://github.com/octo-org/analytics/pull/2',
      ciRunId: 1234,
      runId: 6234,
      status: 'done',
      conclusion: 'success',
      waitedMs: 200_000,
      polls: 9,
      dataDiffs: { diffs }
    })
    // Prettier pads the README's tables; the rendered HTML is the same but for whitespace.
    const normalize = (html: string): string =>
      html.replace(/\s+/g, ' ').replace(/> </g, '><').trim()
    expect(normalize(renderGfm(example))).toBe(normalize(renderGfm(markdown)))
  })
})

/** What a reader reads: the rendered text outside code blocks and HTML comments, in words. */
function wordsOutsideCode(markdown: string): number {
  const html = renderGfm(markdown)
    .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
  return textOf(html.replace(/</g, ' <'))
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-')
}

describe('the README for users', () => {
  it('has at most 2,500 words outside code blocks', () => {
    const words = wordsOutsideCode(readme)
    expect(words).toBeGreaterThan(1000)
    expect(words).toBeLessThanOrEqual(2500)
  })

  it('counts words the way a reader sees them, not code', () => {
    expect(
      wordsOutsideCode(
        'One two `three`.\n\n```yaml\nfour: five\n```\n\n| six | seven |\n| - | - |\n| eight | nine |\n<!-- ten -->'
      )
    ).toBe(7)
  })

  it.each([
    'README.md',
    'CONTRIBUTING.md',
    'SECURITY.md',
    ...readdirSync(join(root, 'docs')).map((name) => `docs/${name}`)
  ])('links only to files and headings that exist: %s', (file) => {
    const markdown = read(file)
    const anchors = [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) =>
      slug(textOf(renderGfm(match[1])))
    )
    const broken = linksIn(renderGfm(markdown)).filter((link) => {
      if (/^https?:\/\//.test(link)) return false
      if (link.startsWith('#')) return !anchors.includes(link.slice(1))
      return !existsSync(join(root, dirname(file), link.replace(/#.*$/, '')))
    })
    expect(broken).toEqual([])
  })
})

describe('README sections that the action names', () => {
  // What a message or description of the action (or an example) sends the reader to: `"X" in the README's Y
  // section`, `the README's X section`, or a link `README.md#anchor`.
  const sources = [
    ...readdirSync(join(root, 'src'))
      .filter((name) => name.endsWith('.ts'))
      .map((name) => `src/${name}`),
    'action.yml',
    // The examples' own messages and comments send readers to the README too.
    ...readdirSync(join(root, 'examples')).map((name) => `examples/${name}`)
  ]
  const mentions = sources.flatMap((path) =>
    read(path)
      .split('\n')
      .map((line, i) => ({ where: `${path}:${i + 1}`, text: line.replace(/\\'/g, "'") }))
      .filter((line) => line.text.includes('README'))
  )
  const references = mentions.flatMap(({ where, text }) => [
    ...[...text.matchAll(/"([^"]+)" in the README(?:'s (.+?) section)?/g)].map((m) => ({
      where,
      section: m[1],
      parent: m[2]
    })),
    ...[...text.matchAll(/(?<!" in )the README's (.+?) section/g)].map((m) => ({
      where,
      section: m[1],
      parent: undefined
    })),
    ...[...text.matchAll(/README\.md#([\w-]+)/g)].map((m) => ({
      where,
      section: `#${m[1]}`,
      parent: undefined
    }))
  ])

  /** Each heading with the headings above it, as rendered text. */
  const headings = readme
    .split('\n')
    .map((line) => /^(#{1,6}) (.+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ level: match[1].length, text: textOf(renderGfm(match[2])).trim() }))
  const withParents = headings.map((heading, i) => {
    const parents: string[] = []
    let level = heading.level
    for (const above of headings.slice(0, i).reverse()) {
      if (above.level < level) {
        parents.push(above.text)
        level = above.level
      }
    }
    return { ...heading, parents }
  })

  it('are all recognised: every line that names the README names a section or an anchor', () => {
    expect(references.length).toBeGreaterThan(0)
    const unread = mentions
      .filter(({ where }) => !references.some((reference) => reference.where === where))
      .map(({ where, text }) => `${where}: ${text.trim()}`)
    expect(unread).toEqual([])
  })

  it.each(references.map((reference) => [reference.where, reference]))(
    'exist in the README: %s',
    (_, { section, parent }) => {
      const found = section.startsWith('#')
        ? withParents.filter((heading) => `#${slug(heading.text)}` === section)
        : withParents.filter((heading) => heading.text === section)
      expect({ section, found: found.length > 0 }).toEqual({ section, found: true })
      const under =
        parent === undefined || found.some((heading) => heading.parents.includes(parent))
      expect({ section, under }).toEqual({ section, under: true })
    }
  )
})

/** The README up to its 1,000th word outside code blocks: what a newcomer reads first. */
function firstScreen(markdown: string, words = 1000): string {
  const lines = markdown.split('\n')
  let low = 0
  let high = lines.length
  // The most lines whose words outside code are at most `words`.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (wordsOutsideCode(lines.slice(0, mid).join('\n')) <= words) low = mid
    else high = mid - 1
  }
  return lines.slice(0, low).join('\n')
}

describe("the README's first 1,000 words answer a newcomer", () => {
  const screen = firstScreen(readme)
  const prose = screen.replace(/^ *```[\s\S]*?^ *```$/gm, '')
  const workflows = [...screen.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1])
    .filter((yaml) => /^on:/m.test(yaml) && /^jobs:/m.test(yaml))

  it('stops short of the whole README', () => {
    expect(screen.length).toBeGreaterThan(1000)
    expect(screen.length).toBeLessThan(readme.length)
  })

  it('says what must exist in Datafold first', () => {
    expect(prose).toMatch(/In Datafold first/)
    expect(prose).toMatch(/CI integration/)
    expect(prose).toMatch(/API key/)
  })

  it('gives a whole workflow for each kind of integration: dbt Core, dbt Cloud, API', () => {
    // dbt Cloud and API share one (API with diffs); dbt Core uploads its artifacts first.
    expect(workflows.some((yaml) => /datafold dbt upload/.test(yaml))).toBe(true)
    expect(workflows.some((yaml) => /diffs:/.test(yaml) && !/dbt upload/.test(yaml))).toBe(true)
    expect(prose).toMatch(/dbt Cloud/)
  })

  it('the dbt Core workflow is examples/dbt-core.yml, which the tests lint', () => {
    const dbtCore = workflows.find((yaml) => /datafold dbt upload/.test(yaml))
    expect(parse(dbtCore ?? '')).toEqual(parse(read('examples/dbt-core.yml')))
  })

  it('names the secret and the inputs', () => {
    expect(prose).toMatch(/`DATAFOLD_API_KEY`/)
    expect(prose).toMatch(/`api-key`/)
    expect(prose).toMatch(/`ci-config-id`/)
  })

  it('says what the check does when data changed and when no run started', () => {
    expect(prose).toMatch(
      /passes, whatever the data diffs found[\s\S]*`fail-on-data-changes: true`/
    )
    expect(prose).toMatch(/`skipped`, which \*\*passes\*\*[\s\S]*unless `fail-on-skip: true`/)
  })

  it('names the check to require', () => {
    expect(prose).toMatch(/require the\s+status check \*\*`datafold`\*\*/)
    const jobs = workflows.map((yaml) => Object.keys((parse(yaml) as { jobs: object }).jobs))
    expect(jobs.length).toBeGreaterThan(0)
    for (const ids of jobs) expect(ids).toContain('datafold')
  })

  it("says the check adds to Datafold's own check and comment", () => {
    expect(prose).toMatch(/adds to\*\* Datafold's/)
  })

  it('names the trigger mode that avoids a second run', () => {
    expect(prose).toMatch(/`trigger: auto`/)
  })

  it.each([
    ['CI config id', /CI config id/i],
    ['`skipped`', /skipped/i],
    ['Verdict', /\bverdicts?\b/i],
    ['The gate', /\bthe gate\b/i]
  ])('defines %s before its first use', (term, use) => {
    const marker = `- **${term}**:`
    const definition = prose.indexOf(marker)
    expect(definition).toBeGreaterThan(0)
    // The first use is inside the definition's own marker.
    const first = prose.search(use)
    expect({ term, first: first > definition && first < definition + marker.length }).toEqual({
      term,
      first: true
    })
  })
})
