/**
 * The bundled action (dist/index.js, built by `npm test`'s pretest) run as the Actions runner runs
 * it, on a real push payload, with the GitHub API replaced by a local server (GITHUB_API_URL, with a
 * GitHub Enterprise Server style /api/v3 path) and Datafold by the stand-in server. Proves that the
 * lazily loaded Octokit chunk ncc writes next to dist/index.js is found and works, and that the
 * pull_request path runs without it.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from '../__fixtures__/run-action.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
const PUSHED = '6113728f27ae82c7b1a177c8d03f9e96e0adf246'
const BASE_SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e'
const TOKEN = 'ghs_e2eT0kenForTheLocalApi000000000000'

// Imported by a computed path: the script is plain JavaScript, typed by its .d.ts.
const standInPath = '../scripts/stand-in-datafold.js'
const { startStandIn } = (await import(
  standInPath
)) as typeof import('../scripts/stand-in-datafold.js')
type StandIn = Awaited<ReturnType<typeof startStandIn>>

interface ApiRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
}

/** A local GitHub API: answers the commits-to-pulls request under /api/v3 with `pulls`. */
async function fakeGitHub(
  pulls: unknown[],
  headers: Record<string, string> = {}
): Promise<{ url: string; requests: ApiRequest[]; close(): Promise<void> }> {
  const requests: ApiRequest[] = []
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers })
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === `/api/v3/repos/Codertocat/Hello-World/commits/${PUSHED}/pulls`) {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
      res.end(JSON.stringify(pulls))
    } else {
      res.writeHead(404, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ message: 'Not Found', status: '404' }))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function inputsFor(datafoldUrl: string): Record<string, string> {
  return {
    'api-key': 'demo-key',
    'ci-config-id': '42',
    'datafold-host': datafoldUrl,
    'github-token': TOKEN,
    'poll-interval': '0.05',
    'max-poll-interval': '0.2'
  }
}

let standIn: StandIn
let github: Awaited<ReturnType<typeof fakeGitHub>> | undefined

beforeEach(async () => {
  standIn = await startStandIn({ statuses: ['queued', 'processing', 'done'] })
})

afterEach(async () => {
  await standIn.close()
  await github?.close()
  github = undefined
})

describe('the bundled action on a push event', () => {
  it('finds the pull request through GITHUB_API_URL and triggers Datafold for it', async () => {
    github = await fakeGitHub([
      {
        number: 1,
        state: 'closed',
        head: { ref: 'old', sha: PUSHED },
        base: { ref: 'master', sha: BASE_SHA }
      },
      {
        number: 5,
        state: 'open',
        head: { ref: 'master', sha: PUSHED },
        base: { ref: 'release', sha: BASE_SHA }
      }
    ])
    const result = await runAction({
      eventName: 'push',
      eventFile: 'push.created-branch.json',
      inputs: inputsFor(standIn.url),
      env: { GITHUB_API_URL: github.url }
    })
    expect(result.stdout).toContain('Pull request #5: master')
    expect(result.code).toBe(0)
    expect(result.outputs).toEqual({
      'ci-run-id': '1000',
      'trigger-run-id': '6000',
      'ci-run-started-by': 'trigger',
      status: 'done',
      verdict: 'success',
      'data-diffs': '[]',
      'data-diffs-changed': '0'
    })

    expect(github.requests).toHaveLength(1)
    expect(github.requests[0]).toMatchObject({
      method: 'GET',
      url: `/api/v3/repos/Codertocat/Hello-World/commits/${PUSHED}/pulls?per_page=100`,
      headers: { authorization: `token ${TOKEN}` }
    })
    const trigger = standIn.requests.find((r) => r.path === '/api/v1/ci/42/trigger')
    expect(trigger?.body).toEqual({
      pr_number: 5,
      pr_branch: 'master',
      base_branch: 'release',
      pr_sha: PUSHED,
      base_sha: BASE_SHA
    })
    // The token is masked for the runner and never printed.
    expect(result.stdout).toContain(`::add-mask::${TOKEN}`)
    expect(result.stdout.split(`::add-mask::${TOKEN}`).join('')).not.toContain(TOKEN)
  })

  it("passes Octokit's deprecation warning, built from GitHub's headers, through the step's defused log", async () => {
    github = await fakeGitHub([], {
      deprecation: 'true',
      sunset: '##[set-output name=conclusion;]success',
      link: '<##[stop-commands]x>; rel="deprecation"'
    })
    const result = await runAction({
      eventName: 'push',
      eventFile: 'push.created-branch.json',
      inputs: inputsFor(standIn.url),
      env: { GITHUB_API_URL: github.url }
    })
    expect(result.outputs).toEqual({ verdict: 'skipped' })
    expect(result.stdout).toMatch(
      /::warning title=GitHub API client::\[@octokit\/request\] "GET .*" is deprecated/
    )
    expect(result.stdout + result.stderr).not.toContain('##[')
  })

  it('ends skipped with nothing sent to Datafold when no pull request is open for the commit', async () => {
    github = await fakeGitHub([])
    const result = await runAction({
      eventName: 'push',
      eventFile: 'push.created-branch.json',
      inputs: inputsFor(standIn.url),
      env: { GITHUB_API_URL: github.url }
    })
    expect(result.code).toBe(0)
    expect(result.outputs).toEqual({ verdict: 'skipped' })
    expect(standIn.requests).toEqual([])
    expect(result.summary).toContain('No pull request to check')
    expect(result.stdout).toMatch(
      /::warning title=No pull request to check::No open pull request has 6113728/
    )
  })

  it('fails with a message about the token when the GitHub API answers 404', async () => {
    github = await fakeGitHub([])
    const result = await runAction({
      eventName: 'push',
      eventFile: 'push.created-branch.json',
      inputs: inputsFor(standIn.url),
      // A repository the API does not know: the local server answers 404 for it.
      env: { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'someone-else/private' }
    })
    expect(result.code).toBe(1)
    expect(standIn.requests).toEqual([])
    expect(result.stdout).toMatch(
      /::error title=Datafold CI could not run::GitHub answered 404 Not Found to GET \/repos\/someone-else\/private/
    )
    expect(result.stdout).toContain('`pull-requests: read` and `contents: read`')
  })
})

