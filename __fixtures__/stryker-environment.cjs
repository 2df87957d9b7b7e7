// jest's node environment for Stryker's runs (jest.mutation.config.js): after every test file it
// takes nock out of node:http again, whether or not the file's afterAll ran (see stryker-nock.ts).
const { TestEnvironment } = require('jest-environment-node')

module.exports = class StrykerEnvironment extends TestEnvironment {
  async teardown() {
    this.global.restoreNock?.()
    await super.teardown()
  }
}
