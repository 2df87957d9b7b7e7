/**
 * run(deps) from settings to verdict, with a fake toolkit, a virtual clock and an in-memory
 * Datafold (fake transport): exit codes, outputs, summary, the requests sent, and the API key.
 */
import { jest } from '@jest/globals'
import type { DataDiff } from '../src/data-diffs.js'
import { readFileSync } from 'node:fs'
import nock from 'nock'
import { fileURLToPath } from 'node:url'
import type { CiRun } from '../src/datafold-client.js'
import { NetworkError } from '../src/http.js'
import { run } from '../src/main.js'
import { createToolkit } from '../src/toolkit.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'
import { useRunnerFiles } from '../__fixtures__/runner-files.js'
import {
  fakeTransport,
  type FakeAnswer,
  type FakeTransport
} from '../__fixtures__/fake-transport.js'
import { specViolations, type RecordedRequest } from '../__fixtures__/openapi.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'
import { renderGfm, textOf } from '../__fixtures__/gfm.js'
import { captureStdout, setEnv } from '../__fixtures__/process-io.js'
import { dataDiffAnswer, PRESETS, type StandInDiff } from '../scripts/stand-in-datafold.js'

const KEY = 'dfk_mainTestKey_7f3a'
const EVENT_PATH = fileURLToPath(
  new URL('../__fixtures__/events/pull_request.synchronize.json', import.meta.url)
)
const EVENT = JSON.parse(readFileSync(EVENT_PATH, 'utf8')) as {
  pull_request: { number: number; head: { sha: string; ref: string }; base: { sha: string } }
}
const HEAD_SHA = EVENT.pull_request.head.sha
const MERGE_SHA = '9999999999999999999999999999999999999999'
const RUNS = '/api/v1/ci/42/runs'
const TRIGGER = '/api/v1/ci/42/trigger'
const DIFFS = '/api/v1/datadiffs'

const ENV: NodeJS.ProcessEnv = {
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: EVENT_PATH,
  GITHUB_SHA: MERGE_SHA,
  GITHUB_REPOSITORY: 'Codertocat/Hello-World',
  GITHUB_SERVER_URL: 'https://github.com'
}

/** ENV for another event, read from a real payload in __fixtures__/events/. */
const eventEnv = (name: string, fixture: string): NodeJS.ProcessEnv => ({
  ...ENV,
  GITHUB_EVENT_NAME: name,
  GITHUB_EVENT_PATH: fileURLToPath(new URL(`../__fixtures__/events/${fixture}`, import.meta.url))
})

const INPUTS = { 'api-key': KEY, 'ci-config-id': '42', 'datafold-host': 'https://df.example.com' }

const ciRun = (
  id: number,
  status: string,
  pr_num = '2'
): CiRun & Record<string, string | number> => ({
  id,
  status,
  pr_num,
  pr_sha: HEAD_SHA,
  pr_branch: 'changes',
  base_branch: 'master',
  base_sha: EVENT.pull_request.base.sha
})

interface Sim {
  /** Runs listed before the trigger (and after it, alongside the new one). */
  existing?: CiRun[]
  /** The trigger's answer. */
  trigger?: FakeAnswer
  /** The new run's status at each list after the trigger; the last repeats. [] = no new run. */
  statuses?: string[]
  newRunId?: number
  /** Replaces the answer to the n-th list after the trigger (0-based). */
  failList?: Record<number, FakeAnswer>
  /** The data diffs Datafold lists (the new run's are those with its ci_run_id). */
  diffs?: StandInDiff[]
  /** The n-th list of data diffs (0-based) shows the new run's diffs still running up to here. */
  diffsRunningFor?: number
  /** The data diff list ignores ci_run_id. */
  ignoreFilter?: boolean
  /** Replaces the answer to the n-th request for data diffs (0-based); the last one repeats. */
  diffAnswers?: (FakeAnswer | null)[]
}

/**
 * A stand-in Datafold: lists runs of the commit, starts run `newRunId` when triggered, and lists
 * data diffs as the stand-in server does (scripts/stand-in-datafold.js).
 */
function datafold(sim: Sim): FakeTransport {
  const newRunId = sim.newRunId ?? 501
  let triggered = false
  let triggeredSha = HEAD_SHA
  let listsAfter = 0
  let diffRequests = 0
  let diffLists = 0
  return fakeTransport((request) => {
    if (request.method === 'GET' && request.path === DIFFS) {
      const n = diffRequests++
      const scripted = sim.diffAnswers?.[Math.min(n, sim.diffAnswers.length - 1)]
      if (scripted) return scripted
      if (request.query.page === '1') diffLists++
      return dataDiffAnswer(sim.diffs ?? [], new URLSearchParams(request.query), {
        ignoreFilter: sim.ignoreFilter,
        running: (diff) => diff.ciRunId === newRunId && diffLists <= (sim.diffsRunningFor ?? 0)
      })
    }
    if (request.method === 'POST' && request.path === TRIGGER) {
      triggered = true
      triggeredSha = (request.body as { pr_sha?: string } | undefined)?.pr_sha ?? HEAD_SHA
      return sim.trigger ?? { status: 200, body: { ci_run_id: newRunId, run_id: 77 } }
    }
    if (request.method === 'GET' && request.path === RUNS) {
      const listed = [...(sim.existing ?? [])]
      if (triggered) {
        const n = listsAfter++
        if (sim.failList?.[n]) return sim.failList[n]
        const statuses = sim.statuses ?? ['done']
        if (statuses.length > 0)
          listed.push({
            ...ciRun(newRunId, statuses[Math.min(n, statuses.length - 1)]),
            pr_sha: triggeredSha
          })
      }
      return { status: 200, body: listed }
    }
    return { status: 404, body: { detail: 'Not Found' } }
  })
}

async function runWith(
  inputs: Record<string, string>,
  sim: FakeTransport,
  options: {
    env?: NodeJS.ProcessEnv
    clock?: VirtualClock
    signal?: AbortSignal
    random?: () => number
  } = {}
) {
  const toolkit = new FakeToolkit(inputs)
  const clock = options.clock ?? new VirtualClock()
  const code = await run({
    toolkit,
    env: options.env ?? ENV,
    clock,
    signal: options.signal,
    transport: sim.transport,
    // The middle of every jitter band: exact delays.
    random: options.random ?? (() => 0.5)
  })
  for (const request of sim.requests) expect(specViolations(request)).toEqual([])
  return { code, toolkit, clock, requests: sim.requests }
}

const kinds = (requests: RecordedRequest[]): string[] =>
  requests.map((r) => `${r.method} ${r.path}`)

describe('run: input errors', () => {
  it('reports every bad input as an error annotation, sends nothing and writes no summary', async () => {
    const sim = datafold({})
    const { code, toolkit, requests } = await runWith(
      {
        'api-key': KEY,
        'ci-config-id': 'abc',
        'poll-interval': '0',
        'datafold-host': 'http://df.example.com'
      },
      sim
    )
    expect(code).toBe(1)
    expect(requests).toHaveLength(0)
    const errors = toolkit.logs('error')
    expect(errors).toHaveLength(3)
    expect(errors.some((e) => e.includes('ci-config-id') && e.includes('"abc"'))).toBe(true)
    expect(errors.some((e) => e.includes('poll-interval') && e.includes('"0"'))).toBe(true)
    expect(errors.some((e) => e.includes('datafold-host'))).toBe(true)
    expect(toolkit.titles('error')).toEqual(['Invalid input', 'Invalid input', 'Invalid input'])
    expect(toolkit.summary).toBe('')
    expect(toolkit.outputs).toEqual({})
    expect(toolkit.secrets).toContain(KEY)
  })

  it('masks a key with a space before saying it is malformed', async () => {
    const sim = datafold({})
    const bad = `${KEY} extra`
    const { code, toolkit, requests } = await runWith({ ...INPUTS, 'api-key': bad }, sim)
    expect(code).toBe(1)
    expect(requests).toHaveLength(0)
    expect(toolkit.secrets).toContain(bad)
    expect(toolkit.everything()).not.toContain(KEY)
  })
})

