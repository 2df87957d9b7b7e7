/**
 * Mutation testing: `npm run mutate` (all of src/), `npm run mutate -- --mutate src/http.ts` (one
 * file). See CONTRIBUTING.md, Mutation testing. Not run in CI: the whole run takes about 40 minutes on 2 cores.
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // Jest in ESM mode, as `npm test` runs it.
  testRunnerNodeArgs: ['--experimental-vm-modules'],
  coverageAnalysis: 'perTest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.mutation.config.js',
    enableFindRelatedTests: true
  },
  // index.ts starts the action when imported (signal handlers, process.exit): only the tests that
  // spawn the bundle run it, and they cannot see mutants.
  mutate: ['src/**/*.ts', '!src/index.ts'],
  ignorePatterns: ['dist', 'coverage', 'reports', '.bench-build'],
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp'
}
