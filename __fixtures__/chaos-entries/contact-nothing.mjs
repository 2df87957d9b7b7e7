/**
 * A broken action for __tests__/fault-chaos.test.ts: it contacts nothing, writes a job summary
 * without a verdict, says it could not reach Datafold, and fails. Every safety check passes it
 * (it never passes wrongly, explains its failure, leaks nothing, ends in time); only the demand for
 * the right verdict catches it.
 */
import { appendFileSync } from 'node:fs'

if (process.env.GITHUB_STEP_SUMMARY) {
  appendFileSync(
    process.env.GITHUB_STEP_SUMMARY,
    '### Datafold CI could not run\n\n| | |\n| --- | --- |\n| Conclusion | none |\n'
  )
}
console.log('::error::Could not reach Datafold.')
process.exitCode = 1