describe('run: a run that finishes', () => {
  it('passes on done: outputs, summary, and the requests in order', async () => {
    const sim = datafold({
      existing: [ciRun(400, 'failed')],
      statuses: ['queued', 'processing', 'done']
    })
    // Datafold's own run is listed: trigger: always still starts (and follows) a new one.
    const { code, toolkit, requests } = await runWith({ ...INPUTS, trigger: 'always' }, sim)
    expect(code).toBe(0)
    expect(toolkit.outputs).toEqual({
      'ci-run-id': '501',
      'trigger-run-id': '77',
      'ci-run-started-by': 'trigger',
      status: 'done',
      verdict: 'success',
      'data-diffs': '[]',
      'data-diffs-changed': '0'
    })
    expect(kinds(requests)).toEqual([
      `GET ${RUNS}`,
      `POST ${TRIGGER}`,
      `GET ${RUNS}`,
      `GET ${RUNS}`,
      `GET ${RUNS}`,
      `GET ${DIFFS}`
    ])
    // The pull request's head commit from the payload, never GITHUB_SHA (the merge commit).
    expect(requests[1].body).toEqual({
      pr_number: 2,
      pr_branch: 'changes',
      base_branch: 'master',
      pr_sha: HEAD_SHA,
      base_sha: EVENT.pull_request.base.sha
    })
    expect(requests[0].query.pr_sha).toBe(HEAD_SHA)
    expect(JSON.stringify(requests)).not.toContain(MERGE_SHA)

    const summary = toolkit.summary
    expect(summary).toMatch(/^### ✅ Datafold CI passed/)
    expect(summary).toContain('[#2](https://github.com/Codertocat/Hello-World/pull/2)')
    expect(summary).toContain('501 (run_id 77)')
    expect(summary).toContain('Datafold lists no data diffs for this run.')
    expect(summary).toContain(`\`${HEAD_SHA.slice(0, 7)}\``)
    expect(summary).toContain('3 status checks')
    expect(summary).toContain('https://df.example.com, CI config 42')
    expect(toolkit.logs('error')).toEqual([])
    expect(toolkit.logs('info')).toContain(
      'Datafold CI run 501 for pull request #2 (changes at ec26c3e) finished with status done.'
    )
  })

  it('groups the log by phase', async () => {
    const { toolkit } = await runWith(INPUTS, datafold({}))
    expect(
      toolkit.events.filter((e) => e.type === 'group').map((e) => (e as { name: string }).name)
    ).toEqual([
      'Pull request',
      'Datafold CI run of the commit',
      'Wait for the Datafold CI run',
      'Data diffs'
    ])
  })

  it.each([
    ['failed', 'failure'],
    ['cancelled', 'cancelled']
  ])(
    'fails on %s, naming the run, its status and the PR, with outputs set first',
    async (status, conclusion) => {
      const sim = datafold({ statuses: ['processing', status] })
      const { code, toolkit } = await runWith(INPUTS, sim)
      expect(code).toBe(1)
      expect(toolkit.outputs).toMatchObject({
        'ci-run-id': '501',
        status,
        verdict: conclusion
      })
      const errors = toolkit.logs('error')
      expect(errors).toHaveLength(1)
      expect(toolkit.titles('error')).toEqual([
        status === 'failed' ? 'Datafold CI failed' : 'Datafold CI run was cancelled'
      ])
      expect(errors[0]).toContain('Datafold CI run 501')
      expect(errors[0]).toContain(`status ${status}`)
      expect(errors[0]).toContain('pull request #2')
      const firstError = toolkit.indexOf((e) => e.type === 'log' && e.level === 'error')
      for (const name of ['ci-run-id', 'trigger-run-id', 'status', 'verdict']) {
        expect(toolkit.indexOf((e) => e.type === 'output' && e.name === name)).toBeLessThan(
          firstError
        )
      }
      expect(toolkit.indexOf((e) => e.type === 'summary')).toBeLessThan(firstError)
      expect(toolkit.summary).toContain(`${conclusion === 'failure' ? '❌' : '🚫'} ${conclusion}`)
    }
  )

  it('times out past wait-timeout-minutes, naming the last status', async () => {
    const sim = datafold({ statuses: ['processing'] })
    const { code, toolkit, clock } = await runWith({ ...INPUTS, 'wait-timeout-minutes': '2' }, sim)
    expect(code).toBe(1)
    expect(toolkit.outputs).toMatchObject({
      status: 'processing',
      verdict: 'timed_out'
    })
    expect(toolkit.logs('error')[0]).toMatch(
      /Datafold CI run 501 for pull request #2 .* had no final status after 1m 59s \(wait-timeout-minutes is 2m 0s\); last status processing\./
    )
    expect(clock.elapsed()).toBeLessThanOrEqual(2 * 60_000)
    expect(toolkit.summary).toMatch(/^### ⏱️/)
  })
})

describe('run: wait: false', () => {
  it('trigger: always: triggers, sets the ids and passes without listing or polling', async () => {
    const sim = datafold({})
    const { code, toolkit, requests } = await runWith(
      { ...INPUTS, wait: 'false', trigger: 'always' },
      sim
    )
    expect(code).toBe(0)
    expect(kinds(requests)).toEqual([`POST ${TRIGGER}`])
    expect(toolkit.outputs).toEqual({
      'ci-run-id': '501',
      'trigger-run-id': '77',
      'ci-run-started-by': 'trigger'
    })
    expect(toolkit.summary).toMatch(/Datafold CI triggered/)
    expect(textOf(renderGfm(toolkit.summary))).toContain('wait: false')
    expect(toolkit.logs('error')).toEqual([])
  })
})

describe('run: when the trigger names no run', () => {
  const nullTrigger = { status: 200, body: { ci_run_id: null, run_id: null } }

  it('follows the new run, not an older one of the same commit, and outputs its id', async () => {
    const sim = datafold({
      existing: [ciRun(400, 'done')],
      trigger: nullTrigger,
      statuses: ['queued', 'failed']
    })
    const { code, toolkit } = await runWith({ ...INPUTS, trigger: 'always' }, sim)
    expect(code).toBe(1)
    expect(toolkit.outputs).toMatchObject({
      'ci-run-id': '501',
      status: 'failed',
      verdict: 'failure'
    })
    expect(toolkit.logs('error')[0]).toContain('Datafold CI run 501')
  })

  it('concludes skipped and passes when Datafold starts no run, listing the reasons', async () => {
    const sim = datafold({ existing: [ciRun(400, 'done')], trigger: nullTrigger, statuses: [] })
    const { code, toolkit, clock } = await runWith(
      { ...INPUTS, trigger: 'always', 'start-timeout-minutes': '0.5' },
      sim
    )
    expect(code).toBe(0)
    expect(toolkit.outputs).toEqual({ verdict: 'skipped' })
    const warnings = toolkit.logs('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toBe(
      [
        'Datafold started no CI run for pull request #2 (changes at ec26c3e) within start-timeout-minutes (30s). Datafold skips a commit when:',
        '- the head commit message contains datafold-skip-ci;',
        '- the CI config requires a "datafold" label that the pull request does not have;',
        "- every changed file matches the CI config's ignore patterns;",
        '- the base branch is not the one the CI config checks.',
        '',
        'The step passes; set fail-on-skip: true to fail it instead.'
      ].join('\n')
    )
    expect(toolkit.summary).toMatch(/^### ⏭️ Datafold CI started no run/)
    expect(clock.elapsed()).toBe(30_000)
    expect(toolkit.logs('error')).toEqual([])
  })

  it('fails a skipped run with fail-on-skip', async () => {
    const sim = datafold({ trigger: nullTrigger, statuses: [] })
    const { code, toolkit } = await runWith(
      { ...INPUTS, 'start-timeout-minutes': '0.5', 'fail-on-skip': 'true' },
      sim
    )
    expect(code).toBe(1)
    expect(toolkit.outputs).toEqual({ verdict: 'skipped' })
    expect(toolkit.logs('error')[0]).toContain('fail-on-skip is true, so the step fails.')
  })
})

describe('run: errors after the inputs are valid', () => {
  it('writes the summary when Datafold refuses the key mid-way', async () => {
    const sim = datafold({
      statuses: ['processing'],
      failList: { 1: { status: 401, body: { detail: 'Invalid API key' } } }
    })
    const { code, toolkit, requests } = await runWith(INPUTS, sim)
    expect(code).toBe(1)
    expect(requests).toHaveLength(4)
    expect(toolkit.outputs).toEqual({
      'ci-run-id': '501',
      'trigger-run-id': '77',
      'ci-run-started-by': 'trigger',
      status: 'processing'
    })
    expect(toolkit.outputs.verdict).toBeUndefined()
    expect(toolkit.logs('error')[0]).toMatch(/^Datafold refused the API key \(HTTP 401\)/)
    expect(toolkit.summary).toMatch(/^### ⚠️ Datafold CI could not run/)
    expect(toolkit.summary).toContain('refused the API key')
  })

  it('writes the summary when the config does not exist', async () => {
    const sim = fakeTransport(() => ({ status: 404, body: { detail: 'Not Found' } }))
    const { code, toolkit, requests } = await runWith(INPUTS, sim)
    expect(code).toBe(1)
    expect(requests).toHaveLength(1)
    expect(toolkit.logs('error')).toEqual([
      'CI config 42 was not found on https://df.example.com (HTTP 404). Check ci-config-id, and datafold-host if your organisation has a dedicated Datafold deployment.'
    ])
    expect(toolkit.summary).toContain('not triggered')
  })

  it('reports a workflow_dispatch without the pull request inputs, sending nothing', async () => {
    const sim = datafold({})
    const env = eventEnv('workflow_dispatch', 'workflow_dispatch.json')
    const { code, toolkit, requests } = await runWith({ ...INPUTS, 'pr-number': '5' }, sim, { env })
    expect(code).toBe(1)
    expect(requests).toHaveLength(0)
    const error = toolkit.logs('error')[0]
    expect(error).toContain('workflow_dispatch')
    expect(error).toMatch(/pr-branch, base-branch, pr-sha, base-sha/)
    expect(error).not.toMatch(/pr-number,/)
  })

  it('runs a workflow_dispatch with all five inputs', async () => {
    const sim = datafold({})
    const env = eventEnv('workflow_dispatch', 'workflow_dispatch.json')
    const sha = 'a'.repeat(40)
    const { code, requests } = await runWith(
      {
        ...INPUTS,
        'pr-number': '5',
        'pr-branch': 'refs/heads/feature',
        'base-branch': 'main',
        'pr-sha': sha,
        'base-sha': 'b'.repeat(40)
      },
      sim,
      { env }
    )
    expect(code).toBe(0)
    expect(requests[1].body).toEqual({
      pr_number: 5,
      pr_branch: 'feature',
      base_branch: 'main',
      pr_sha: sha,
      base_sha: 'b'.repeat(40)
    })
  })
})

describe('run: cancelled by the workflow', () => {
  it('stops polling, sets what it knows and says the Datafold run keeps running', async () => {
    const controller = new AbortController()
    const clock = new VirtualClock()
    const sim = datafold({ statuses: ['processing'] })
    clock.onSleep = () => {
      if (clock.sleeps.length === 2) controller.abort()
    }
    const { code, toolkit, requests } = await runWith(INPUTS, sim, {
      clock,
      signal: controller.signal
    })
    expect(code).toBe(1)
    expect(requests).toHaveLength(4)
    expect(toolkit.outputs).toEqual({
      'ci-run-id': '501',
      'trigger-run-id': '77',
      'ci-run-started-by': 'trigger',
      status: 'processing'
    })
    expect(toolkit.logs('error')[0]).toBe(
      'Cancelled by the workflow; Datafold CI run 501 keeps running in Datafold, last status processing.'
    )
    expect(toolkit.summary).toContain('Stopped: the workflow was cancelled')
  })
})

describe('run: the API key', () => {
  const echo = (request: RecordedRequest): FakeAnswer => ({
    status: 500,
    body: `Internal error; request headers were ${JSON.stringify(request.headers)}`
  })

  it('never appears in a log line, output or summary, even when Datafold echoes it', async () => {
    const sim = fakeTransport((request) =>
      request.method === 'POST' ? echo(request) : { status: 200, body: [] }
    )
    const { code, toolkit, requests } = await runWith(INPUTS, sim)
    expect(code).toBe(1)
    expect(requests[1].headers.authorization).toBe(`Key ${KEY}`)
    expect(toolkit.secrets).toContain(KEY)
    expect(toolkit.logs('error')[0]).toContain('"authorization":"Key ***"')
    expect(textOf(renderGfm(toolkit.summary))).toContain('Key ***')
    expect(toolkit.everything()).not.toContain(KEY)
  })

  it('is masked when it comes from DATAFOLD_API_KEY', async () => {
    const sim = fakeTransport((request) =>
      request.method === 'POST' ? echo(request) : { status: 200, body: [] }
    )
    const { 'api-key': _key, ...inputs } = INPUTS
    const { toolkit } = await runWith(inputs, sim, { env: { ...ENV, DATAFOLD_API_KEY: KEY } })
    expect(toolkit.secrets).toContain(KEY)
    expect(toolkit.logs('error')[0]).toContain('Key ***')
    expect(toolkit.everything()).not.toContain(KEY)
  })

  describe('with the real toolkit', () => {
    const { outputFile, summaryFile, env: runnerEnv, empty } = useRunnerFiles('main-test')

    it('keeps the echoed key out of stdout, the output file and the summary file', async () => {
      empty()
      const stdout: string[] = []
      const sim = datafold({
        statuses: ['processing'],
        failList: { 0: { status: 422, body: `bad key: Key ${KEY}` } }
      })
      const env: NodeJS.ProcessEnv = {
        ...ENV,
        ...runnerEnv(),
        'INPUT_API-KEY': KEY,
        'INPUT_CI-CONFIG-ID': '42',
        'INPUT_DATAFOLD-HOST': 'https://df.example.com'
      }
      const restoreEnv = setEnv(env)
      const captured = captureStdout()
      let code: number
      try {
        code = await run({
          toolkit: createToolkit(),
          env,
          clock: new VirtualClock(),
          transport: sim.transport,
          random: () => 0.5
        })
      } finally {
        captured.restore()
        restoreEnv()
      }
      stdout.push(captured.text())
      expect(code).toBe(1)
      expect(sim.requests[2].headers.authorization).toBe(`Key ${KEY}`)
      const lines = stdout.join('').split('\n')
      expect(lines.filter((line) => line.includes(KEY))).toEqual([`::add-mask::${KEY}`])
      expect(
        lines.some(
          (line) =>
            line.startsWith('::error title=Datafold CI could not run::') &&
            line.includes('bad key: Key ***')
        )
      ).toBe(true)
      const outputs = readFileSync(outputFile, 'utf8')
      expect(outputs).toContain('ci-run-id<<')
      expect(outputs).not.toContain(KEY)
      const summary = readFileSync(summaryFile, 'utf8')
      expect(summary).toContain('Datafold CI could not run')
      expect(summary).not.toContain(KEY)
    })
  })
})

describe('run: fail closed', () => {
  it('a request that never settles ends the step after wait-timeout-minutes plus the grace, with an error', async () => {
    const toolkit = new FakeToolkit({ ...INPUTS, 'wait-timeout-minutes': '0.001' })
    const phases: string[] = []
    const code = await run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      // Never answers, never fails: a wait that escaped every bound.
      transport: () => new Promise(() => undefined),
      phase: (text) => phases.push(text),
      graceMs: 50
    })
    expect(code).toBe(1)
    expect(toolkit.outputs).toEqual({})
    expect(toolkit.logs('error')).toEqual([
      'The step was still listing the runs of the commit 0s after wait-timeout-minutes (0s) ended: a wait that should have ended did not. Stopping without a verdict.'
    ])
    expect(toolkit.summary).toContain('Datafold CI could not run')
    expect(phases).toEqual([
      'reading the inputs',
      'reading the pull request from the event',
      'listing the runs of the commit',
      'writing the outputs and the job summary'
    ])
  })

  it('an exception while reporting a passing verdict fails the step', async () => {
    const toolkit = new FakeToolkit(INPUTS)
    toolkit.info = (message: string) => {
      if (message.includes('finished with status done')) throw new Error('EPIPE')
    }
    const code = await run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport: datafold({ statuses: ['done'] }).transport,
      random: () => 0.5
    })
    expect(code).toBe(1)
    expect(toolkit.logs('error')[0]).toMatch(
      /^The step failed while writing its outputs and summary, so it fails rather than pass without a verdict: Error: EPIPE/
    )
  })

  it('a summary that cannot be written is a warning; the verdict stands', async () => {
    const toolkit = new FakeToolkit(INPUTS)
    toolkit.appendSummary = () => Promise.reject(new Error('ENOSPC: no space left on device'))
    const code = await run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport: datafold({ statuses: ['done'] }).transport,
      random: () => 0.5
    })
    expect(code).toBe(0)
    expect(toolkit.logs('warning')).toEqual([
      'Could not write the job summary: ENOSPC: no space left on device'
    ])
  })
})

