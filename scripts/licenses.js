#!/usr/bin/env node
/**
 * Writes the licence notices of every npm package bundled into dist/:
 *
 *   ncc build <entry> -o dist --stats-out .ncc-stats.json
 *   node scripts/licenses.js .ncc-stats.json dist/licenses.txt
 *
 * ncc's own `--license` option misses the packages bundled into chunks that are loaded on demand
 * (Octokit and everything under it). This reads the webpack stats ncc writes with `--stats-out`
 * instead, whatever the entry and whether the bundle is CommonJS or ESM: every module in an emitted
 * chunk (and every module concatenated into one) is a file on disk, and a file under
 * node_modules/<name>/ or node_modules/@scope/<name>/ belongs to that package (the nearest
 * node_modules, so a nested copy of another version counts as its own package).
 *
 * For each package: name, version, licence (package.json `license`), repository, and the full
 * text of every LICENSE, LICENCE, COPYING and NOTICE file it ships; a package that ships none is
 * listed with a note. Sorted by name and version, line endings normalised, no paths or dates:
 * the same node_modules gives the same file, byte for byte (CI checks dist/ is reproducible).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const RULE = '='.repeat(80)
const NOTICE_FILE = /^(licen[cs]e|copying|notice)([.\-_].*)?$/i

/**
 * @typedef {{ name?: string, identifier?: string, nameForCondition?: string,
 *   chunks?: (string | number)[], modules?: StatsModule[] }} StatsModule
 * @typedef {{ modules?: StatsModule[], children?: { modules?: StatsModule[] }[] }} Stats
 * @typedef {{ name: string, version: string, license: string, repository?: string,
 *   files: { name: string, text: string }[] }} Notice
 */

/**
 * The file path of a module, or undefined for webpack's runtime and Node's built-ins.
 * @param {StatsModule} module
 * @returns {string | undefined}
 */
function modulePath(module) {
  const path =
    module.nameForCondition ?? module.identifier?.split('!').pop()?.split('|')[0]?.split('?')[0]
  return path && (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) ? path : undefined
}

/**
 * Paths of the files bundled: the modules of emitted chunks, with the modules concatenated into
 * them. Modules in no chunk (tree-shaken, or listed again apart from their concatenation) are not.
 * @param {Stats} stats
 * @returns {string[]}
 */
export function bundledFiles(stats) {
  /** @type {Set<string>} */
  const files = new Set()
  /** @param {StatsModule} module */
  const add = (module) => {
    const path = modulePath(module)
    if (path) files.add(path)
    for (const inner of module.modules ?? []) add(inner)
  }
  const modules = [
    ...(stats.modules ?? []),
    ...(stats.children ?? []).flatMap((child) => child.modules ?? [])
  ]
  for (const module of modules) if ((module.chunks ?? []).length > 0) add(module)
  return [...files].sort()
}

/**
 * The package a file belongs to: its name and directory, from the last node_modules in the path.
 * @param {string} path
 * @returns {{ name: string, dir: string } | undefined}
 */
export function packageOf(path) {
  const parts = path.split(/[\\/]/)
  const at = parts.lastIndexOf('node_modules')
  if (at < 0 || at + 1 >= parts.length) return undefined
  const scoped = parts[at + 1].startsWith('@')
  const name = scoped ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1]
  return { name, dir: parts.slice(0, at + (scoped ? 3 : 2)).join('/') }
}

/**
 * The package directories bundled, by name: a name twice when two copies are bundled.
 * @param {Stats} stats
 * @returns {{ name: string, dir: string }[]}
 */
export function bundledPackages(stats) {
  /** @type {Map<string, { name: string, dir: string }>} */
  const packages = new Map()
  for (const file of bundledFiles(stats)) {
    const pkg = packageOf(file)
    if (pkg) packages.set(pkg.dir, pkg)
  }
  return [...packages.values()]
}

/** @param {string} text */
const normalise = (text) =>
  text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trim()

/** @param {unknown} field package.json `license` or the old `licenses` list */
function licenseId(field) {
  if (typeof field === 'string') return field
  if (Array.isArray(field)) return field.map(licenseId).join(' OR ')
  if (field && typeof field === 'object' && 'type' in field) return String(field.type)
  return 'UNKNOWN'
}

const HOSTS = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' }

/**
 * package.json `repository` as an https URL where npm's forms allow: `user/repo`,
 * `github:user/repo`, `git+https://….git`, `git://…`, `git+ssh://git@host/…`.
 * @param {unknown} field
 * @returns {string | undefined}
 */
