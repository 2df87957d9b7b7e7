import { DatafoldError, type TriggerResult } from '../src/datafold-client.js'
import type { TablePair } from '../src/table-pairs.js'
import { uploadTablePairs } from '../src/upload-pairs.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'

const PAIRS: TablePair[] = [{ prod: 'p.a', pr: 'q.a' }]

/** A client whose upload answers `answer` or throws it, recording each call. */
function clientAnswering(answer: TriggerResult | Error) {
  const calls: [number, TablePair[]][] = []
  return {
    calls,
    uploadPairs: async (prNumber: number, pairs: TablePair[]): Promise<TriggerResult> => {
      calls.push([prNumber, pairs])
      if (answer instanceof Error) throw answer
      return answer
    }
  }
}

describe('uploadTablePairs', () => {
  it("sends the pairs once and returns Datafold's answer", async () => {
    const client = clientAnswering({ ciRunId: 1000, runId: 6000 })
    const log = new FakeToolkit()
    await expect(uploadTablePairs(client, 2, PAIRS, log)).resolves.toEqual({
      kind: 'uploaded',
      answer: { ciRunId: 1000, runId: 6000 }
    })
    expect(client.calls).toEqual([[2, PAIRS]])
    expect(log.logs('info')).toEqual([
      'Uploading 1 table pair for pull request #2.',
      'Datafold took the 1 table pair for CI run 1000.'
    ])
  })

  it('an answer that names no run is logged without one', async () => {
    const log = new FakeToolkit()
    await uploadTablePairs(clientAnswering({ ciRunId: null, runId: null }), 2, PAIRS, log)
    expect(log.logs('info')).toEqual([
      'Uploading 1 table pair for pull request #2.',
      'Datafold took the 1 table pair.'
    ])
  })

  it('a lost answer is a value, with a warning that it is not sent again', async () => {
    const client = clientAnswering(new DatafoldError('Connection reset.', { mayHaveStarted: true }))
    const log = new FakeToolkit()
    await expect(uploadTablePairs(client, 2, [...PAIRS, ...PAIRS], log)).resolves.toEqual({
      kind: 'lost',
      problem: 'The answer to the upload of the 2 table pairs was lost: Connection reset.'
    })
    expect(client.calls).toHaveLength(1)
    expect(log.logs('warning')).toEqual([
      'The answer to the upload of the 2 table pairs was lost: Connection reset. Datafold may have the pairs anyway, so they are not sent again (a second upload could attach them twice). If the run stays waiting, Datafold did not get them.'
    ])
  })

  it('a refusal, or running out of time, is an error that says the run waits without its pairs', async () => {
    for (const [error, outOfTime] of [
      [new DatafoldError('HTTP 422.'), false],
      [new DatafoldError('Out of time.', { outOfTime: true, mayHaveStarted: true }), true]
    ] as const) {
      const thrown = await uploadTablePairs(
        clientAnswering(error),
        2,
        PAIRS,
        new FakeToolkit()
      ).catch((e: unknown) => e)
      expect(thrown).toBeInstanceOf(DatafoldError)
      expect((thrown as DatafoldError).message).toBe(
        `${error.message} The 1 table pair could not be uploaded, so the Datafold CI run triggered for pull request #2 waits for them without diffing anything.`
      )
      expect((thrown as DatafoldError).outOfTime).toBe(outOfTime)
      expect((thrown as DatafoldError).mayHaveStarted).toBe(false)
    }
  })

  it("puts the consequence on its own line after a list of Datafold's reasons", async () => {
    const error = new DatafoldError(
      'Datafold rejected the request as invalid (HTTP 422):\n  - body.0.pr: field required'
    )
    const thrown = await uploadTablePairs(
      clientAnswering(error),
      2,
      PAIRS,
      new FakeToolkit()
    ).catch((e: unknown) => e)
    expect((thrown as Error).message).toBe(
      `${error.message}\nThe 1 table pair could not be uploaded, so the Datafold CI run triggered for pull request #2 waits for them without diffing anything.`
    )
  })

  it('lets any other error through', async () => {
    const error = new TypeError('bug')
    await expect(
      uploadTablePairs(clientAnswering(error), 2, PAIRS, new FakeToolkit())
    ).rejects.toBe(error)
  })
})
