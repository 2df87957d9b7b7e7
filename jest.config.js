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
  // Two files at a time: on a 2-core machine one worker left half the wall time idle while a file
  // waited on a child process or a socket. Stryker runs jest in band and ignores this.
  maxWorkers: 2
}
