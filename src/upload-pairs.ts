/**
 * The table pairs of an API integration, sent after the trigger: Datafold attaches them to the run
 * waiting for the pull request, which only then starts diffing. An upload whose answer is lost is
 * not sent again (a second one could attach the pairs twice); the run itself shows whether they
 * arrived, since without them it stays `waiting`.
 */
import { DatafoldError, type DatafoldClient, type TriggerResult } from './datafold-client.js'
import type { TablePair } from './table-pairs.js'
import type { Log } from './toolkit.js'

export type UploadOutcome =
  | { kind: 'uploaded'; answer: TriggerResult }
  /** The upload reached Datafold, but its answer was lost: Datafold may or may not have the pairs. */
  | { kind: 'lost'; problem: string }

export async function uploadTablePairs(
  client: Pick<DatafoldClient, 'uploadPairs'>,
  prNumber: number,
  pairs: TablePair[],
  log: Log
): Promise<UploadOutcome> {
  const count = `${pairs.length} table ${pairs.length === 1 ? 'pair' : 'pairs'}`
  log.info(`Uploading ${count} for pull request #${prNumber}.`)
  try {
    const answer = await client.uploadPairs(prNumber, pairs)
    log.info(
      `Datafold took the ${count}${answer.ciRunId !== null ? ` for CI run ${answer.ciRunId}` : ''}.`
    )
    return { kind: 'uploaded', answer }
  } catch (error) {
    if (!(error instanceof DatafoldError)) throw error
    if (error.mayHaveStarted && !error.outOfTime) {
      const problem = `The answer to the upload of the ${count} was lost: ${error.message}`
      log.warning(
        `${problem} Datafold may have the pairs anyway, so they are not sent again (a second upload could attach them twice). If the run stays waiting, Datafold did not get them.`,
        { title: 'Table pairs answer lost' }
      )
      return { kind: 'lost', problem }
    }
    // The run was triggered and now waits for pairs that will not come: say so with the cause.
    // A list of Datafold's reasons (a 422) ends on its own line; the rest follows on the next.
    const gap = error.message.includes('\n') ? '\n' : ' '
    throw new DatafoldError(
      `${error.message}${gap}The ${count} could not be uploaded, so the Datafold CI run triggered for pull request #${prNumber} waits for them without diffing anything.`,
      { outOfTime: error.outOfTime }
    )
  }
}
