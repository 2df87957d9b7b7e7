/**
 * Reading a file an input names, on a real file system: real temporary workspaces, real symbolic
 * links, a real FIFO (mkfifo), /dev/zero and /proc. node:fs is the real one, with a hook between
 * the check and the open (and after the descriptor's check) so a test can swap the file the way a
 * racing process would.
 */
import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import type * as Fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const realFs = jest.requireActual<typeof Fs>('node:fs')
/** Runs just before the file is opened, and just after its descriptor is checked. */
const hooks: { beforeOpen?: (path: string) => void; afterFstat?: () => void } = {}
jest.unstable_mockModule('node:fs', () => ({
  ...realFs,
  default: realFs,
  openSync: (path: string, flags: number) => {
    hooks.beforeOpen?.(path)
    return realFs.openSync(path, flags)
  },
  fstatSync: (fd: number) => {
    const stats = realFs.fstatSync(fd)
    hooks.afterFstat?.()
    return stats
  }
}))
const { readWorkspaceFile, openWorkspaceFile } = await import('../src/workspace-file.js')
const { InputError } = await import('../src/inputs.js')

const { mkdtempSync, writeFileSync, symlinkSync, mkdirSync, appendFileSync, rmSync, renameSync } =
  realFs
const SECRET = 'runner-secret-content'
const EXPECTED = 'the path of a file of table pairs'