describe('run: the data diffs of the run', () => {
  const RUN = 501
  /** The new run's diffs: two changed tables, one identical, one empty. */
  const CHANGED: StandInDiff[] = [
    {
      id: 11,
      ciRunId: RUN,
      table: 'analytics.pr_2.payments',
      result: 'identical',
      rowsAdded: 0,
      rowsRemoved: 0,
      rowsChanged: 0,
      matchRatio: 1
    },
    {
      id: 12,
      ciRunId: RUN,
      table: 'analytics.pr_2.orders',
      result: 'different',
      rowsAdded: 12,
      rowsRemoved: 3,
      rowsChanged: 340,
      matchRatio: 0.9821
    },
    { id: 13, ciRunId: RUN, table: 'analytics.pr_2.refunds', result: 'empty' },
    {
      id: 14,
      ciRunId: RUN,
      table: 'analytics.pr_2.customers',
      result: 'different',
      rowsAdded: 0,
      rowsRemoved: 0,
      rowsChanged: 5,
      matchRatio: 0.9995
    }
  ]
  const UNCHANGED: StandInDiff[] = [
    {
      id: 21,
      ciRunId: RUN,
      table: 'analytics.pr_2.orders',
      result: 'identical',
      rowsChanged: 0,
      matchRatio: 1
    },
    { id: 22, ciRunId: RUN, table: 'analytics.pr_2.refunds', result: 'empty' }
  ]
  const GATE = { ...INPUTS, 'fail-on-data-changes': 'true' }
  const diffRequests = (requests: RecordedRequest[]) => requests.filter((r) => r.path === DIFFS)
  const outputIds = (toolkit: FakeToolkit): number[] =>
    (JSON.parse(toolkit.outputs['data-diffs']) as { id: number }[]).map((d) => d.id)

  it('reads them after a done run, and they inform without changing the verdict', async () => {
    const phases: string[] = []
    const sim = datafold({ statuses: ['done'], diffs: CHANGED })
    const toolkit = new FakeToolkit(INPUTS)
    const code = await run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport: sim.transport,
      random: () => 0.5,
      phase: (text) => phases.push(text)
    })
    expect(code).toBe(0)
    for (const request of sim.requests) expect(specViolations(request)).toEqual([])
    expect(kinds(sim.requests)).toEqual([
      `GET ${RUNS}`,
      `POST ${TRIGGER}`,
      `GET ${RUNS}`,
      `GET ${DIFFS}`
    ])
    expect(sim.requests[3].query).toEqual({
      ci_run_id: '501',
      order_by: 'id',
      sort_order: 'asc',
      page: '1',
      page_size: '100'
    })
    expect(phases).toContain("reading the Datafold CI run's data diffs")
    expect(toolkit.outputs.verdict).toBe('success')
    expect(JSON.parse(toolkit.outputs['data-diffs'])).toEqual([
      {
        id: 11,
        table: 'analytics.pr_2.payments',
        result: 'identical',
        rows_added: 0,
        rows_removed: 0,
        rows_changed: 0,
        match_ratio: 1,
        url: 'https://df.example.com/datadiffs/11/overview'
      },
      {
        id: 12,
        table: 'analytics.pr_2.orders',
        result: 'different',
        rows_added: 12,
        rows_removed: 3,
        rows_changed: 340,
        match_ratio: 0.9821,
        url: 'https://df.example.com/datadiffs/12/overview'
      },
      {
        id: 13,
        table: 'analytics.pr_2.refunds',
        result: 'empty',
        rows_added: null,
        rows_removed: null,
        rows_changed: null,
        match_ratio: null,
        url: 'https://df.example.com/datadiffs/13/overview'
      },
      {
        id: 14,
        table: 'analytics.pr_2.customers',
        result: 'different',
        rows_added: 0,
        rows_removed: 0,
        rows_changed: 5,
        match_ratio: 0.9995,
        url: 'https://df.example.com/datadiffs/14/overview'
      }
    ])
    expect(toolkit.outputs['data-diffs-changed']).toBe('2')
    const info = toolkit.logs('info')
    expect(info.slice(info.indexOf('Datafold CI run 501 is done (after 0s).') + 1)).toEqual([
      'Datafold lists 4 data diffs for CI run 501: 2 different, 1 identical, 1 empty.',
      '  different: analytics.pr_2.customers (0 added, 0 removed, 5 with changed values, 99.95 % match): https://df.example.com/datadiffs/14/overview',
      '  different: analytics.pr_2.orders (12 added, 3 removed, 340 with changed values, 98.21 % match): https://df.example.com/datadiffs/12/overview',
      '  identical: analytics.pr_2.payments (0 added, 0 removed, 0 with changed values, 100 % match): https://df.example.com/datadiffs/11/overview',
      '  empty: analytics.pr_2.refunds: https://df.example.com/datadiffs/13/overview',
      'Datafold CI run 501 for pull request #2 (changes at ec26c3e) finished with status done.'
    ])
    expect(toolkit.summary).toContain('#### Data diffs')
    expect(toolkit.summary).toContain('2 of 4 tables changed (2 different, 1 identical, 1 empty).')
  })

  it('reads them after a failed run too; the verdict stays failure', async () => {
    const sim = datafold({ statuses: ['failed'], diffs: CHANGED })
    const { code, toolkit, requests } = await runWith(INPUTS, sim)
    expect(code).toBe(1)
    expect(diffRequests(requests)).toHaveLength(1)
    expect(toolkit.outputs).toMatchObject({
      verdict: 'failure',
      'data-diffs-changed': '2'
    })
  })

  it('does not read them after a cancelled run, nor with show-data-diffs: false', async () => {
    const cancelled = await runWith(INPUTS, datafold({ statuses: ['cancelled'], diffs: CHANGED }))
    expect(diffRequests(cancelled.requests)).toEqual([])
    const off = await runWith(
      { ...INPUTS, 'show-data-diffs': 'false' },
      datafold({ statuses: ['done'], diffs: CHANGED })
    )
    expect(off.code).toBe(0)
    expect(diffRequests(off.requests)).toEqual([])
    expect(off.toolkit.outputs['data-diffs']).toBeUndefined()
    expect(off.toolkit.summary).not.toContain('Data diffs')
  })

  it("shows exactly this run's diffs against a Datafold that ignores the filter and lists other runs' in between", async () => {
    const others: StandInDiff[] = Array.from({ length: 230 }, (_, i) => ({
      id: 1000 + i,
      ciRunId: [RUN + 1 + (i % 4), RUN - 1 - (i % 30)][i % 2],
      result: 'different'
    }))
    const sim = datafold({ statuses: ['done'], diffs: [...others, ...CHANGED], ignoreFilter: true })
    const { code, toolkit, requests } = await runWith(INPUTS, sim)
    expect(code).toBe(0)
    expect(outputIds(toolkit)).toEqual([11, 12, 13, 14])
    expect(toolkit.outputs['data-diffs-changed']).toBe('2')
    // Every page of the 234 entries: nothing in another run's entry shows none of this run follow.
    expect(diffRequests(requests).map((r) => r.query.page)).toEqual(['1', '2', '3'])
  })

  it('withholds data-diffs when a Datafold that ignores the filter lists diffs without a ci_run_id', async () => {
    const outside: StandInDiff = { id: 2000, ciRunId: null, result: 'different' }
    const sim = datafold({ statuses: ['done'], diffs: [outside, ...CHANGED], ignoreFilter: true })
    const { code, toolkit } = await runWith(INPUTS, sim)
    expect(code).toBe(0)
    expect(toolkit.outputs['data-diffs']).toBeUndefined()
    expect(textOf(renderGfm(toolkit.summary))).toContain(
      'Datafold listed 1 data diff without a ci_run_id; any of them may belong to this run.'
    )
  })

  describe('when the list cannot be read', () => {
    const cases: [string, FakeAnswer, RegExp][] = [
      [
        'HTTP 401',
        { status: 401, body: { detail: 'no' } },
        /did not accept the API key for its list of data diffs \(HTTP 401\)/
      ],
      [
        'HTTP 403',
        { status: 403, body: { detail: 'no' } },
        /did not let the API key list data diffs \(HTTP 403\)/
      ],
      [
        'HTTP 404',
        { status: 404, body: { detail: 'Not Found' } },
        /has no list of data diffs \(HTTP 404/
      ],
      [
        'an HTML page',
        { status: 200, body: '<html>app</html>', headers: { 'content-type': 'text/html' } },
        /is not what its API documents/
      ],
      [
        'JSON of another shape',
        { status: 200, body: { items: [] } },
        /expected JSON with results and total_pages/
      ],
      [
        'a diff of this run without an id',
        {
          status: 200,
          body: {
            page: 1,
            page_size: 100,
            count: 1,
            total_pages: 1,
            results: [{ ci_run_id: RUN, kind: 'in_db' }]
          }
        },
        /a data diff of this run without an id/
      ]
    ]

    it.each(cases)(
      '%s: a notice and a summary line; the verdict of the run stands',
      async (_name, answer, reason) => {
        const sim = datafold({ statuses: ['done'], diffs: CHANGED, diffAnswers: [answer] })
        const { code, toolkit, requests } = await runWith(INPUTS, sim)
        expect(code).toBe(0)
        expect(toolkit.outputs.verdict).toBe('success')
        expect(diffRequests(requests)).toHaveLength(1) // permanent: not retried
        expect(toolkit.logs('notice')).toEqual([expect.stringMatching(reason)])
        expect(toolkit.logs('notice')[0]).toMatch(
          /^The data diffs of Datafold CI run 501 could not be read: .* The run's own verdict stands\.$/
        )
        expect(toolkit.outputs['data-diffs']).toBeUndefined()
        expect(toolkit.outputs['data-diffs-changed']).toBeUndefined()
        expect(textOf(renderGfm(toolkit.summary))).toMatch(/Data diffs could not be read: /)
        expect(toolkit.logs('error')).toEqual([])
      }
    )

    it.each(cases)(
      '%s with fail-on-data-changes: failure, saying why',
      async (_name, answer, reason) => {
        const sim = datafold({ statuses: ['done'], diffs: UNCHANGED, diffAnswers: [answer] })
        const { code, toolkit } = await runWith(GATE, sim)
        expect(code).toBe(1)
        expect(toolkit.outputs.verdict).toBe('failure')
        expect(toolkit.logs('notice')[0]).toMatch(
          /could not be read: .* fail-on-data-changes needs them, so the step fails\.$/
        )
        const [error] = toolkit.logs('error')
        expect(error).toMatch(
          /^Datafold CI run 501 for pull request #2 \(changes at ec26c3e\) finished with status done, but fail-on-data-changes is true and\n- the data diffs could not be read: /
        )
        expect(error).toMatch(reason)
        expect(toolkit.summary).toMatch(/^### ❌ Datafold CI could not show the data unchanged/)
      }
    )

    it('a 503 is retried within the deadline; still failing at it, the verdict stands', async () => {
      const sim = datafold({
        statuses: ['done'],
        diffs: CHANGED,
        diffAnswers: [{ status: 503, body: 'busy' }]
      })
      const { code, toolkit, clock, requests } = await runWith(
        { ...INPUTS, 'wait-timeout-minutes': '1' },
        sim
      )
      expect(code).toBe(0)
      expect(diffRequests(requests).length).toBeGreaterThan(3)
      expect(clock.elapsed()).toBeLessThan(60_000)
      expect(toolkit.logs('notice')[0]).toMatch(
        /HTTP 503\): busy wait-timeout-minutes leaves no room for another try\./
      )
    })

    it('a 503 that passes: retried, and the diffs are read', async () => {
      const sim = datafold({
        statuses: ['done'],
        diffs: CHANGED,
        diffAnswers: [{ status: 503, body: '' }, null]
      })
      const { code, toolkit, requests } = await runWith(GATE, sim)
      expect(code).toBe(1) // two tables changed
      expect(diffRequests(requests)).toHaveLength(2)
      expect(toolkit.logs('warning')[0]).toMatch(/Retrying GET \/api\/v1\/datadiffs in/)
      expect(toolkit.titles('warning')[0]).toBe('Retrying a Datafold request')
      expect(toolkit.outputs['data-diffs-changed']).toBe('2')
    })

    it('an echoed key stays out of every log line, output and the summary', async () => {
      const sim = datafold({
        statuses: ['done'],
        diffAnswers: [
          { status: 422, body: `forbidden for Key ${KEY} (${encodeURIComponent(KEY)})` }
        ]
      })
      const { toolkit } = await runWith(INPUTS, sim)
      expect(toolkit.logs('notice')[0]).toContain('forbidden for Key *** (***)')
      expect(toolkit.everything()).not.toContain(KEY)
    })
  })

  describe('fail-on-data-changes', () => {
    it('passes when every diff was read and is identical or empty', async () => {
      const { code, toolkit } = await runWith(
        GATE,
        datafold({ statuses: ['done'], diffs: UNCHANGED })
      )
      expect(code).toBe(0)
      expect(toolkit.outputs).toMatchObject({
        verdict: 'success',
        'data-diffs-changed': '0'
      })
      expect(toolkit.logs('error')).toEqual([])
    })

    it('passes a run without data diffs', async () => {
      const { code } = await runWith(GATE, datafold({ statuses: ['done'] }))
      expect(code).toBe(0)
    })

    it('fails when tables differ, naming them', async () => {
      const { code, toolkit } = await runWith(
        GATE,
        datafold({ statuses: ['done'], diffs: CHANGED })
      )
      expect(code).toBe(1)
      expect(toolkit.outputs).toMatchObject({
        status: 'done',
        verdict: 'failure',
        'data-diffs-changed': '2'
      })
      expect(toolkit.logs('error')).toEqual([
        'Datafold CI run 501 for pull request #2 (changes at ec26c3e) finished with status done, but fail-on-data-changes is true and\n- 2 tables differ: analytics.pr_2.customers, analytics.pr_2.orders.'
      ])
      expect(toolkit.summary).toMatch(/^### ❌ Datafold CI found data changes/)
    })

    it.each(['error', 'bad-pks', 'missing-pks'] as const)(
      'fails when a diff could not compare (%s)',
      async (result) => {
        const diffs: StandInDiff[] = [
          ...UNCHANGED,
          { id: 23, ciRunId: RUN, table: 'raw.events', result }
        ]
        const { code, toolkit } = await runWith(GATE, datafold({ statuses: ['done'], diffs }))
        expect(code).toBe(1)
        expect(toolkit.logs('error')[0]).toMatch(
          new RegExp(`\\n- 1 table could not be compared: raw\\.events \\(${result}\\)\\.$`)
        )
      }
    )

    it("jitters the status checks and the diff re-checks with the step's random source", async () => {
      const sim = datafold({
        statuses: ['processing', 'done'],
        diffs: UNCHANGED,
        diffsRunningFor: 1
      })
      const { code, clock } = await runWith(GATE, sim, { random: () => 0 })
      expect(code).toBe(0)
      // The bottom of the ±20 % band around 5 s: one wait for the run, one for the diffs.
      expect(clock.sleeps).toEqual([4_000, 4_000])
    })

    it('checks diffs still running again on the polling schedule, and passes once they are done', async () => {
      const sim = datafold({ statuses: ['done'], diffs: UNCHANGED, diffsRunningFor: 2 })
      const { code, toolkit, clock, requests } = await runWith(GATE, sim)
      expect(code).toBe(0)
      expect(diffRequests(requests)).toHaveLength(3)
      // The schedule of status checks: poll-interval (5 s) after the run was seen done.
      expect(clock.sleeps).toEqual([5_000, 5_000])
      expect(toolkit.logs('info')).toContain(
        '2 of 2 data diffs have no result yet; fail-on-data-changes needs every result, so they are checked again in 5.0 s.'
      )
      expect((JSON.parse(toolkit.outputs['data-diffs']) as DataDiff[])[0].result).toBe('identical')
    })

    it('without the gate, diffs still running are shown once, not waited for', async () => {
      const sim = datafold({ statuses: ['done'], diffs: UNCHANGED, diffsRunningFor: 2 })
      const { code, toolkit, requests } = await runWith(INPUTS, sim)
      expect(code).toBe(0)
      expect(diffRequests(requests)).toHaveLength(1)
      expect((JSON.parse(toolkit.outputs['data-diffs']) as DataDiff[])[0].result).toBeNull()
      expect(toolkit.summary).toContain('⏳ `processing`')
    })

    it('fails when diffs are still running at wait-timeout-minutes, naming them, within the time', async () => {
      const sim = datafold({ statuses: ['done'], diffs: UNCHANGED, diffsRunningFor: 1_000 })
      const { code, toolkit, clock, requests } = await runWith(
        { ...GATE, 'wait-timeout-minutes': '2' },
        sim
      )
      expect(code).toBe(1)
      expect(clock.elapsed()).toBeLessThanOrEqual(2 * 60_000)
      expect(diffRequests(requests).length).toBeGreaterThan(5)
      expect(toolkit.outputs.verdict).toBe('failure')
      expect(toolkit.logs('error')[0]).toMatch(
        /\n- 2 data diffs had no result when the step ended: analytics\.pr_2\.orders \(processing\), analytics\.pr_2\.refunds \(processing\)\.$/
      )
    })

    it('reads every page of a long list, and passes on the proven reading: 1,000 diffs of the run', async () => {
      const ours: StandInDiff[] = Array.from({ length: 1000 }, (_, i) => ({
        id: 1 + i,
        ciRunId: RUN,
        result: 'identical'
      }))
      const exact = await runWith(GATE, datafold({ statuses: ['done'], diffs: ours }))
      expect(exact.code).toBe(0)
      // Ten full pages, then page 11, which the stand-in answers 404 "Invalid page.": the end.
      expect(diffRequests(exact.requests).map((r) => r.query.page)).toEqual(
        Array.from({ length: 11 }, (_, i) => String(i + 1))
      )
      expect(JSON.parse(exact.toolkit.outputs['data-diffs'])).toHaveLength(1000)
      expect(exact.toolkit.outputs['data-diffs-changed']).toBe('0')
      expect(exact.toolkit.logs('notice')).toEqual([])
    })

    it('reads on past ten pages of a list that mixes runs, and passes', async () => {
      const others: StandInDiff[] = Array.from({ length: 1100 }, (_, i) => ({
        id: 5000 + i,
        ciRunId: 999
      }))
      const diffs = [...others, ...UNCHANGED]
      const gated = await runWith(GATE, datafold({ statuses: ['done'], diffs, ignoreFilter: true }))
      expect(gated.code).toBe(0)
      expect(diffRequests(gated.requests)).toHaveLength(12)
      expect(JSON.parse(gated.toolkit.outputs['data-diffs'])).toHaveLength(2)
    })
  })

  describe('the gate passes only on proof (issue 15)', () => {
    it('defect 7: Datafold starts no run: skipped, and the gate fails the step, saying why', async () => {
      const sim = datafold({
        trigger: { status: 200, body: { ci_run_id: null, run_id: null } },
        statuses: []
      })
      const { code, toolkit } = await runWith({ ...GATE, 'start-timeout-minutes': '0.5' }, sim)
      expect(code).toBe(1)
      expect(toolkit.outputs).toEqual({ verdict: 'skipped' })
      expect(toolkit.logs('error')[0]).toMatch(
        /fail-on-data-changes is true and no run is no proof that the data is unchanged, so the step fails\.$/
      )
    })

    it('defect 9: a result in capitals counts, and the outputs use lower case', async () => {
      const diffs: StandInDiff[] = [
        { id: 31, ciRunId: RUN, table: 'db.t', result: 'DIFFERENT' as 'different' }
      ]
      const { code, toolkit } = await runWith(GATE, datafold({ statuses: ['done'], diffs }))
      expect(code).toBe(1)
      expect(toolkit.outputs['data-diffs-changed']).toBe('1')
      expect((JSON.parse(toolkit.outputs['data-diffs']) as DataDiff[])[0].result).toBe('different')
      expect(textOf(renderGfm(toolkit.summary))).toContain('1 of 1 table changed')
    })

    it('defect 8: identical with rows added fails the gate and has no ✅ in the summary', async () => {
      const diffs: StandInDiff[] = [
        {
          id: 31,
          ciRunId: RUN,
          table: 'db.t',
          result: 'identical',
          rowsAdded: 5,
          rowsRemoved: 3,
          rowsChanged: 40
        }
      ]
      const { code, toolkit } = await runWith(GATE, datafold({ statuses: ['done'], diffs }))
      expect(code).toBe(1)
      expect(toolkit.summary).not.toContain('✅ identical')
      expect(toolkit.logs('error')[0]).toMatch(/disagree/)
    })
  })

  it('the gate does not wait for the diffs of a failed run, nor turn a cancelled run into a failure', async () => {
    const failed = datafold({ statuses: ['failed'], diffs: UNCHANGED, diffsRunningFor: 1_000 })
    const first = await runWith(GATE, failed)
    expect(first.code).toBe(1)
    expect(diffRequests(failed.requests)).toHaveLength(1)
    expect(first.toolkit.outputs.verdict).toBe('failure')
    expect(summaryHead(first.toolkit)[0]).toBe('### ❌ Datafold CI failed')

    const cancelled = datafold({ statuses: ['cancelled'], diffs: CHANGED })
    const second = await runWith(GATE, cancelled)
    expect(second.toolkit.outputs.verdict).toBe('cancelled')
    expect(summaryHead(second.toolkit)[0]).toBe('### 🚫 Datafold CI run was cancelled')
    expect(diffRequests(cancelled.requests)).toHaveLength(0)
  })

  it('the gate without changed tables but with diffs unread says it could not show the data unchanged', async () => {
    const sim = datafold({ statuses: ['done'], diffs: UNCHANGED, diffsRunningFor: 1_000 })
    const { code, toolkit } = await runWith({ ...GATE, 'wait-timeout-minutes': '1' }, sim)
    expect(code).toBe(1)
    expect(summaryHead(toolkit)[0]).toBe('### ❌ Datafold CI could not show the data unchanged')
  })

  it('a workflow cancelled while the diffs are re-checked stops with the run and its status named', async () => {
    const controller = new AbortController()
    const clock = new VirtualClock()
    const sim = datafold({ statuses: ['done'], diffs: UNCHANGED, diffsRunningFor: 1_000 })
    clock.onSleep = () => {
      if (diffRequests(sim.requests).length === 2) controller.abort()
    }
    const { code, toolkit } = await runWith(GATE, sim, { clock, signal: controller.signal })
    expect(code).toBe(1)
    expect(toolkit.logs('error')).toEqual([
      'Cancelled by the workflow while reading the data diffs of Datafold CI run 501, which ended with status done.'
    ])
    expect(toolkit.outputs.verdict).toBeUndefined()
  })

  it('a list that never answers ends the step at the time limit, naming the phase', async () => {
    const phases: string[] = []
    const inner = datafold({ statuses: ['done'] })
    const toolkit = new FakeToolkit({ ...INPUTS, 'wait-timeout-minutes': '0.001' })
    const code = await run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport: (request) =>
        request.url.pathname === DIFFS ? new Promise(() => undefined) : inner.transport(request),
      phase: (text) => phases.push(text),
      graceMs: 50
    })
    expect(code).toBe(1)
    expect(phases).toContain("reading the Datafold CI run's data diffs")
    expect(toolkit.logs('error')).toEqual([
      "The step was still reading the Datafold CI run's data diffs 0s after wait-timeout-minutes (0s) ended: a wait that should have ended did not. Stopping without a verdict."
    ])
  })
})

