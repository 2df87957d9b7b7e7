/**
 * dist/licenses.txt names every npm package bundled into dist/, with its licence text. `npm run
 * bundle` (run before `npm test`) keeps the webpack stats of its ncc build in .ncc-stats.json
 * (git-ignored); the test takes the bundled packages from those stats (scripts/licenses.js) and
 * compares them with the file, instead of building the bundle a second time.
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  bundledFiles,
  bundledPackages,
  noticeOf,
  packageOf,
  parseLicenses,
  renderLicenses,
  repositoryUrl,
  type Notice,
  type Stats
} from '../scripts/licenses.js'

const root = fileURLToPath(new URL('..', import.meta.url))
/** Where `npm run bundle` leaves ncc's stats (its --stats-out). */
const STATS = join(root, '.ncc-stats.json')

describe('dist/licenses.txt', () => {
  let notices: Notice[]
  let committed: ReturnType<typeof parseLicenses>
  let stats: Stats & { assets?: { name: string; size: number }[] }

  beforeAll(() => {
    const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(scripts.bundle).toContain('--stats-out .ncc-stats.json')
    let text: string
    try {
      text = readFileSync(STATS, 'utf8')
    } catch {
      throw new Error(`${STATS} is missing: run \`npm run bundle\` (npm test runs it first).`)
    }
    stats = JSON.parse(text) as typeof stats
    notices = bundledPackages(stats).map((pkg) => noticeOf(pkg.dir))
    committed = parseLicenses(readFileSync(join(root, 'dist', 'licenses.txt'), 'utf8'))
  })

  it('reads the stats of the build in dist/: every file ncc emitted is there, at its size', () => {
    const assets = (stats.assets ?? []).map((asset) => [asset.name, asset.size])
    expect(assets.map(([name]) => name)).toContain('index.js')
    expect(assets.map(([name]) => [name, statSync(join(root, 'dist', String(name))).size])).toEqual(
      assets
    )
  })

  const id = (entry: { name: string; version: string }): string => `${entry.name}@${entry.version}`

  it('the build bundles npm packages', () => {
    expect(notices.length).toBeGreaterThan(0)
  })

  it('has a notice for every bundled package', () => {
    const listed = new Set(committed.map(id))
    const missing = notices.map(id).filter((name) => !listed.has(name))
    expect({ missing }).toEqual({ missing: [] })
  })

  it('lists no package that is not bundled', () => {
    const bundled = new Set(notices.map(id))
    expect({ notBundled: committed.map(id).filter((name) => !bundled.has(name)) }).toEqual({
      notBundled: []
    })
  })

  it("gives each package's licence and the full text of its licence files", () => {
    for (const notice of notices) {
      const entry = committed.find((e) => id(e) === id(notice))
      expect({ package: id(notice), license: entry?.license }).toEqual({
        package: id(notice),
        license: notice.license
      })
      for (const file of notice.files) {
        expect({ package: id(notice), has: entry?.text.includes(file.text) }).toEqual({
          package: id(notice),
          has: true
        })
      }
      expect({ package: id(notice), text: (entry?.text.length ?? 0) > 0 }).toEqual({
        package: id(notice),
        text: true
      })
    }
  })

  it('is what scripts/licenses.js writes for the bundle (sorted, no paths)', () => {
    const text = readFileSync(join(root, 'dist', 'licenses.txt'), 'utf8')
    expect(renderLicenses(notices)).toBe(text)
    expect(text).not.toContain(root)
  })
})

