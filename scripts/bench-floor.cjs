/**
 * A reference for `npm run bench`: the least any action can do in the bench's success case. It sends
 * the action's four requests (list the commit's runs, trigger, list again, the run's data diffs) to the stand-in with bare
 * `node:http`, prints one line and exits: no inputs, no event, no checks, no summary. CommonJS, so
 * it does not pay for the ESM loader either. Its time over `node -e 0` is what Node itself charges
 * for talking HTTP once a process starts.
 */
const http = require('node:http')

const host = process.env['INPUT_DATAFOLD-HOST']
const headers = { Authorization: 'Key demo-key', 'Content-Type': 'application/json' }
const sha = 'a'.repeat(40)
const runs = `/api/v1/ci/42/runs?pr_sha=${sha}&limit=100&offset=0`

function send(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${host}${path}`, { method, headers }, (res) => {
      let text = ''
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => resolve(JSON.parse(text)))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function main() {
  await send('GET', runs)
  const pr = { pr_number: 1, pr_branch: 'b', base_branch: 'main', pr_sha: sha, base_sha: sha }
  const trigger = await send('POST', '/api/v1/ci/42/trigger', JSON.stringify(pr))
  const run = (await send('GET', runs)).find((r) => r.id === trigger.ci_run_id)
  await send(
    'GET',
    `/api/v1/datadiffs?ci_run_id=${run.id}&order_by=ci_run_id&sort_order=desc&page=1&page_size=100`
  )
  process.stdout.write(`Run ${run.id} finished with status ${run.status}.\n`)
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`)
  process.exitCode = 1
})