/** The step's log, outputs and groups as lines, in order; summaries left out. */
const transcript = (toolkit: FakeToolkit): string[] =>
  toolkit.events.flatMap((e) => {
    switch (e.type) {
      case 'log':
        return [`${e.level}: ${e.message}`]
      case 'output':
        return [`output ${e.name}=${e.value}`]
      case 'group':
        return [`group ${e.name}`]
      case 'endgroup':
        return [`endgroup ${e.name}`]
      default:
        return []
    }
  })

/** The summary's heading and its message lines (the text before the run table). */
const summaryHead = (toolkit: FakeToolkit): string[] =>
  toolkit.summary.split('\n| |')[0].trimEnd().split('\n')

describe('run: what the step says, line by line', () => {
  const PR_LINE = `Pull request #2: changes (${HEAD_SHA}) into master (${EVENT.pull_request.base.sha}).`
  const PR_NAME = 'pull request #2 (changes at ec26c3e)'

  it('a passing run: every log line, output and group in order, and each phase', async () => {
    const phases: string[] = []
    const toolkit = new FakeToolkit({ ...INPUTS, trigger: 'always' })
    const code = await run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport: datafold({
        existing: [ciRun(400, 'done'), ciRun(401, 'failed')],
        statuses: ['processing', 'done']
      }).transport,
      random: () => 0.5,
      phase: (text) => phases.push(text)
    })
    expect(code).toBe(0)
    expect(transcript(toolkit)).toEqual([
      'group Pull request',
      `info: ${PR_LINE}`,
      'endgroup Pull request',
      'group Trigger Datafold CI',
      `debug: Runs already listed for ${HEAD_SHA}: 400, 401.`,
      'info: Triggering CI config 42 on https://df.example.com: trigger is always.',
      'output ci-run-id=501',
      'output trigger-run-id=77',
      'info: Datafold started CI run 501 (run_id 77).',
      'endgroup Trigger Datafold CI',
      'group Wait for the Datafold CI run',
      'info: Datafold CI run 501 is processing (after 0s).',
      'info: Datafold CI run 501 is done (after 5s).',
      'endgroup Wait for the Datafold CI run',
      'group Data diffs',
      'info: Datafold lists no data diffs for CI run 501.',
      'endgroup Data diffs',
      'output ci-run-started-by=trigger',
      'output status=done',
      'output verdict=success',
      'output data-diffs=[]',
      'output data-diffs-changed=0',
      `info: Datafold CI run 501 for ${PR_NAME} finished with status done.`
    ])
    expect(phases).toEqual([
      'reading the inputs',
      'reading the pull request from the event',
      'listing the runs of the commit',
      "waiting for Datafold's answer to the trigger",
      'waiting for the Datafold CI run to finish',
      "reading the Datafold CI run's data diffs",
      'writing the outputs and the job summary'
    ])
    expect(summaryHead(toolkit)).toEqual([
      '### ✅ Datafold CI passed',
      '',
      `Datafold CI run 501 for ${PR_NAME} finished with status done.`
    ])
  })

  it('a trigger without run_id, and no runs before it', async () => {
    const { toolkit } = await runWith(
      INPUTS,
      datafold({ trigger: { status: 200, body: { ci_run_id: 501, run_id: null } } })
    )
    expect(transcript(toolkit).slice(3, 9)).toEqual([
      'group Datafold CI run of the commit',
      `debug: Runs already listed for ${HEAD_SHA}: none.`,
      'info: Triggering CI config 42 on https://df.example.com: Datafold lists no run of the commit.',
      'output ci-run-id=501',
      'info: Datafold started CI run 501.',
      'endgroup Datafold CI run of the commit'
    ])
  })

  it('a trigger that names no run: ci-run-id is set once, when the run is found', async () => {
    const { code, toolkit } = await runWith(
      INPUTS,
      datafold({ trigger: { status: 200, body: { ci_run_id: null, run_id: null } } })
    )
    expect(code).toBe(0)
    expect(transcript(toolkit).filter((line) => /^(output|info: Datafold)/.test(line))).toEqual([
      'info: Datafold accepted the trigger without naming a run; looking for the run it creates.',
      'info: Datafold CI run 501 is done (after 0s).',
      'info: Datafold lists no data diffs for CI run 501.',
      'output ci-run-id=501',
      'output ci-run-started-by=trigger',
      'output status=done',
      'output verdict=success',
      'output data-diffs=[]',
      'output data-diffs-changed=0',
      `info: Datafold CI run 501 for ${PR_NAME} finished with status done.`
    ])
    expect(toolkit.summary).toContain('| Datafold CI run | 501 |')
  })

  it('a web page on the first request stops at once: datafold-host is not Datafold', async () => {
    const sim = fakeTransport(() => ({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>Sign in</html>'
    }))
    const { code, toolkit, requests } = await runWith(INPUTS, sim)
    expect(code).toBe(1)
    expect(requests).toHaveLength(1)
    expect(toolkit.logs('error')).toEqual([expect.stringMatching(/datafold-host/)])
  })

  it.each([
    ['failed', 'failure', '### ❌ Datafold CI failed'],
    ['cancelled', 'cancelled', '### 🚫 Datafold CI run was cancelled']
  ])('a %s run: the summary heading', async (status, conclusion, heading) => {
    const { toolkit } = await runWith(INPUTS, datafold({ statuses: [status] }))
    expect(toolkit.outputs.verdict).toBe(conclusion)
    expect(summaryHead(toolkit)[0]).toBe(heading)
  })
})