describe('the bundle', () => {
  const chunks = readdirSync(dist).filter((name) => /^\d+\.index\.(cjs\.)?js$/.test(name))
  const octokitChunks = chunks.filter((name) =>
    readFileSync(join(dist, name), 'utf8').includes('octokit-core.js')
  )

  it('keeps Octokit out of dist/index.js, in a chunk loaded only for a lookup', () => {
    const main = readFileSync(join(dist, 'index.js'), 'utf8')
    expect(chunks.length).toBeGreaterThan(0)
    expect(main).not.toContain('octokit-core.js') // Octokit's own user agent string
    expect(octokitChunks.length).toBeGreaterThan(0)
  })

  it('runs a pull_request event without the Octokit chunk', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'dist-without-octokit-'))
    for (const name of readdirSync(dist)) {
      if (!octokitChunks.includes(name)) copyFileSync(join(dist, name), join(copy, name))
    }
    const result = await runAction({
      entry: join(copy, 'index.js'),
      inputs: inputsFor(standIn.url),
      // Unreachable: a pull_request event must not talk to the GitHub API at all.
      env: { GITHUB_API_URL: 'http://127.0.0.1:1' }
    })
    expect(result.code).toBe(0)
    expect(result.outputs.verdict).toBe('success')
  })

  // The YAML parser is only for diffs (e2e-integrations.test.ts runs a step with diffs).
  const yamlChunks = chunks.filter((name) =>
    readFileSync(join(dist, name), 'utf8').includes('YAMLParseError')
  )

  it('keeps the YAML parser out of dist/index.js, in a chunk of its own', () => {
    const main = readFileSync(join(dist, 'index.js'), 'utf8')
    expect(main).not.toContain('YAMLParseError')
    expect(yamlChunks.length).toBeGreaterThan(0)
    expect(yamlChunks.filter((name) => octokitChunks.includes(name))).toEqual([])
  })

  it('runs a step without diffs without the YAML chunk', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'dist-without-yaml-'))
    for (const name of readdirSync(dist)) {
      if (!yamlChunks.includes(name)) copyFileSync(join(dist, name), join(copy, name))
    }
    const result = await runAction({
      entry: join(copy, 'index.js'),
      inputs: inputsFor(standIn.url)
    })
    expect(result.code).toBe(0)
    expect(result.outputs.verdict).toBe('success')
  })
})