let workspace: string
let outside: string
beforeEach(() => {
  workspace = mkdtempSync(join(tmpdir(), 'workspace-file-'))
  outside = mkdtempSync(join(tmpdir(), 'outside-'))
  writeFileSync(join(outside, 'secret.txt'), SECRET)
  delete hooks.beforeOpen
  delete hooks.afterFstat
})
afterEach(() => {
  rmSync(workspace, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

const request = (path: string, maxBytes = 1000, root = workspace) => ({
  workspace: root,
  path,
  input: 'diffs',
  maxBytes,
  expected: EXPECTED
})

/** The one problem of the InputError that reading `path` throws. */
function refusal(path: string, maxBytes?: number, root?: string): string {
  try {
    readWorkspaceFile(request(path, maxBytes, root))
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    expect(error.problems).toHaveLength(1)
    return error.problems[0]
  }
  throw new Error(`${path} was read`)
}

describe('readWorkspaceFile', () => {
  it('reads a file by a relative or an absolute path inside the workspace, byte for byte', () => {
    const bytes = Buffer.from([0x5b, 0xff, 0xfe, 0x00, 0x5d])
    mkdirSync(join(workspace, 'ci'))
    writeFileSync(join(workspace, 'ci', 'pairs.yml'), bytes)
    expect(readWorkspaceFile(request('ci/pairs.yml'))).toEqual(bytes)
    expect(readWorkspaceFile(request(join(workspace, 'ci', 'pairs.yml')))).toEqual(bytes)
    expect(readWorkspaceFile(request('./ci/../ci/pairs.yml'))).toEqual(bytes)
  })

  it('follows a link that stays inside, and a workspace reached through a link', () => {
    writeFileSync(join(workspace, 'pairs.json'), '[]')
    symlinkSync('pairs.json', join(workspace, 'link.json'))
    expect(readWorkspaceFile(request('link.json')).toString()).toBe('[]')
    symlinkSync(workspace, join(outside, 'ws'))
    expect(readWorkspaceFile(request('pairs.json', 1000, join(outside, 'ws'))).toString()).toBe(
      '[]'
    )
  })

  it('reads a file whose name starts with two dots: it is inside', () => {
    writeFileSync(join(workspace, '..pairs'), 'x')
    expect(readWorkspaceFile(request('..pairs')).toString()).toBe('x')
  })

  it('refuses a path outside the workspace, naming the input and never quoting the file', () => {
    const secret = join(outside, 'secret.txt')
    const relativeOut = `../${outside.split('/').pop()}/secret.txt`
    expect(refusal(relativeOut)).toBe(
      `Input diffs is "${relativeOut}": ${secret} is outside the workspace ${workspace}: only files inside GITHUB_WORKSPACE are read. Expected ${EXPECTED}.`
    )
    expect(refusal(secret)).toBe(
      `Input diffs is "${secret}": ${secret} is outside the workspace ${workspace}: only files inside GITHUB_WORKSPACE are read. Expected ${EXPECTED}.`
    )
    // A link a pull request can commit, to a file or to a folder outside.
    symlinkSync(secret, join(workspace, 'pairs.yml'))
    symlinkSync(outside, join(workspace, 'dir'))
    expect(refusal('pairs.yml')).toBe(
      `Input diffs is "pairs.yml": ${join(workspace, 'pairs.yml')}, which leads to ${secret}, is outside the workspace ${workspace}: only files inside GITHUB_WORKSPACE are read. Expected ${EXPECTED}.`
    )
    expect(refusal('dir/secret.txt')).toContain(`which leads to ${secret}, is outside`)
    // A folder next to the workspace whose name starts with the workspace's.
    mkdirSync(`${workspace}-evil`)
    writeFileSync(`${workspace}-evil/secret.txt`, SECRET)
    expect(refusal(`${workspace}-evil/secret.txt`)).toContain('is outside the workspace')
    rmSync(`${workspace}-evil`, { recursive: true })
    expect(refusal('.')).toContain(`${workspace} is outside the workspace`)
    for (const path of [relativeOut, secret, 'pairs.yml', 'dir/secret.txt']) {
      expect(refusal(path)).not.toContain(SECRET)
    }
  })

  it('refuses a FIFO without opening it, and a FIFO swapped in after the check without blocking', () => {
    execFileSync('mkfifo', [join(workspace, 'pipe')])
    hooks.beforeOpen = (path) => {
      throw new Error(`${path} was opened`)
    }
    expect(refusal('pipe')).toBe(
      `Input diffs is "pipe": ${join(workspace, 'pipe')} is a FIFO (named pipe), not a regular file. Expected ${EXPECTED}.`
    )
    writeFileSync(join(workspace, 'pairs.yml'), 'x')
    hooks.beforeOpen = (path) => {
      rmSync(path)
      execFileSync('mkfifo', [path])
    }
    // Opened without O_NONBLOCK, a FIFO with no writer would hold this test until jest kills it.
    expect(refusal('pairs.yml')).toBe(
      `Input diffs is "pairs.yml": ${join(workspace, 'pairs.yml')} is a FIFO (named pipe), not a regular file. Expected ${EXPECTED}.`
    )
  })

  it('refuses a file replaced by another between the check and the open', () => {
    writeFileSync(join(workspace, 'pairs.yml'), 'checked')
    writeFileSync(join(workspace, 'other.yml'), 'swapped')
    hooks.beforeOpen = (path) => renameSync(join(workspace, 'other.yml'), path)
    expect(refusal('pairs.yml')).toBe(
      `Input diffs is "pairs.yml": ${join(workspace, 'pairs.yml')} was replaced while it was being opened. Expected ${EXPECTED}.`
    )
  })

  it('refuses a link swapped in between the check and the open', () => {
    writeFileSync(join(workspace, 'pairs.yml'), 'checked')
    hooks.beforeOpen = (path) => {
      rmSync(path)
      symlinkSync(join(outside, 'secret.txt'), path)
    }
    const problem = refusal('pairs.yml')
    expect(problem).toMatch(/ cannot be opened \((ELOOP|EMLINK)\)\. Expected /)
    expect(problem).not.toContain(SECRET)
  })

  it('refuses devices, /dev/stdin and /dev/zero, inside the workspace or linked from it', () => {
    hooks.beforeOpen = (path) => {
      throw new Error(`${path} was opened`)
    }
    expect(refusal('zero', 1000, '/dev')).toBe(
      `Input diffs is "zero": /dev/zero is a device, not a regular file. Expected ${EXPECTED}.`
    )
    symlinkSync('/dev/zero', join(workspace, 'zero'))
    expect(refusal('zero')).toContain(', which leads to /dev/zero, is outside the workspace')
    symlinkSync('/dev/stdin', join(workspace, 'stdin'))
    // /dev/stdin leads to a terminal, a pipe ("pipe:[…]", no path) or /dev/null: never a file here.
    expect(refusal('stdin')).toMatch(
      /^Input diffs is "stdin": .*(is outside the workspace|is a symbolic link that leads to no file)/
    )
    expect(refusal('/dev/stdin')).toMatch(/^Input diffs is "\/dev\/stdin": /)
  })

  it('refuses a directory', () => {
    mkdirSync(join(workspace, 'ci'))
    expect(refusal('ci')).toBe(
      `Input diffs is "ci": ${join(workspace, 'ci')} is a directory, not a regular file. Expected ${EXPECTED}.`
    )
  })

  it('refuses a file larger than the limit before reading it, and reads one of exactly the limit', () => {
    writeFileSync(join(workspace, 'big.yml'), 'x'.repeat(11))
    writeFileSync(join(workspace, 'fits.yml'), 'x'.repeat(10))
    expect(refusal('big.yml', 10)).toBe(
      `Input diffs is "big.yml": the file holds 11 bytes, more than the 10 allowed. Expected ${EXPECTED}.`
    )
    expect(readWorkspaceFile(request('fits.yml', 10)).toString()).toBe('x'.repeat(10))
    writeFileSync(join(workspace, 'empty.yml'), '')
    expect(readWorkspaceFile(request('empty.yml'))).toEqual(Buffer.alloc(0))
  })

  it('stops reading a file that grows past the limit after it was checked', () => {
    writeFileSync(join(workspace, 'pairs.yml'), 'x'.repeat(5))
    hooks.afterFstat = () => appendFileSync(join(workspace, 'pairs.yml'), 'y'.repeat(100))
    expect(refusal('pairs.yml', 50)).toBe(
      `Input diffs is "pairs.yml": the file holds more than the 50 bytes allowed. Expected ${EXPECTED}.`
    )
    // Growing within the limit is read whole.
    writeFileSync(join(workspace, 'small.yml'), 'x'.repeat(5))
    hooks.afterFstat = () => appendFileSync(join(workspace, 'small.yml'), 'y'.repeat(20))
    expect(readWorkspaceFile(request('small.yml', 50)).toString()).toBe(
      'x'.repeat(5) + 'y'.repeat(20)
    )
  })

  it('reads on, bounded, in a file that says it is empty but is not (/proc)', () => {
    const status = readWorkspaceFile(request('status', 100_000, '/proc/self'))
    expect(status.toString()).toMatch(/^Name:/)
    expect(refusal('status', 20, '/proc/self')).toContain('holds more than the 20 bytes allowed')
  })

  it('names a missing file, a link to nothing, and a workspace that does not exist', () => {
    expect(refusal('missing.yml')).toBe(
      `Input diffs is "missing.yml": there is no such file at ${join(workspace, 'missing.yml')} (a relative path starts at GITHUB_WORKSPACE). Expected ${EXPECTED}.`
    )
    symlinkSync(join(workspace, 'gone'), join(workspace, 'dangling'))
    expect(refusal('dangling')).toBe(
      `Input diffs is "dangling": ${join(workspace, 'dangling')} is a symbolic link that leads to no file. Expected ${EXPECTED}.`
    )
    writeFileSync(join(workspace, 'file'), 'x')
    expect(refusal('file/below')).toBe(
      `Input diffs is "file/below": ${join(workspace, 'file/below')} cannot be read (ENOTDIR). Expected ${EXPECTED}.`
    )
    expect(refusal('x', 10, join(workspace, 'nowhere'))).toBe(
      `Input diffs is "x": the workspace ${join(workspace, 'nowhere')} (GITHUB_WORKSPACE) cannot be resolved (ENOENT). Expected ${EXPECTED}.`
    )
  })
})

describe('openWorkspaceFile', () => {
  const readAll = async (stream: NodeJS.ReadableStream): Promise<string> => {
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString()
  }

  it('streams a checked file, with its real path and size', async () => {
    writeFileSync(join(workspace, 'manifest.json'), '{"nodes": {}}')
    symlinkSync('manifest.json', join(workspace, 'link.json'))
    const file = openWorkspaceFile(request('link.json'))
    expect(file.path).toBe(join(realFs.realpathSync(workspace), 'manifest.json'))
    expect(file.size).toBe(13)
    expect(await readAll(file.stream)).toBe('{"nodes": {}}')
  })

  it('refuses what readWorkspaceFile refuses, before anything is opened', () => {
    execFileSync('mkfifo', [join(workspace, 'pipe')])
    expect(() => openWorkspaceFile(request('pipe'))).toThrow(InputError)
    expect(() => openWorkspaceFile(request(join(outside, 'secret.txt')))).toThrow(
      /is outside the workspace/
    )
  })

  it('fails the stream with an InputError once a file that grew passes the limit', async () => {
    writeFileSync(join(workspace, 'manifest.json'), 'x'.repeat(10))
    hooks.afterFstat = () => appendFileSync(join(workspace, 'manifest.json'), 'y'.repeat(100_000))
    const file = openWorkspaceFile(request('manifest.json', 50_000))
    const error = await readAll(file.stream).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(InputError)
    expect((error as InstanceType<typeof InputError>).problems).toEqual([
      `Input diffs is "manifest.json": the file holds more than the 50000 bytes allowed. Expected ${EXPECTED}.`
    ])
  })

  it('closes the file when the stream is destroyed unread', async () => {
    writeFileSync(join(workspace, 'manifest.json'), '{}')
    const real = join(realFs.realpathSync(workspace), 'manifest.json')
    const openFds = (): string[] =>
      realFs.readdirSync('/proc/self/fd').filter((fd) => {
        try {
          return realFs.readlinkSync(`/proc/self/fd/${fd}`) === real
        } catch {
          return false
        }
      })
    const file = openWorkspaceFile(request('manifest.json'))
    expect(openFds()).toHaveLength(1)
    file.stream.destroy()
    // Closing is asynchronous: give it a bounded number of turns of the event loop.
    for (let turn = 0; turn < 1000 && openFds().length > 0; turn++) {
      await new Promise((done) => setImmediate(done))
    }
    expect(openFds()).toEqual([])
  })
})