describe('run: a trigger whose answer was lost', () => {
  const PR_NAME = 'pull request #2 (changes at ec26c3e)'
  const LOST = {
    status: 504,
    headers: { 'content-type': 'text/html' },
    body: '<html>Gateway Timeout</html>'
  }

  it('is not sent again: the new run of the commit is followed instead', async () => {
    const { code, toolkit, requests } = await runWith(
      INPUTS,
      datafold({ existing: [ciRun(400, 'done')], trigger: LOST }),
      { env: { ...ENV, GITHUB_RUN_ATTEMPT: '2' } }
    )
    expect(code).toBe(0)
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(1)
    const warnings = toolkit.logs('warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^.*HTTP 504.* Datafold may have started a run anyway, so the trigger is not sent again; looking for a new run of ec26c3e instead\.$/
    )
    expect(toolkit.outputs).toMatchObject({
      'ci-run-id': '501',
      verdict: 'success'
    })
    expect(toolkit.summary).toContain('| Datafold CI run | 501 |')
  })

  it('with wait: false, the step fails and says a run may have started', async () => {
    const { code, toolkit } = await runWith(
      { ...INPUTS, wait: 'false' },
      datafold({ trigger: LOST })
    )
    expect(code).toBe(1)
    const errors = toolkit.logs('error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      / Datafold may have started a CI run for this commit anyway; look in Datafold before you re-run the job\.$/
    )
    expect(toolkit.summary).toContain('| Datafold CI run | trigger sent, no answer from Datafold |')
  })

  it('no new run within start-timeout-minutes: the step fails, it does not skip', async () => {
    const { code, toolkit } = await runWith(
      { ...INPUTS, 'start-timeout-minutes': '0.5' },
      datafold({ trigger: LOST, statuses: [] })
    )
    expect(code).toBe(1)
    expect(toolkit.outputs).toEqual({})
    expect(summaryHead(toolkit)[0]).toBe('### ⚠️ Datafold CI could not run')
    expect(toolkit.logs('error')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^The answer to the trigger was lost \\(.*HTTP 504.*\\), and no new Datafold CI run for ${PR_NAME.replace(/[()]/g, '\\$&')} appeared within start-timeout-minutes \\(30s\\)\\. Datafold may not have received the trigger; re-run the job\\.$`
        )
      )
    ])
  })

  it('no new run before wait-timeout-minutes: timed out, saying the answer was lost', async () => {
    const { code, toolkit } = await runWith(
      { ...INPUTS, 'wait-timeout-minutes': '1', 'start-timeout-minutes': '5' },
      datafold({ trigger: LOST, statuses: [] })
    )
    expect(code).toBe(1)
    expect(toolkit.outputs).toEqual({ verdict: 'timed_out' })
    expect(toolkit.logs('error')[0]).toMatch(
      new RegExp(
        `^The answer to the trigger was lost \\(.*HTTP 504.*\\), and no new Datafold CI run for ${PR_NAME.replace(/[()]/g, '\\$&')} had appeared after \\d+s \\(wait-timeout-minutes is 1m 0s\\)\\.`
      )
    )
  })

  it('a trigger Datafold refused started nothing: the summary says not triggered', async () => {
    const { code, toolkit, requests } = await runWith(
      INPUTS,
      datafold({ trigger: { status: 401, body: { detail: 'Invalid API key' } } })
    )
    expect(code).toBe(1)
    expect(kinds(requests)).toEqual([`GET ${RUNS}`, `POST ${TRIGGER}`])
    expect(toolkit.logs('error')).toEqual([expect.stringMatching(/^Datafold refused the API key/)])
    expect(toolkit.logs('warning')).toEqual([])
    expect(toolkit.summary).toContain('| Datafold CI run | not triggered |')
  })

  it('an unexpected exception in the trigger is an error with its stack, the trigger maybe sent', async () => {
    const sim = datafold({})
    const transport: typeof sim.transport = (request) =>
      request.method === 'POST' ? Promise.reject(new TypeError('boom')) : sim.transport(request)
    const toolkit = new FakeToolkit(INPUTS)
    const code = await run({ toolkit, env: ENV, clock: new VirtualClock(), transport })
    expect(code).toBe(1)
    expect(toolkit.logs('error')).toEqual([
      expect.stringMatching(/^Unexpected error: TypeError: boom\n\s+at /)
    ])
    expect(toolkit.summary).toContain('| Datafold CI run | trigger sent, no answer from Datafold |')
  })
})

describe('run: out of time', () => {
  const PR_NAME = 'pull request #2 (changes at ec26c3e)'
  const DOWN = { status: 503, body: 'Service Unavailable' }

  it('Datafold down from the start: timed out, never triggered, with the last problem', async () => {
    const { code, toolkit, requests, clock } = await runWith(
      { ...INPUTS, 'wait-timeout-minutes': '1' },
      fakeTransport(() => DOWN)
    )
    expect(code).toBe(1)
    expect(requests.every((r) => r.method === 'GET')).toBe(true)
    expect(clock.elapsed()).toBeLessThanOrEqual(60_000)
    expect(toolkit.outputs).toEqual({ verdict: 'timed_out' })
    const [error] = toolkit.logs('error')
    expect(error.split('\n')).toEqual([
      `Datafold CI could not be triggered for ${PR_NAME}: the step stopped after 59s (wait-timeout-minutes is 1m 0s).`,
      expect.stringMatching(/^Last problem: .*HTTP 503/)
    ])
    expect(summaryHead(toolkit)[0]).toBe('### ⏱️ Datafold CI did not finish in time')
    expect(toolkit.summary).toContain('| Waited | 59s, 0 status checks |')
  })

  it('Datafold down after the trigger: the run it named had no final status', async () => {
    const { code, toolkit } = await runWith(
      { ...INPUTS, 'wait-timeout-minutes': '1' },
      datafold({ failList: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [i, DOWN])) })
    )
    expect(code).toBe(1)
    expect(toolkit.outputs).toEqual({
      'ci-run-id': '501',
      'trigger-run-id': '77',
      'ci-run-started-by': 'trigger',
      verdict: 'timed_out'
    })
    const [error] = toolkit.logs('error')
    expect(error.split('\n')[0]).toBe(
      `Datafold CI run 501 for ${PR_NAME} had no final status after 59s (wait-timeout-minutes is 1m 0s); last status unknown.`
    )
    expect(error.split('\n')[1]).toMatch(/^Last problem: .*HTTP 503/)
    expect(toolkit.summary).toContain('| Datafold CI run | 501 (run_id 77) |')
  })

  it('no run named and none listed before wait-timeout-minutes, start-timeout-minutes still ahead', async () => {
    const { code, toolkit } = await runWith(
      { ...INPUTS, 'wait-timeout-minutes': '1', 'start-timeout-minutes': '5' },
      datafold({ trigger: { status: 200, body: { ci_run_id: null, run_id: null } }, statuses: [] })
    )
    expect(code).toBe(1)
    expect(toolkit.logs('error')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Datafold named no run for ${PR_NAME.replace(/[()]/g, '\\$&')} and none had appeared after \\d+s \\(wait-timeout-minutes is 1m 0s\\), before start-timeout-minutes \\(5m 0s\\) could show that it started none\\.$`
        )
      )
    ])
    expect(toolkit.summary).toContain('| Datafold CI run | none reported by Datafold |')
  })
})

