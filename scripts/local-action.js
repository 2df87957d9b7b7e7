#!/usr/bin/env node
/**
 * `npm run local-action`: runs the action from source with GitHub's own local runner,
 * @github/local-action, against the stand-in Datafold (scripts/stand-in-datafold.js, preset
 * `success` unless `--preset NAME` says otherwise), with the inputs and event in .env.example.
 * local-action prints the log, the outputs and the summary; this script exits with its code.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PRESETS, startStandIn } from './stand-in-datafold.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const preset =
  args[args.indexOf('--preset') + 1] && args.includes('--preset')
    ? args[args.indexOf('--preset') + 1]
    : 'success'
if (!(preset in PRESETS)) {
  console.error(`Unknown preset ${preset}; choose one of ${Object.keys(PRESETS).join(', ')}.`)
  process.exit(2)
}

const standIn = await startStandIn(PRESETS[preset])
const dir = mkdtempSync(join(tmpdir(), 'local-action-'))
const summary = join(dir, 'summary.md')
writeFileSync(summary, '')
// local-action lets the .env file override the environment, so the stand-in's address and the
// temporary summary file go into a copy of .env.example.
const envFile = join(dir, '.env')
writeFileSync(
  envFile,
  readFileSync(join(root, '.env.example'), 'utf8')
    .replace(/^INPUT_DATAFOLD-HOST=.*$/m, `INPUT_DATAFOLD-HOST=${standIn.url}`)
    .replace(/^GITHUB_STEP_SUMMARY=.*$/m, `GITHUB_STEP_SUMMARY=${summary}`)
)
try {
  const code = await new Promise((resolve, reject) => {
    const child = spawn(
      'npx',
      ['--no-install', 'local-action', 'run', '.', 'src/local-action.ts', envFile],
      { cwd: root, stdio: 'inherit' }
    )
    child.on('error', reject)
    child.on('close', (exitCode) => resolve(exitCode ?? 1))
  })
  console.log(
    `\nlocal-action exited ${code}; the stand-in Datafold (${preset}) answered ${standIn.requests.length} requests.`
  )
  process.exitCode = code
} finally {
  await standIn.close()
  rmSync(dir, { recursive: true, force: true })
}
