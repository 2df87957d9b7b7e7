/**
 * Jest as Stryker runs it (`npm run mutate`, stryker.config.mjs): the unit tests only, with `src`
 * and `__fixtures__` in `roots` so `findRelatedTests` follows imports through the fixtures.
 * Tests that start dist/ or another process run code Stryker never mutates: they are left out.
 */
import { fileURLToPath } from 'node:url'
import base from './jest.config.js'

export default {
  ...base,
  roots: ['<rootDir>/__tests__', '<rootDir>/src', '<rootDir>/__fixtures__'],
  // nock taken out of node:http after every file, even one whose tests (and hooks) were all skipped.
  // A full path: Stryker loads the environment itself and does not know <rootDir>.
  testEnvironment: fileURLToPath(new URL('__fixtures__/stryker-environment.cjs', import.meta.url)),
  moduleNameMapper: {
    '^nock$': '<rootDir>/__fixtures__/stryker-nock.ts',
    ...base.moduleNameMapper
  },
  testPathIgnorePatterns: [
    '/node_modules/',
    '/__tests__/e2e[^/]*\\.test\\.ts$',
    '/__tests__/events-e2e\\.test\\.ts$',
    '/__tests__/fault-chaos\\.test\\.ts$',
    '/__tests__/local-action\\.test\\.ts$',
    '/__tests__/licenses\\.test\\.ts$',
    '/__tests__/examples-lint\\.test\\.ts$',
    '/__tests__/readme-sync\\.test\\.ts$',
    '/__tests__/release-check\\.test\\.ts$'
  ]
}