describe('run: cancelled by the workflow, at each point', () => {
  it('before the trigger: nothing was started', async () => {
    const controller = new AbortController()
    const clock = new VirtualClock()
    clock.onSleep = () => controller.abort()
    const { code, toolkit, requests } = await runWith(
      INPUTS,
      fakeTransport(() => ({ status: 503, body: 'busy' })),
      { clock, signal: controller.signal }
    )
    expect(code).toBe(1)
    expect(requests.every((r) => r.method === 'GET')).toBe(true)
    expect(toolkit.logs('error')).toEqual([
      'Cancelled by the workflow before Datafold CI was triggered; nothing was started in Datafold.'
    ])
    expect(summaryHead(toolkit)[0]).toBe('### ⚠️ Stopped: the workflow was cancelled')
  })

  it('while the trigger had no answer yet: a run may have started', async () => {
    const controller = new AbortController()
    const inner = datafold({})
    const transport: typeof inner.transport = (request) => {
      if (request.method !== 'POST') return inner.transport(request)
      controller.abort()
      return Promise.reject(new NetworkError('EABORTED', 'request cancelled', false))
    }
    const toolkit = new FakeToolkit(INPUTS)
    const code = await run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport,
      signal: controller.signal
    })
    expect(code).toBe(1)
    expect(toolkit.logs('error')).toEqual([
      'Cancelled by the workflow while waiting for the answer to the trigger; Datafold may have started a CI run for this commit.'
    ])
  })

  it('while looking for a run the trigger did not name: "the Datafold CI run", status unknown', async () => {
    const controller = new AbortController()
    const clock = new VirtualClock()
    clock.onSleep = () => {
      if (clock.sleeps.length === 2) controller.abort()
    }
    const { code, toolkit } = await runWith(
      INPUTS,
      datafold({ trigger: { status: 200, body: { ci_run_id: null, run_id: null } }, statuses: [] }),
      { clock, signal: controller.signal }
    )
    expect(code).toBe(1)
    expect(toolkit.logs('error')).toEqual([
      'Cancelled by the workflow; the Datafold CI run keeps running in Datafold, last status unknown.'
    ])
  })
})

