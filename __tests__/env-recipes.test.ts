/**
 * CONTRIBUTING's recipe for a real Datafold: `.env.datafold.example`, filled in for one of the
 * user's own pull requests, must give settings the action accepts against a real (non-loopback)
 * host, and name that pull request by the inputs, with no event payload and no GitHub lookup.
 * (`.env.example`, the stand-in's, polls every 0.2 s and names a fixture pull request of another
 * repository: against a real host it is an input error.)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { needsLookup } from '../src/github-lookup.js'
import { readSettings } from '../src/inputs.js'
import { completeDetails, detailsFromPayload, readEventContext } from '../src/pull-request.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const RECIPE = '.env.datafold.example'

/** KEY=VALUE lines, as dotenv reads them (no quotes or inline comments are used). */
function readEnvFile(path: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(join(root, path), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_][A-Z0-9_-]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])
  )
}

// What a user fills in for their own pull request.
const MINE: Record<string, string> = {
  'INPUT_API-KEY': 'dfk_live_0123456789abcdef',
  'INPUT_CI-CONFIG-ID': '4321',
  'INPUT_PR-NUMBER': '17',
  'INPUT_PR-BRANCH': 'orders-refactor',
  'INPUT_BASE-BRANCH': 'main',
  'INPUT_PR-SHA': 'a'.repeat(40),
  'INPUT_BASE-SHA': 'b'.repeat(40),
  GITHUB_REPOSITORY: 'my-org/analytics'
}

describe(`${RECIPE}, the recipe for a real Datafold`, () => {
  const recipe = readEnvFile(RECIPE)

  it('leaves empty exactly what the user must fill in: key, config, pull request, repository', () => {
    const empty = Object.keys(recipe).filter((key) => recipe[key] === '')
    expect(empty.sort()).toEqual(Object.keys(MINE).sort())
  })

  it('sets only inputs that action.yml declares', () => {
    const declared = Object.keys(
      (parse(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: object }).inputs
    ).map((name) => `INPUT_${name.toUpperCase()}`)
    const inputs = Object.keys(recipe).filter((key) => key.startsWith('INPUT_'))
    expect(inputs.filter((key) => !declared.includes(key))).toEqual([])
  })

  it("filled in, is accepted against a real host and checks the user's own pull request", () => {
    const env: NodeJS.ProcessEnv = { ...recipe, ...MINE }
    const input = (name: string): string => (env[`INPUT_${name.toUpperCase()}`] ?? '').trim()
    const settings = readSettings(input, env)
    expect(settings.host.origin).toBe('https://app.datafold.com')
    const event = readEventContext(env)
    expect(event.payload).toEqual({})
    expect(needsLookup(event, settings.overrides)).toBe(false)
    expect(completeDetails(event, detailsFromPayload(event), settings.overrides)).toEqual({
      pr_number: 17,
      pr_branch: 'orders-refactor',
      base_branch: 'main',
      pr_sha: 'a'.repeat(40),
      base_sha: 'b'.repeat(40)
    })
  })
})
