#!/usr/bin/env node
/**
 * The checks of a release (.github/workflows/release.yml), runnable locally:
 *
 *   npm run release-check -- v1.2.3     # rebuilds dist/ first, then the checks below
 *   node scripts/release-check.js v1.2.3
 *
 * 1. The tag is vMAJOR.MINOR.PATCH (v1.2.3; not v1.2, 1.2.3 or v1.2.3-rc.1).
 * 2. CHANGELOG.md has a non-empty section for the version: `## [1.2.3]` (Keep a Changelog).
 * 3. dist/ is what git has: run after `npm run bundle`, so a dist/ that is not the fresh bundle
 *    of the release commit fails (changed or new files under dist/).
 *
 * Then it says whether the major tag (v1) may move to this release: not when a newer v1.x.y tag
 * exists (a patch of an older minor must not take v1 backwards). In a workflow it writes
 * `version`, `major` and `move` (true or false) to $GITHUB_OUTPUT. Exits 1 when a check fails.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/

/**
 * The version and major tag of a release tag, or an error that says what is wrong.
 * @param {string} tag
 * @returns {{ version: string, major: string, parts: [number, number, number] }}
 */
export function parseReleaseTag(tag) {
  const match = TAG.exec(tag)
  if (!match) {
    throw new Error(
      `Release tag "${tag}" is not vMAJOR.MINOR.PATCH (for example v1.2.3): ` +
        'the major tag and the CHANGELOG section are derived from it.'
    )
  }
  const parts = /** @type {[number, number, number]} */ (match.slice(1, 4).map(Number))
  return { version: parts.join('.'), major: `v${parts[0]}`, parts }
}

/**
 * The text of CHANGELOG.md's section for a version (`## [1.2.3]` up to the next `## `), or
 * undefined when there is no such heading. `## [1.2.3] - 2025-01-31` counts; `## [1.2.30]` and
 * `## [Unreleased]` do not.
 * @param {string} changelog
 * @param {string} version
 * @returns {string | undefined}
 */
export function changelogSection(changelog, version) {
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n')
  const heading = `## [${version}]`
  const start = lines.findIndex(
    (line) => line === heading || (line.startsWith(heading) && /^\s/.test(line[heading.length]))
  )
  if (start < 0) return undefined
  const end = lines.findIndex((line, index) => index > start && /^##?\s/.test(line))
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .filter((line) => !/^\[[^\]]+\]:\s/.test(line))
    .join('\n')
    .trim()
}

/**
 * The problems with CHANGELOG.md for a version: none, or one sentence.
 * @param {string} changelog
 * @param {string} version
 * @returns {string[]}
 */
export function changelogProblems(changelog, version) {
  const section = changelogSection(changelog, version)
  if (section === undefined) {
    return [
      `CHANGELOG.md has no section for ${version}: add "## [${version}] - YYYY-MM-DD" ` +
        '(move the entries under Unreleased there).'
    ]
  }
  if (section === '') return [`CHANGELOG.md's section for ${version} is empty.`]
  return []
}

/**
 * Release tags of the same major that are newer than the version, newest first.
 * @param {string} version
 * @param {string[]} tags
 * @returns {string[]}
 */
export function newerInMajor(version, tags) {
  const [major, minor, patch] = parseReleaseTag(`v${version}`).parts
  return tags
    .filter((tag) => TAG.test(tag))
    .map((tag) => parseReleaseTag(tag).parts)
    .filter(([a, b, c]) => a === major && (b > minor || (b === minor && c > patch)))
    .sort((x, y) => y[0] - x[0] || y[1] - x[1] || y[2] - x[2])
    .map((parts) => `v${parts.join('.')}`)
}

/**
 * Files under dist/ that differ from the commit, as `git status --porcelain` lists them.
 * @param {string} root
 * @returns {string[]}
 */
function distChanges(root) {
  const status = execFileSync(
    'git',
    ['status', '--porcelain', '--untracked-files=all', '--', 'dist/'],
    {
      cwd: root,
      encoding: 'utf8'
    }
  )
  return status.split('\n').filter((line) => line.trim() !== '')
}

/** @param {string} root */
function releaseTags(root) {
  return execFileSync('git', ['tag', '--list', 'v*'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
}

/**
 * @param {string[]} argv
 * @param {string} root
 * @returns {number} the exit code
 */
function main(argv, root) {
  const inActions = process.env.GITHUB_ACTIONS === 'true'
  const fail = (/** @type {string} */ message) =>
    console.error(inActions ? `::error::${message.replace(/\n/g, '%0A')}` : `error: ${message}`)

  const tag = argv[0]
  if (argv.length !== 1 || !tag) {
    console.error('usage: node scripts/release-check.js vMAJOR.MINOR.PATCH')
    return 2
  }
  let release
  try {
    release = parseReleaseTag(tag)
  } catch (error) {
    fail(/** @type {Error} */ (error).message)
    return 1
  }
  console.log(`Tag ${tag}: version ${release.version}, major tag ${release.major}.`)

  const problems = changelogProblems(
    readFileSync(join(root, 'CHANGELOG.md'), 'utf8'),
    release.version
  )
  const changed = distChanges(root)
  if (changed.length > 0) {
    problems.push(
      'dist/ is not the fresh bundle of this commit (run `npm run bundle` and commit dist/):\n' +
        changed.join('\n')
    )
  }
  for (const problem of problems) fail(problem)
  if (problems.length > 0) return 1
  console.log(`CHANGELOG.md has a section for ${release.version}; dist/ is the fresh bundle.`)

  const newer = newerInMajor(release.version, releaseTags(root))
  const move = newer.length === 0
  console.log(
    move
      ? `${release.major} may move to ${tag}.`
      : `${release.major} stays: ${newer[0]} is newer than ${tag}.`
  )
  if (process.env.GITHUB_OUTPUT) {
    appendFileSync(
      process.env.GITHUB_OUTPUT,
      `version=${release.version}\nmajor=${release.major}\nmove=${move}\n`
    )
  }
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2), fileURLToPath(new URL('..', import.meta.url)))
}
