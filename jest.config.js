/** Jest in ESM mode (the @actions toolkit is ESM-only); see package.json "test". */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/__fixtures__/setup-polyfills.cjs'],
  testTimeout: 30000,
  // Four files at a time on a 2-core machine: most of the end-to-end suites' time is spent waiting
  // on a child process or a socket, so two workers left the cores idle (69 s against 54 s for the
  // whole suite here). Stryker runs jest in band and ignores this.
  maxWorkers: 4
}
