/**
 * scripts/release-check.js, which the release workflow runs on a published release: the tag
 * format, CHANGELOG.md's section for the version, and whether the major tag may move. The
 * dist/ check is `git status` after a rebuild, which CI's own freshness check already covers.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  changelogProblems,
  changelogSection,
  newerInMajor,
  parseReleaseTag
} from '../scripts/release-check.js'

const root = fileURLToPath(new URL('..', import.meta.url))

const CHANGELOG = `# Changelog

## [Unreleased]

### Fixed

- Something not released yet.

## [1.2.3] - 2025-06-30

### Fixed

- A fix.

## [1.2.0] - 2025-05-01

## [1.0.0] - 2025-01-31

### Added

- The first release.

[Unreleased]: https://github.com/datafold/datafold-ci-action/compare/v1.2.3...HEAD
[1.2.3]: https://github.com/datafold/datafold-ci-action/compare/v1.2.0...v1.2.3
`

describe('parseReleaseTag', () => {
  it('takes vMAJOR.MINOR.PATCH', () => {
    expect(parseReleaseTag('v1.2.3')).toEqual({ version: '1.2.3', major: 'v1', parts: [1, 2, 3] })
    expect(parseReleaseTag('v10.0.12')).toMatchObject({ version: '10.0.12', major: 'v10' })
    expect(parseReleaseTag('v0.1.0')).toMatchObject({ major: 'v0' })
  })

  it.each(['v1.2', 'v1', '1.2.3', 'v1.2.3-rc.1', 'v1.2.3.4', 'v01.2.3', 'V1.2.3', ' v1.2.3', ''])(
    'refuses %j',
    (tag) => {
      expect(() => parseReleaseTag(tag)).toThrow(`Release tag "${tag}" is not vMAJOR.MINOR.PATCH`)
    }
  )
})

describe('CHANGELOG.md', () => {
  it('has a section for a released version, with or without a date', () => {
    expect(changelogSection(CHANGELOG, '1.2.3')).toBe('### Fixed\n\n- A fix.')
    expect(changelogProblems(CHANGELOG, '1.2.3')).toEqual([])
    expect(changelogProblems('## [2.0.0]\n\n- Breaking.\n', '2.0.0')).toEqual([])
    expect(changelogProblems(CHANGELOG.replace(/\n/g, '\r\n'), '1.0.0')).toEqual([])
  })

  it('says so when the version has no section', () => {
    expect(changelogSection(CHANGELOG, '1.2.4')).toBeUndefined()
    expect(changelogProblems(CHANGELOG, '1.2.4')).toEqual([
      'CHANGELOG.md has no section for 1.2.4: add "## [1.2.4] - YYYY-MM-DD" (move the entries under Unreleased there).'
    ])
  })

  it('does not take a longer version, a link reference or an Unreleased entry for the section', () => {
    expect(changelogSection('## [1.2.30] - 2025-01-01\n\n- x\n', '1.2.3')).toBeUndefined()
    expect(changelogSection('[1.2.3]: https://example.com\n', '1.2.3')).toBeUndefined()
    expect(changelogSection('## [Unreleased]\n\n- 1.2.3\n', '1.2.3')).toBeUndefined()
    expect(changelogSection('### [1.2.3]\n\n- x\n', '1.2.3')).toBeUndefined()
  })

  it('says so when the section is empty', () => {
    expect(changelogProblems(CHANGELOG, '1.2.0')).toEqual([
      "CHANGELOG.md's section for 1.2.0 is empty."
    ])
  })

  it("the project's own CHANGELOG.md is in that format", () => {
    const own = readFileSync(join(root, 'CHANGELOG.md'), 'utf8')
    expect(changelogSection(own, 'Unreleased')).toBeTruthy()
    for (const [, version] of own.matchAll(/^## \[(\d+\.\d+\.\d+)\]/gm)) {
      expect([version, changelogProblems(own, version)]).toEqual([version, []])
    }
  })
})

describe('the major tag', () => {
  const tags = ['v1.0.0', 'v1.2.0', 'v1.2.3', 'v1.10.0', 'v2.0.0', 'v1', 'v2', 'v1.11.0-rc.1']

  it('moves to the newest release of its major', () => {
    expect(newerInMajor('1.10.0', tags)).toEqual([])
    expect(newerInMajor('1.10.1', tags)).toEqual([])
    expect(newerInMajor('2.0.0', tags)).toEqual([])
  })

  it('stays when a newer release of the same major exists', () => {
    expect(newerInMajor('1.2.4', tags)).toEqual(['v1.10.0'])
    expect(newerInMajor('1.0.1', tags)).toEqual(['v1.10.0', 'v1.2.3', 'v1.2.0'])
  })
})

describe('node scripts/release-check.js', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, 'scripts', 'release-check.js'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: '' }
    })

  const dirs: string[] = []
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  /** A repository with the script, a CHANGELOG.md for 1.2.3, a committed dist/ and some tags. */
  function release(tags: string[]) {
    const dir = mkdtempSync(join(tmpdir(), 'release-check-'))
    dirs.push(dir)
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: dir,
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 'test',
          GIT_AUTHOR_EMAIL: 'test@example.com',
          GIT_COMMITTER_NAME: 'test',
          GIT_COMMITTER_EMAIL: 'test@example.com'
        }
      })
    mkdirSync(join(dir, 'scripts'))
    mkdirSync(join(dir, 'dist'))
    copyFileSync(
      join(root, 'scripts', 'release-check.js'),
      join(dir, 'scripts', 'release-check.js')
    )
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
    writeFileSync(join(dir, 'CHANGELOG.md'), CHANGELOG)
    writeFileSync(join(dir, 'dist', 'index.js'), 'bundle\n')
    git('init', '--quiet')
    git('add', '.')
    git('commit', '--quiet', '--no-gpg-sign', '-m', 'release')
    for (const tag of tags) git('tag', tag)
    const output = join(dir, 'github-output')
    writeFileSync(output, '')
    const check = (tag: string) => {
      const result = spawnSync(process.execPath, [join(dir, 'scripts', 'release-check.js'), tag], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: output }
      })
      return { ...result, outputs: readFileSync(output, 'utf8') }
    }
    return { dir, check }
  }

  it('passes a good release and lets the major tag move to it', () => {
    const { check } = release(['v1.0.0', 'v1.2.0', 'v1'])
    const result = check('v1.2.3')
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' })
    expect(result.stdout).toContain('v1 may move to v1.2.3.')
    expect(result.outputs).toBe('version=1.2.3\nmajor=v1\nmove=true\n')
  })

  it('keeps the major tag on a newer release of the same major', () => {
    const { check } = release(['v1.3.0', 'v2.0.0'])
    const result = check('v1.2.3')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('v1 stays: v1.3.0 is newer than v1.2.3.')
    expect(result.outputs).toBe('version=1.2.3\nmajor=v1\nmove=false\n')
  })

  it('fails when dist/ is not what the release commit has', () => {
    const { dir, check } = release([])
    writeFileSync(join(dir, 'dist', 'index.js'), 'rebuilt differently\n')
    writeFileSync(join(dir, 'dist', '123.index.js'), 'a chunk that is not committed\n')
    const result = check('v1.2.3')
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('::error::dist/ is not the fresh bundle of this commit')
    expect(result.stderr).toContain('dist/index.js')
    expect(result.stderr).toContain('dist/123.index.js')
    expect(result.outputs).toBe('')
  })

  it('fails on a bad tag with a workflow error, before anything else', () => {
    const result = run('v1.2')
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('::error::Release tag "v1.2" is not vMAJOR.MINOR.PATCH')
    expect(result.stdout).toBe('')
  })

  it('fails when CHANGELOG.md has no section for the version', () => {
    const result = run('v999.0.0')
    expect(result.status).toBe(1)
    expect(result.stdout).toContain('Tag v999.0.0: version 999.0.0, major tag v999.')
    expect(result.stderr).toContain('::error::CHANGELOG.md has no section for 999.0.0')
  })

  it('wants exactly one tag', () => {
    expect(run().status).toBe(2)
    expect(run('v1.0.0', 'v1.0.1').status).toBe(2)
  })
})
