/**
 * The `dbt-manifest` input, read before anything is sent: the file opened the safe way
 * (workspace-file.ts), parsed as a stream (dbt-manifest.ts, loaded only now) and indexed for
 * matching (dbt-models.ts). Any problem is an InputError naming the input.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { realpathSync } from 'node:fs'
import { ModelIndex } from './dbt-models.js'
import { InputError } from './inputs.js'
import { openWorkspaceFile } from './workspace-file.js'

/**
 * The largest manifest read: 512 MiB. `npm run bench -- --only manifest` reads 100 MB in 4 to 7 s
 * on a shared 2-core machine, so this bounds the read to about half a minute; memory stays near 100 MB
 * whatever the size, since the parser keeps only the fields the match needs (docs/performance.md).
 */
export const MANIFEST_MAX_BYTES = 512 * 1024 * 1024

const EXPECTED =
  'the manifest.json that dbt writes to target/ in this job (after dbt build, run or compile), as a path inside GITHUB_WORKSPACE'

export interface ManifestRequest {
  /** The `dbt-manifest` input. */
  path: string
  /** The `dbt-project-dir` input; '' for the folder above the manifest's. */
  projectDir: string
  /** GITHUB_WORKSPACE: the repository's root. */
  workspace: string
  maxBytes?: number
}

export interface ManifestModels {
  index: ModelIndex
  /** The dbt project's folder, from the repository's root ('' for the root itself). */
  projectDir: string
  adapterType: string | null
  projectName: string | null
}

export async function readManifest(request: ManifestRequest): Promise<ManifestModels> {
  const file = openWorkspaceFile({
    workspace: request.workspace,
    path: request.path,
    input: 'dbt-manifest',
    maxBytes: request.maxBytes ?? MANIFEST_MAX_BYTES,
    expected: EXPECTED
  })
  const refuse = (why: string): InputError =>
    new InputError([`Input dbt-manifest is "${request.path}": ${why}. Expected ${EXPECTED}.`])
  // The parser is bundled apart and loaded only here, so steps without the input never load it.
  const { parseManifest, ManifestError } = await import('./dbt-manifest.js')
  try {
    const manifest = await parseManifest(file.stream)
    const projectDir = request.projectDir
      ? projectFolder(request.projectDir, request.workspace)
      : defaultProjectFolder(file.path, realpathSync(request.workspace), refuse)
    return {
      index: new ModelIndex(manifest, projectDir),
      projectDir,
      adapterType: manifest.adapterType,
      projectName: manifest.projectName
    }
  } catch (error) {
    if (error instanceof ManifestError) throw refuse(error.message)
    throw error
  } finally {
    file.stream.destroy()
  }
}

/** The `dbt-project-dir` input, from the repository's root; an InputError when outside it. */
function projectFolder(given: string, workspace: string): string {
  const rel = relative(resolve(workspace), resolve(workspace, given))
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new InputError([
      `Input dbt-project-dir is "${given}": it is outside the workspace. Expected the dbt project's folder (where dbt_project.yml is), relative to GITHUB_WORKSPACE, for example transform/.`
    ])
  }
  return toPosix(rel)
}

/** The folder above the manifest's (`<project>/target/manifest.json`). */
function defaultProjectFolder(
  manifest: string,
  root: string,
  refuse: (why: string) => InputError
): string {
  const rel = relative(root, dirname(dirname(manifest)))
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw refuse(
      "the folder above the manifest's folder, taken as the dbt project's, is outside the workspace: set dbt-project-dir to the project's folder"
    )
  }
  return toPosix(rel)
}

function toPosix(path: string): string {
  return path.split(sep).join('/')
}
