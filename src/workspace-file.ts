/**
 * Reading a file an input names (`diffs`, `dbt-manifest`) the safe way. The path comes from the
 * workflow and the file from the pull request's checkout, so a pull request controls both: a
 * committed symbolic link could point at a runner file, and a FIFO or a device would block the
 * step for ever. Only a regular file whose real path (symbolic links followed) lies inside the
 * workspace is read, never more than the caller's limit, and no error quotes what the file holds.
 */
import {
  closeSync,
  constants,
  createReadStream,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  lstatSync,
  type Stats
} from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import { InputError } from './inputs.js'

export interface WorkspaceFileRequest {
  /** Where the workspace is (GITHUB_WORKSPACE); a relative path starts here. */
  workspace: string
  /** The path as the input gives it. */
  path: string
  /** The input's name, for the errors. */
  input: string
  /** The most bytes the file may hold. */
  maxBytes: number
  /** What the input expects, ending the errors: "Expected <expected>." */
  expected: string
}

/** A verified regular file inside the workspace, opened for reading. */
export interface WorkspaceFile {
  /** Its real path. */
  path: string
  /** Its size when it was opened. */
  size: number
  /**
   * Its bytes as a stream, which fails with an InputError past maxBytes (the file may grow after
   * it was checked) and closes the file when it ends or is destroyed. Destroy it if unread.
   */
  stream: Readable
}

/** The whole file, at most maxBytes of it. Throws InputError for a file it refuses. */
export function readWorkspaceFile(request: WorkspaceFileRequest): Buffer {
  const { fd, size } = openVerified(request)
  try {
    // Room for one byte past the limit shows a file that grew after its size was checked; a file
    // that says it is smaller than it is (as those in /proc do) is read on, bounded the same way.
    let buffer = Buffer.alloc(Math.min(size, request.maxBytes) + 1)
    let length = 0
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) return buffer.subarray(0, length)
      length += read
      if (length > request.maxBytes) throw refuse(request, grown(request))
      if (length === buffer.length) {
        const larger = Buffer.alloc(Math.min(buffer.length * 2, request.maxBytes + 1))
        buffer.copy(larger)
        buffer = larger
      }
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * The file opened, for callers that parse a large file as it is read. Throws InputError for a file
 * it refuses; the stream it returns fails with one past maxBytes.
 */
export function openWorkspaceFile(request: WorkspaceFileRequest): WorkspaceFile {
  const { fd, size, path } = openVerified(request)
  // end is inclusive: one byte past the limit is read, so a file that grew is seen to have grown.
  const source = createReadStream('', { fd, start: 0, end: request.maxBytes, autoClose: true })
  async function* bounded(): AsyncGenerator<Buffer> {
    let total = 0
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > request.maxBytes) throw refuse(request, grown(request))
      yield chunk
    }
  }
  const stream = Readable.from(bounded(), { objectMode: false })
  // Destroying the stream before it is read must still close the file.
  stream.once('close', () => source.destroy())
  return { path, size, stream }
}

/**
 * Resolves, checks and opens the file: real path inside the workspace's real path, a regular file
 * by stat before it is opened (so a FIFO or device is never opened), opened without blocking (a
 * FIFO swapped in between the check and the open cannot hold the step), and checked again on the
 * descriptor, which must be the very file that was checked.
 */
function openVerified(request: WorkspaceFileRequest): { fd: number; size: number; path: string } {
  const { workspace, path: given } = request
  const full = isAbsolute(given) ? given : resolve(workspace, given)
  let root: string
  try {
    root = realpathSync(workspace)
  } catch (error) {
    throw refuse(
      request,
      `the workspace ${workspace} (GITHUB_WORKSPACE) cannot be resolved (${codeOf(error)})`
    )
  }
  let real: string
  try {
    real = realpathSync(full)
  } catch (error) {
    throw refuse(request, unresolvable(full, error))
  }
  if (!inside(root, real)) {
    const link = real === full ? '' : `, which leads to ${real},`
    throw refuse(
      request,
      `${full}${link} is outside the workspace ${root}: only files inside GITHUB_WORKSPACE are read`
    )
  }
  let before: Stats
  try {
    before = statSync(real)
  } catch (error) {
    throw refuse(request, unresolvable(real, error))
  }
  if (!before.isFile()) throw refuse(request, `${real} is ${kindOf(before)}, not a regular file`)
  if (before.size > request.maxBytes) throw refuse(request, tooLarge(request, before.size))

  let fd: number
  try {
    fd = openSync(real, OPEN_FLAGS)
  } catch (error) {
    throw refuse(request, `${real} cannot be opened (${codeOf(error)})`)
  }
  try {
    const opened = fstatSync(fd)
    if (!opened.isFile()) throw refuse(request, `${real} is ${kindOf(opened)}, not a regular file`)
    if (opened.dev !== before.dev || opened.ino !== before.ino) {
      throw refuse(request, `${real} was replaced while it was being opened`)
    }
    if (opened.size > request.maxBytes) throw refuse(request, tooLarge(request, opened.size))
    return { fd, size: opened.size, path: real }
  } catch (error) {
    closeSync(fd)
    throw error
  }
}

// O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one. O_NOFOLLOW: the real
// path has no link left, so a link there now was put there after it was resolved. Neither exists
// on Windows, where neither risk does either.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

/** Whether `path` lies strictly inside `root` (both real paths). */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}

function unresolvable(path: string, error: unknown): string {
  const code = codeOf(error)
  if (code !== 'ENOENT') return `${path} cannot be read (${code})`
  // A link whose target is gone, or is no file at all (/dev/stdin on a pipe links to "pipe:[…]").
  const dangling = (() => {
    try {
      return lstatSync(path).isSymbolicLink()
    } catch {
      return false
    }
  })()
  return dangling
    ? `${path} is a symbolic link that leads to no file`
    : `there is no such file at ${path} (a relative path starts at GITHUB_WORKSPACE)`
}

function tooLarge(request: WorkspaceFileRequest, bytes: number): string {
  return `the file holds ${bytes} bytes, more than the ${request.maxBytes} allowed`
}

function grown(request: WorkspaceFileRequest): string {
  return `the file holds more than the ${request.maxBytes} bytes allowed`
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO (named pipe)'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSocket()) return 'a socket'
  return 'not a regular file'
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error)
}

function refuse(request: WorkspaceFileRequest, why: string): InputError {
  return new InputError([
    `Input ${request.input} is "${request.path}": ${why}. Expected ${request.expected}.`
  ])
}