describe('scripts/licenses.js', () => {
  it('takes the package of a file from the last node_modules in its path', () => {
    expect(packageOf('/p/node_modules/undici/lib/core/util.js')).toEqual({
      name: 'undici',
      dir: '/p/node_modules/undici'
    })
    expect(packageOf('/p/node_modules/@octokit/core/dist-src/index.js')).toEqual({
      name: '@octokit/core',
      dir: '/p/node_modules/@octokit/core'
    })
    expect(
      packageOf('/p/node_modules/@actions/github/node_modules/@actions/http-client/lib/index.js')
    ).toEqual({
      name: '@actions/http-client',
      dir: '/p/node_modules/@actions/github/node_modules/@actions/http-client'
    })
    expect(packageOf('C:\\p\\node_modules\\tunnel\\index.js')).toEqual({
      name: 'tunnel',
      dir: 'C:/p/node_modules/tunnel'
    })
    expect(packageOf('/p/src/main.ts')).toBeUndefined()
  })

  it('counts the modules of emitted chunks and those concatenated into them, not orphans', () => {
    const stats: Stats = {
      modules: [
        { identifier: 'external node-commonjs "node:fs"', chunks: [1] },
        {
          identifier: '/p/node_modules/a/index.js + 1 modules',
          nameForCondition: '/p/node_modules/a/index.js',
          chunks: [1],
          modules: [{ identifier: '/p/node_modules/b/lib.js', chunks: [] }]
        },
        {
          identifier: 'loader.js!/p/node_modules/c/index.js|0123abcd',
          chunks: ['chunk']
        },
        { identifier: '/p/node_modules/b/lib.js', chunks: [] },
        { identifier: '/p/node_modules/tree-shaken/index.js', chunks: [] },
        { identifier: 'webpack/runtime/ensure chunk', chunks: [1] }
      ]
    }
    expect(bundledFiles(stats)).toEqual([
      '/p/node_modules/a/index.js',
      '/p/node_modules/b/lib.js',
      '/p/node_modules/c/index.js'
    ])
    expect(bundledPackages(stats).map((pkg) => pkg.name)).toEqual(['a', 'b', 'c'])
  })

  it('writes entries sorted by name and version, once each, with a note when no licence file ships', () => {
    const notice = (name: string, version: string, files: Notice['files'] = []): Notice => ({
      name,
      version,
      license: 'MIT',
      files
    })
    const text = renderLicenses([
      notice('zeta', '1.0.0', [{ name: 'LICENSE', text: 'Zeta licence' }]),
      notice('@scope/alpha', '2.0.0'),
      notice('beta', '10.0.0', [{ name: 'LICENSE', text: 'Beta 10' }]),
      notice('beta', '9.0.0', [
        { name: 'LICENSE-APACHE', text: 'Apache' },
        { name: 'LICENSE-MIT', text: 'MIT' }
      ]),
      notice('zeta', '1.0.0', [{ name: 'LICENSE', text: 'Zeta licence' }])
    ])
    expect(parseLicenses(text)).toEqual([
      {
        name: '@scope/alpha',
        version: '2.0.0',
        license: 'MIT',
        text: 'The package ships no licence file; its package.json declares the licence MIT.'
      },
      { name: 'beta', version: '10.0.0', license: 'MIT', text: 'Beta 10' },
      {
        name: 'beta',
        version: '9.0.0',
        license: 'MIT',
        text: '--- LICENSE-APACHE ---\n\nApache\n\n--- LICENSE-MIT ---\n\nMIT'
      },
      { name: 'zeta', version: '1.0.0', license: 'MIT', text: 'Zeta licence' }
    ])
    expect(text).toContain('bundles code from the 4 npm packages below')
  })

  it.each([
    ['github:octokit/core.js', 'https://github.com/octokit/core.js'],
    ['jshttp/content-type', 'https://github.com/jshttp/content-type'],
    [{ url: 'git+https://github.com/actions/toolkit.git' }, 'https://github.com/actions/toolkit'],
    [{ url: 'git://github.com/a/b.git' }, 'https://github.com/a/b'],
    [{ url: 'git+ssh://git@github.com/a/b.git' }, 'https://github.com/a/b'],
    ['gitlab:a/b', 'https://gitlab.com/a/b'],
    [undefined, undefined]
  ])('reads repository %j as %s', (field, url) => {
    expect(repositoryUrl(field)).toBe(url)
  })
})
