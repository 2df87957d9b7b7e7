/**
 * nock as the tests import it under Stryker (jest.mutation.config.js maps `nock` here). Importing
 * nock patches node:http and node:net for the whole process, and a test file undoes that in its
 * afterAll. But Stryker runs only the tests that cover a mutant, and jest skips the hooks of a file
 * none of whose tests run: nock would stay active for the files after it, where a real connection
 * that is reset crashes the test process. The test environment (stryker-environment.cjs) calls
 * this after every file.
 */
import nock from '../node_modules/nock/dist/index.js'

;(globalThis as { restoreNock?: () => void }).restoreNock = () => nock.restore()

export default nock
