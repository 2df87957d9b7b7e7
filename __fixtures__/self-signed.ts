/**
 * A throwaway self-signed certificate from the openssl CLI, for tests that serve https: valid one
 * day, an EC key, the subject alternative names given (`IP:127.0.0.1`, `DNS:example.test`).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface SelfSigned {
  key: Buffer
  cert: Buffer
  /** The certificate as a file, for NODE_EXTRA_CA_CERTS, until remove(). */
  certFile: string
  remove(): void
}

export function selfSignedCert(commonName: string, subjectAltNames: string[]): SelfSigned {
  const dir = mkdtempSync(join(tmpdir(), 'test-tls-'))
  const keyFile = join(dir, 'key.pem')
  const certFile = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      `subjectAltName=${subjectAltNames.join(',')}`,
      '-keyout',
      keyFile,
      '-out',
      certFile
    ],
    { stdio: 'ignore' }
  )
  return {
    key: readFileSync(keyFile),
    cert: readFileSync(certFile),
    certFile,
    remove: () => rmSync(dir, { recursive: true, force: true })
  }
}