export function repositoryUrl(field) {
  const url =
    typeof field === 'string'
      ? field
      : field && typeof field === 'object' && 'url' in field
        ? String(field.url)
        : undefined
  if (!url) return undefined
  const short = /^(?:(github|gitlab|bitbucket):)?([\w.-]+\/[\w.-]+)$/.exec(url)
  if (short) {
    const host = HOSTS[/** @type {keyof typeof HOSTS} */ (short[1] ?? 'github')]
    return `https://${host}/${short[2].replace(/\.git$/, '')}`
  }
  return url
    .replace(/^git\+/, '')
    .replace(/^(?:git|ssh):\/\/(?:git@)?/, 'https://')
    .replace(/\.git$/, '')
}

/**
 * The notice of one package directory: package.json's name, version, licence and repository, and
 * its licence files (LICENSE, LICENCE, COPYING, NOTICE, with any extension), by file name.
 * @param {string} dir
 * @returns {Notice}
 */
export function noticeOf(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const files = readdirSync(dir)
    .filter((name) => NOTICE_FILE.test(name) && statSync(join(dir, name)).isFile())
    .sort()
    .map((name) => ({ name, text: normalise(readFileSync(join(dir, name), 'utf8')) }))
  return {
    name: manifest.name,
    version: manifest.version,
    license: licenseId(manifest.license ?? manifest.licenses),
    repository: repositoryUrl(manifest.repository),
    files
  }
}

/** @param {string} a @param {string} b */
const byCodeUnit = (a, b) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The text of licenses.txt.
 * @param {Notice[]} notices
 * @returns {string}
 */
export function renderLicenses(notices) {
  /** @type {Map<string, Notice>} */
  const unique = new Map()
  for (const notice of notices) unique.set(`${notice.name}@${notice.version}`, notice)
  const sorted = [...unique.values()].sort(
    (a, b) => byCodeUnit(a.name, b.name) || byCodeUnit(a.version, b.version)
  )
  const out = [
    'Third-party software in dist/',
    '',
    `dist/ bundles code from the ${sorted.length} npm packages below. Each is listed with its`,
    'version, its licence and the licence text it ships. Written by scripts/licenses.js from the',
    'ncc build of `npm run bundle`; do not edit.',
    ''
  ]
  for (const notice of sorted) {
    out.push(RULE, `${notice.name} ${notice.version}`, `License: ${notice.license}`)
    if (notice.repository) out.push(`Repository: ${notice.repository}`)
    out.push('')
    if (notice.files.length === 0) {
      out.push(
        `The package ships no licence file; its package.json declares the licence ${notice.license}.`,
        ''
      )
    }
    for (const file of notice.files) {
      if (notice.files.length > 1) out.push(`--- ${file.name} ---`, '')
      out.push(file.text, '')
    }
  }
  return out.join('\n')
}

/**
 * The entries of a licenses.txt: name, version, licence and text.
 * @param {string} text
 * @returns {{ name: string, version: string, license: string, text: string }[]}
 */
export function parseLicenses(text) {
  return text
    .split(`${RULE}\n`)
    .slice(1)
    .map((entry) => {
      const [heading, license, ...rest] = entry.split('\n')
      const space = heading.lastIndexOf(' ')
      return {
        name: heading.slice(0, space),
        version: heading.slice(space + 1),
        license: license.replace(/^License: /, ''),
        text: rest
          .filter((line) => !line.startsWith('Repository: '))
          .join('\n')
          .trim()
      }
    })
}

/**
 * Reads the stats, writes the notices; returns them.
 * @param {string} statsPath
 * @param {string} outPath
 * @returns {Notice[]}
 */
export function writeLicenses(statsPath, outPath) {
  const stats = JSON.parse(readFileSync(statsPath, 'utf8'))
  const packages = bundledPackages(stats)
  if (packages.length === 0 && bundledFiles(stats).length === 0) {
    throw new Error(`${statsPath} lists no bundled modules: is it the output of ncc --stats-out?`)
  }
  const notices = packages.map((pkg) => noticeOf(pkg.dir))
  writeFileSync(outPath, renderLicenses(notices))
  return notices
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [statsPath, outPath] = process.argv.slice(2)
  if (!statsPath || !outPath) {
    console.error('usage: node scripts/licenses.js <ncc --stats-out file> <licenses.txt to write>')
    process.exit(2)
  }
  // Quiet (the bundle runs before every `npm test`) unless a package ships no licence file.
  const without = writeLicenses(statsPath, outPath).filter((notice) => notice.files.length === 0)
  if (without.length > 0) {
    console.warn(`No licence file in ${without.map((n) => `${n.name}@${n.version}`).join(', ')}.`)
  }
}
