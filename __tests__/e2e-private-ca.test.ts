/**
 * A Datafold behind a certificate from a private certificate authority (a dedicated deployment with
 * an internal certificate, or a TLS-inspecting proxy), end to end: the bundled action refuses the
 * certificate and says so in words, and trusts it once NODE_EXTRA_CA_CERTS names the CA, as the
 * "Self-hosted runners" section of docs/workflows.md tells users to do.
 *
 * __fixtures__/tls holds a test CA and a certificate it signed for localhost and 127.0.0.1 (valid
 * until 2126; the CA's key was thrown away). An https server with that certificate forwards every
 * request to the stand-in Datafold.
 */
import { readFileSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction, standInInputs, API_KEY } from '../__fixtures__/run-action.js'
import { startStandIn, type StandIn } from '../scripts/stand-in-datafold.js'

const tls = fileURLToPath(new URL('../__fixtures__/tls/', import.meta.url))

let standIn: StandIn
let server: https.Server
let host: string
let forwarded = 0

beforeAll(async () => {
  standIn = await startStandIn({ apiKey: API_KEY, statuses: ['processing', 'done'] })
  const target = new URL(standIn.url)
  server = https.createServer(
    {
      key: readFileSync(join(tls, 'localhost-key.pem')),
      cert: readFileSync(join(tls, 'localhost.pem'))
    },
    (request, response) => {
      forwarded += 1
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: request.url,
          method: request.method,
          headers: request.headers
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(response)
        }
      )
      request.pipe(upstream)
    }
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  host = `https://localhost:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await standIn.close()
})

it('refuses a certificate from an unknown authority, says so, and sends nothing', async () => {
  const result = await runAction({ inputs: standInInputs(host) })
  expect(result.code).toBe(1)
  expect(result.outputs.verdict).toBeUndefined()
  expect(result.stdout).toContain(
    `::error title=Datafold CI could not run::Could not reach Datafold at ${host}: the TLS certificate of ${host.slice('https://'.length)} was not accepted`
  )
  expect(forwarded).toBe(0)
}, 30_000)

it('trusts it once NODE_EXTRA_CA_CERTS names the authority', async () => {
  const result = await runAction({
    inputs: standInInputs(host),
    env: { NODE_EXTRA_CA_CERTS: join(tls, 'ca.pem') }
  })
  expect({ code: result.code, verdict: result.outputs.verdict }).toEqual({
    code: 0,
    verdict: 'success'
  })
  expect(forwarded).toBeGreaterThan(0)
}, 30_000)