describe('run: a push with nothing to check', () => {
  it('a push that deleted a tag: skipped without a request, after looking at the event', async () => {
    const phases: string[] = []
    const toolkit = new FakeToolkit(INPUTS)
    const sim = datafold({})
    const env = eventEnv('push', 'push.deleted-tag.json')
    const code = await run({
      toolkit,
      env,
      clock: new VirtualClock(),
      transport: sim.transport,
      phase: (text) => phases.push(text)
    })
    expect(code).toBe(0)
    expect(sim.requests).toEqual([])
    expect(phases.slice(0, 3)).toEqual([
      'reading the inputs',
      'reading the pull request from the event',
      'looking up the pull request through the GitHub API'
    ])
    expect(toolkit.outputs).toEqual({ verdict: 'skipped' })
    expect(toolkit.logs('warning')).toEqual([
      'The push deleted tag simple-tag, so there is no commit for Datafold CI to check and nothing was sent to Datafold.\n\nThe step passes; set fail-on-skip: true to fail it instead.'
    ])
    expect(summaryHead(toolkit)).toEqual([
      '### ⏭️ No pull request to check',
      '',
      'The push deleted tag simple-tag, so there is no commit for Datafold CI to check and nothing was sent to Datafold.  ',
      '  ',
      // Colons are escaped in server-supplied text so nothing becomes a link; renders the same.
      'The step passes; set fail-on-skip\\: true to fail it instead.'
    ])
    expect(toolkit.summary).not.toContain('Pull request |')
  })
})

