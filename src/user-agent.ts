/**
 * The User-Agent of every request the action sends: `datafold-ci-action/<version>`, so Datafold and
 * GitHub can tell which release asked. The version is package.json's, inlined when the bundle is
 * built (ncc bundles the JSON import), so dist/ needs no package.json at run time.
 */
import packageJson from '../package.json' with { type: 'json' }

export const USER_AGENT = `datafold-ci-action/${packageJson.version}`