describe('run: bounded waits while reporting', () => {
  afterEach(() => jest.useRealTimers())

  it('a summary write that never ends is given up after 10 s, with a warning; the verdict stands', async () => {
    jest.useFakeTimers()
    const toolkit = new FakeToolkit(INPUTS)
    toolkit.appendSummary = () => new Promise(() => undefined)
    const step = run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport: datafold({}).transport,
      random: () => 0.5
    })
    await jest.advanceTimersByTimeAsync(9_999)
    expect(toolkit.logs('warning')).toEqual([])
    await jest.advanceTimersByTimeAsync(1)
    expect(await step).toBe(0)
    expect(toolkit.logs('warning')).toEqual([
      'Could not write the job summary: writing it took more than 10s'
    ])
  })

  it('a step stuck past wait-timeout-minutes is stopped after the grace, not before, and says how long', async () => {
    jest.useFakeTimers()
    const toolkit = new FakeToolkit({ ...INPUTS, 'wait-timeout-minutes': '0.5' })
    const step = run({
      toolkit,
      env: ENV,
      clock: new VirtualClock(),
      transport: () => new Promise(() => undefined),
      graceMs: 2_000
    })
    await jest.advanceTimersByTimeAsync(31_999)
    expect(toolkit.logs('error')).toEqual([])
    await jest.advanceTimersByTimeAsync(1)
    expect(await step).toBe(1)
    expect(toolkit.logs('error')).toEqual([
      'The step was still listing the runs of the commit 2s after wait-timeout-minutes (30s) ended: a wait that should have ended did not. Stopping without a verdict.'
    ])
  })
})

describe('run: an exception while reading the inputs', () => {
  it('is not mistaken for an input error: it propagates as it is, for index.ts to report', async () => {
    const toolkit = new FakeToolkit(INPUTS)
    const read = toolkit.input
    toolkit.input = (name) => {
      if (name === 'ci-config-id') throw new Error('the runner lost its inputs')
      return read(name)
    }
    await expect(run({ toolkit, env: ENV, clock: new VirtualClock() })).rejects.toThrow(
      'the runner lost its inputs'
    )
  })
})

describe('run: out of time before the pull request or the trigger answer is known', () => {
  afterAll(() => {
    nock.cleanAll()
    nock.enableNetConnect()
    nock.restore()
  })

  it('GitHub down for a push until wait-timeout-minutes: timed out, for "the pull request"', async () => {
    nock.disableNetConnect()
    nock('https://api.github.com')
      .persist()
      .get(/\/repos\/Codertocat\/Hello-World\/commits\/.*\/pulls/)
      .reply(503, { message: 'Service Unavailable' })
    const env = {
      ...eventEnv('push', 'push.created-branch.json'),
      GITHUB_API_URL: 'https://api.github.com'
    }
    const sim = datafold({})
    const { code, toolkit } = await runWith(
      { ...INPUTS, 'wait-timeout-minutes': '1', 'github-token': 'ghs_test' },
      sim,
      { env }
    )
    nock.cleanAll()
    expect(code).toBe(1)
    expect(sim.requests).toEqual([])
    expect(toolkit.outputs).toEqual({ verdict: 'timed_out' })
    expect(toolkit.logs('error')[0].split('\n')[0]).toMatch(
      /^Datafold CI could not be triggered for the pull request: the step stopped after \d+s \(wait-timeout-minutes is 1m 0s\)\.$/
    )
  })

  it('a trigger still unanswered when wait-timeout-minutes ends: timed out, a run may have started', async () => {
    const clock = new VirtualClock()
    const inner = datafold({})
    const triggerLimits: number[] = []
    const transport: typeof inner.transport = (request) => {
      if (request.method === 'POST') {
        triggerLimits.push(request.timeoutMs)
        clock.advance(15_000)
        return Promise.reject(new NetworkError('ETIMEDOUT', 'no answer within 15s', false))
      }
      clock.advance(45_000)
      return inner.transport(request)
    }
    const toolkit = new FakeToolkit({ ...INPUTS, 'wait-timeout-minutes': '1' })
    const code = await run({ toolkit, env: ENV, clock, transport })
    expect(code).toBe(1)
    // The trigger's limit is the 15 s left of wait-timeout-minutes, less than request-timeout.
    expect(triggerLimits).toEqual([15_000])
    expect(toolkit.outputs).toEqual({ verdict: 'timed_out' })
    expect(toolkit.logs('error')[0].split('\n')[0]).toBe(
      'Datafold had not answered the trigger for pull request #2 (changes at ec26c3e) after 1m 0s (wait-timeout-minutes is 1m 0s); Datafold may have started a CI run for this commit.'
    )
    expect(toolkit.summary).toContain('| Datafold CI run | trigger sent, no answer from Datafold |')
  })
})

describe('run: dbt-manifest', () => {
  const WORKSPACE = fileURLToPath(new URL('..', import.meta.url))
  const MANIFEST = { 'dbt-manifest': '__fixtures__/dbt/shop/target/manifest.json' }
  const MANY: StandInDiff[] = (PRESETS['annotations-many'].dataDiffs ?? []).map((spec, i) => ({
    ...spec,
    id: i + 1,
    ciRunId: 501
  }))
  const annotations = (toolkit: FakeToolkit) =>
    toolkit.events.flatMap((e) =>
      e.type === 'log' && e.properties?.file ? [[e.level, e.properties.file]] : []
    )

  it("the step's own earlier warnings leave less room: a retry warned, so nine models get one", async () => {
    const sim = datafold({
      statuses: ['done'],
      diffs: MANY,
      diffAnswers: [{ status: 503, body: '' }, null]
    })
    const { code, toolkit } = await runWith({ ...INPUTS, ...MANIFEST }, sim, {
      env: { ...ENV, GITHUB_WORKSPACE: WORKSPACE }
    })
    expect(code).toBe(0)
    expect(toolkit.logs('warning')[0]).toMatch(/Retrying GET \/api\/v1\/datadiffs in/)
    const placed = annotations(toolkit)
    expect(placed).toHaveLength(9)
    expect(placed[0]).toEqual([
      'warning',
      '__fixtures__/dbt/shop/models/marts/finance/payments.sql'
    ])
    expect(toolkit.summary).toContain('\n4 more models are not annotated')
    // The annotations come after the summary is written, and before the verdict's line.
    const summaryAt = toolkit.indexOf((e) => e.type === 'summary')
    const firstAt = toolkit.indexOf((e) => e.type === 'log' && e.properties?.file !== undefined)
    expect(firstAt).toBeGreaterThan(summaryAt)
    expect(toolkit.events.at(-1)).toMatchObject({ type: 'log', level: 'info' })
  })

  it('a manifest that cannot be read: an error naming the input, nothing sent, no summary', async () => {
    const sim = datafold({ statuses: ['done'], diffs: MANY })
    const { code, toolkit, requests } = await runWith(
      { ...INPUTS, 'dbt-manifest': 'README.md' },
      sim,
      { env: { ...ENV, GITHUB_WORKSPACE: WORKSPACE } }
    )
    expect(code).toBe(1)
    expect(requests).toEqual([])
    expect(toolkit.logs('error')).toEqual([
      'Input dbt-manifest is "README.md": it is not valid JSON (Unexpected "#" at byte 0). Expected the manifest.json that dbt writes to target/ in this job (after dbt build, run or compile), as a path inside GITHUB_WORKSPACE.'
    ])
    expect(toolkit.summary).toBe('')
  })
})
