/**
 * A model-based property test of the data gate (issue 15): fast-check generates a run's true data
 * diffs and a Datafold that lists them in one of many ways, and the real code path reads them
 * (readDataDiffs → DatafoldClient.listDataDiffs over a fake transport, on a virtual clock) and
 * decides (decide.ts), as the step does after a run that ended `done` under fail-on-data-changes.
 *
 * Safety: the gate passes ⇒ every diff of the run that was in Datafold's list at any of the step's
 * requests (shown on a page or hidden by a page fault) is done and unchanged.
 * Liveness: on a truthful, stable Datafold the verdict is the truth, and `data-diffs` lists exactly
 * the run's diffs.
 *
 * The model of a server's faults: an order that is not the one asked for (stable or reshuffled on
 * every request, ties of ci_run_id reordered), the filter ignored, page sizes of its own, lying
 * `count`/`total_pages`, an empty page or a duplicated entry, a 404 for a page past the end,
 * entries without ci_run_id, diffs listed late (from any request on), a list that drops a diff on
 * a later reading. One fault that
 * hides entries and a second that makes the totals agree with the hidden list is a server that
 * lies on purpose; no reader of pages can catch it, so the model keeps the page faults and the
 * lying totals apart.
 *
 * Runs: GATE_PROPERTY_RUNS (default 120) from GATE_PROPERTY_SEED (default fixed); fast-check
 * prints the seed and path of a failure, to replay with GATE_PROPERTY_SEED and the path.
 */
import fc from 'fast-check'
import { DatafoldClient } from '../src/datafold-client.js'
import { decide } from '../src/decide.js'
import { readDataDiffs } from '../src/read-data-diffs.js'
import { fakeTransport } from '../__fixtures__/fake-transport.js'
import { FakeToolkit } from '../__fixtures__/fake-toolkit.js'
import { VirtualClock } from '../__fixtures__/virtual-clock.js'

const RUN = 1000
const HOST = new URL('https://app.datafold.com')
const RUNS = Number(process.env.GATE_PROPERTY_RUNS ?? 120)
const SEED = Number(process.env.GATE_PROPERTY_SEED ?? 15_015)
const PATH = process.env.GATE_PROPERTY_PATH
const TIMEOUT_MS = 3 * 60_000

interface DiffState {
  status: string | null
  result: string | null
  rowsAdded: number | null
  rowsRemoved: number | null
  rowsChanged: number | null
  matchRatio: number | null
}

interface TrueDiff {
  id: number
  /** What the diff shows once settled, and on every reading after `settleAfter`. */
  final: DiffState
  /** Readings (lists from page 1) that show it unfinished, possibly with a stale result. */
  settleAfter: number
  unfinished: { status: string; result: string | null }
  /** How the entry names its run: this run's id, null, or no ci_run_id at all. */
  label: 'run' | 'null' | 'absent'
  /** The request (0-based) from which Datafold lists it. */
  visibleFrom: number
  /** A reading (1-based) whose list leaves it out, after it was listed. */
  droppedAt?: number
}

interface OtherDiff {
  id: number
  ciRunId: number | null
  result: string
}

type Order = 'id' | 'fixed' | 'shuffled' | 'ci_run_id ties shuffled'

interface Server {
  filter: boolean
  order: Order
  /** Entries on a full page: the size asked for, or one of the server's own. */
  pageSize: number | 'asked'
  /** Added to the true count and total_pages on every page (0: truthful). */
  countLie: number
  pagesLie: number
  /** A page that comes back empty, or one whose last entry repeats its first (or gains one). */
  fault?: { page: number; kind: 'empty' | 'replace' | 'insert' }
  /** A page past the end of the list answers 404 "Invalid page." (Django REST framework's way). */
  invalidPage: boolean
  shuffleSeed: number
}

interface World {
  ours: TrueDiff[]
  others: OtherDiff[]
  server: Server
}

// ---------------------------------------------------------------------------------------------
// Generators

const RESULTS = [
  'identical',
  'empty',
  'different',
  'error',
  'bad-pks',
  'missing-pks',
  'IDENTICAL',
  'Different',
  'Empty',
  'partially-similar'
]
const STATUSES = [
  'needs_confirmation',
  'needs_authentication',
  'waiting',
  'queued',
  'processing',
  'done',
  'failed',
  'cancelled'
]
const count = fc.oneof(fc.constant(null), fc.constant(0), fc.integer({ min: 1, max: 50 }))

const DONE_STATUS = fc.constantFrom('done', 'done', 'DONE', ' done ')
const NO_ROWS = {
  rowsAdded: fc.constantFrom(null, 0),
  rowsRemoved: fc.constantFrom(null, 0),
  rowsChanged: fc.constantFrom(null, 0),
  matchRatio: fc.constantFrom(null, 1)
}
const ANY_ROWS = {
  rowsAdded: count,
  rowsRemoved: count,
  rowsChanged: count,
  matchRatio: fc.constantFrom(null, 1, 0.99, 0)
}
const finalState: fc.Arbitrary<DiffState> = fc.oneof(
  // Mostly settled and consistent, so that gates pass often enough to test safety.
  {
    weight: 5,
    arbitrary: fc.record({
      status: DONE_STATUS,
      result: fc.constantFrom('identical', 'empty', 'IDENTICAL', 'different'),
      ...NO_ROWS
    })
  },
  // Done, any result (error, bad-pks, an unknown one, none), rows that agree.
  {
    weight: 3,
    arbitrary: fc.record({
      status: DONE_STATUS,
      result: fc.oneof(fc.constantFrom(...RESULTS), fc.constant(null)),
      ...NO_ROWS
    })
  },
  // Identical or empty with statistics that may contradict them.
  {
    weight: 2,
    arbitrary: fc.record({
      status: DONE_STATUS,
      result: fc.constantFrom('identical', 'empty', 'Identical'),
      ...ANY_ROWS
    })
  },
  // Any status (a final result on a failed, cancelled or unfinished diff), anything.
  {
    weight: 2,
    arbitrary: fc.record({
      status: fc.oneof(fc.constantFrom(...STATUSES), fc.constant(null)),
      result: fc.oneof(fc.constantFrom(...RESULTS), fc.constant(null)),
      ...ANY_ROWS
    })
  }
)

const trueDiff = (faulty: boolean): fc.Arbitrary<Omit<TrueDiff, 'id'>> =>
  fc.record({
    final: finalState,
    settleAfter: fc.integer({ min: 0, max: 3 }),
    unfinished: fc.record({
      status: fc.constantFrom('waiting', 'queued', 'processing', 'needs_confirmation'),
      result: fc.constantFrom(null, null, 'identical', 'different')
    }),
    label: faulty
      ? fc.oneof(
          { weight: 8, arbitrary: fc.constant<TrueDiff['label']>('run') },
          fc.constantFrom<TrueDiff['label']>('null', 'absent')
        )
      : fc.constant<TrueDiff['label']>('run'),
    visibleFrom: faulty
      ? fc.oneof({ weight: 10, arbitrary: fc.constant(0) }, fc.integer({ min: 1, max: 6 }))
      : fc.constant(0),
    droppedAt: faulty
      ? fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined, freq: 20 })
      : fc.constant(undefined)
  })

/** A server with faults, or (`faulty` false) a truthful, stable one. */
const server = (faulty: boolean): fc.Arbitrary<Server> =>
  fc
    .record({
      filter: fc.boolean(),
      order: faulty
        ? fc.constantFrom<Order>('id', 'id', 'fixed', 'shuffled', 'ci_run_id ties shuffled')
        : fc.constantFrom<Order>('id', 'id', 'fixed'),
      pageSize: fc.oneof(
        { weight: 3, arbitrary: fc.constant<'asked'>('asked') },
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 101, max: 160 })
      ),
      lie: fc.oneof(
        { weight: faulty ? 3 : 1, arbitrary: fc.constant(undefined) },
        {
          weight: faulty ? 1 : 0,
          arbitrary: fc.record({
            countLie: fc.integer({ min: -60, max: 5 }).filter((n) => n !== 0),
            pagesLie: fc.integer({ min: -2, max: 1 })
          })
        },
        {
          weight: faulty ? 1 : 0,
          arbitrary: fc.record({ countLie: fc.constant(0), pagesLie: fc.constantFrom(-1, 1) })
        }
      ),
      fault: fc.oneof(
        { weight: faulty ? 2 : 1, arbitrary: fc.constant(undefined) },
        {
          weight: faulty ? 1 : 0,
          arbitrary: fc.record({
            page: fc.integer({ min: 1, max: 4 }),
            kind: fc.constantFrom<'empty' | 'replace' | 'insert'>('empty', 'replace', 'insert')
          })
        }
      ),
      invalidPage: fc.boolean(),
      shuffleSeed: fc.integer()
    })
    .map(({ lie, fault, ...rest }) => ({
      ...rest,
      countLie: lie?.countLie ?? 0,
      pagesLie: lie?.pagesLie ?? 0,
      // Page faults and lying totals are kept apart (see the file's comment).
      fault: lie ? undefined : fault
    }))

const diffsOf = (faulty: boolean): fc.Arbitrary<Omit<TrueDiff, 'id'>[]> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(trueDiff(faulty), { maxLength: 8 }) },
    fc.array(trueDiff(faulty), { minLength: 90, maxLength: 260, size: 'max' })
  )

/** Other runs' diffs, and (`faulty`) diffs outside CI, without a ci_run_id. */
const others = (faulty: boolean): fc.Arbitrary<{ ciRunId: number | null; result: string }[]> =>
  fc.oneof(
    fc.constant<{ ciRunId: number | null; result: string }[]>([]),
    fc.array(
      fc.record({
        ciRunId: faulty
          ? fc.oneof(fc.constantFrom(RUN - 1, RUN + 1, RUN + 7), fc.constant(null))
          : fc.constantFrom(RUN - 1, RUN + 1, RUN + 7),
        result: fc.constantFrom('identical', 'different')
      }),
      { maxLength: 150 }
    )
  )

/** A world: the run's diffs and the others', with unique ids spread in a random order. */
const world = (faulty: boolean): fc.Arbitrary<World> =>
  fc
    .record({
      // A third of the worlds with faults have faulty entries; the rest test the server's faults.
      ours: faulty
        ? fc.oneof({ weight: 2, arbitrary: diffsOf(false) }, diffsOf(true))
        : diffsOf(false),
      others: faulty
        ? fc.oneof({ weight: 2, arbitrary: others(false) }, others(true))
        : others(false),
      server: faulty
        ? fc.oneof(server(false), { weight: 2, arbitrary: server(true) })
        : server(false),
      idSeed: fc.integer(),
      // Often every diff but (at most) one ends unchanged: large lists that may pass.
      odd: fc.option(fc.nat(), { nil: undefined, freq: 2 })
    })
    .map(({ ours: generated, others: rest, server: s, idSeed, odd }) => {
      const ours =
        odd === undefined
          ? generated
          : generated.map((d, i) =>
              i === odd % (generated.length + 1) ? d : { ...d, final: DONE }
            )
      const ids = shuffle(
        Array.from({ length: ours.length + rest.length }, (_, i) => i * 3 + 1),
        idSeed
      )
      const built: World = {
        ours: ours.map((d, i) => ({ ...d, id: ids[i] })),
        others: rest.map((d, i) => ({ ...d, id: ids[ours.length + i] })),
        server: s
      }
      return Object.assign(built, { [fc.toStringMethod]: () => describeWorld(built) })
    })

/**
 * A world on a few lines for a failure: the server, and the run's diffs by what they show (the
 * ones that are not plainly done and unchanged one by one).
 */
function describeWorld(w: World): string {
  const plain = w.ours.filter(
    (d) => unchanged(d.final) && d.label === 'run' && !d.visibleFrom && !d.droppedAt
  )
  const odd = w.ours.filter((d) => !plain.includes(d))
  return [
    `server ${JSON.stringify(w.server)}`,
    `others: ${w.others.length} (${w.others.filter((o) => o.ciRunId === null).length} without ci_run_id)`,
    `ours: ${w.ours.length}, ${plain.length} plainly done and unchanged (settling after up to ${Math.max(0, ...plain.map((d) => d.settleAfter))} readings)${odd.length ? '; the others:' : ''}`,
    ...odd.slice(0, 20).map((d) => `  ${JSON.stringify(d)}`),
    ...(odd.length > 20 ? [`  and ${odd.length - 20} more`] : [])
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------
// The server

/** mulberry32: a small seeded PRNG, so a reshuffling server replays with the seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function shuffle<T>(items: T[], seed: number): T[] {
  const random = prng(seed)
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

interface Entry {
  id: number
  ciRunId: number | null | undefined
  state: DiffState
}

/**
 * Answers GET /api/v1/datadiffs for `world`; records the run's diffs that were in its list at any
 * request, whether or not a page showed them (a page fault may hide one).
 */
function serve(w: World) {
  const listedIds = new Set<number>()
  let readings = 0
  const s = w.server
  const allIds = [...w.ours, ...w.others].map((d) => d.id)
  const fixedKey = new Map(shuffle(allIds, s.shuffleSeed).map((id, i) => [id, i]))
  const transport = fakeTransport((request, index) => {
    const page = Number(request.query.page)
    if (page === 1) readings++
    const size = s.pageSize === 'asked' ? Number(request.query.page_size) : s.pageSize
    const ours: Entry[] = w.ours
      .filter((d) => d.visibleFrom <= index && d.droppedAt !== readings)
      .map((d) => ({
        id: d.id,
        ciRunId: d.label === 'run' ? RUN : d.label === 'null' ? null : undefined,
        state:
          readings <= d.settleAfter
            ? {
                ...d.final,
                ...d.unfinished,
                rowsAdded: null,
                rowsRemoved: null,
                rowsChanged: null,
                matchRatio: null
              }
            : d.final
      }))
    for (const e of ours) listedIds.add(e.id)
    const listed: Entry[] = s.filter
      ? ours
      : [
          ...ours,
          ...w.others.map((d) => ({
            id: d.id,
            ciRunId: d.ciRunId,
            state: { ...DONE, result: d.result }
          }))
        ]
    const random = prng(s.shuffleSeed + index)
    const key = (e: Entry): number => {
      switch (s.order) {
        case 'id':
          return e.id
        case 'fixed':
          return fixedKey.get(e.id) ?? 0
        case 'shuffled':
          return random()
        case 'ci_run_id ties shuffled':
          return -(e.ciRunId ?? -1) * 1e6 + random()
      }
    }
    const sorted = listed
      .map((e) => ({ e, k: key(e) }))
      .sort((a, b) => a.k - b.k)
      .map(({ e }) => e)
    if (s.invalidPage && page > 1 && (page - 1) * size >= sorted.length)
      return { status: 404, body: { detail: 'Invalid page.' } }
    let slice = sorted.slice((page - 1) * size, page * size)
    if (s.fault?.page === page && slice.length > 0) {
      if (s.fault.kind === 'empty') slice = []
      else if (s.fault.kind === 'replace') slice = [...slice.slice(0, -1), slice[0]]
      else slice = [...slice, slice[0]]
    }
    return {
      status: 200,
      body: {
        page,
        page_size: size,
        count: Math.max(0, listed.length + s.countLie),
        total_pages: Math.max(0, Math.ceil(listed.length / size) + s.pagesLie),
        results: slice.map(entryJson)
      }
    }
  })
  return { ...transport, listedIds }
}

const DONE: DiffState = {
  status: 'done',
  result: 'identical',
  rowsAdded: 0,
  rowsRemoved: 0,
  rowsChanged: 0,
  matchRatio: 1
}

function entryJson(e: Entry): Record<string, unknown> {
  return {
    id: e.id,
    ...(e.ciRunId === undefined ? {} : { ci_run_id: e.ciRunId }),
    kind: 'in_db',
    table2: ['analytics', 'pr', `table_${e.id}`],
    status: e.state.status,
    result: e.state.result,
    diff_stats: {
      rows_added: e.state.rowsAdded,
      rows_removed: e.state.rowsRemoved,
      diff_rows_count: e.state.rowsChanged,
      match_ratio: e.state.matchRatio
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The truth, from the model (not from the code under test)

function unchanged(state: DiffState): boolean {
  return (
    (state.status ?? '').trim().toLowerCase() === 'done' &&
    ['identical', 'empty'].includes((state.result ?? '').toLowerCase()) &&
    [state.rowsAdded, state.rowsRemoved, state.rowsChanged].every((n) => !n) &&
    (state.matchRatio === null || state.matchRatio === 1)
  )
}

/** The step after a run that ended done, under fail-on-data-changes, reading `w`'s Datafold. */
async function gate(w: World) {
  const clock = new VirtualClock()
  const log = new FakeToolkit()
  const server = serve(w)
  const deadlineMs = clock.now() + TIMEOUT_MS
  const client = new DatafoldClient({
    host: HOST,
    apiKey: 'dfk_property',
    ciConfigId: 42,
    clock,
    log,
    deadlineMs,
    requestTimeoutMs: 30_000,
    transport: server.transport,
    random: () => 0.5
  })
  const reading = await readDataDiffs({
    client,
    ciRunId: RUN,
    untilSettled: true,
    host: HOST,
    clock,
    schedule: { pollIntervalMs: 5_000, maxPollIntervalMs: 60_000 },
    startedAtMs: clock.now(),
    deadlineMs,
    log
  })
  if ('aborted' in reading) throw new Error('not cancelled, yet aborted')
  const decision = decide(
    {
      kind: 'waited',
      outcome: { kind: 'finished', run: { id: RUN, status: 'done' }, conclusion: 'success' }
    },
    { polls: 3, dataDiffs: reading, run: { id: RUN, status: 'done' } },
    {
      failOnSkip: false,
      failOnDataChanges: true,
      timeoutMs: TIMEOUT_MS,
      startTimeoutMs: 60_000,
      host: HOST
    },
    clock.elapsed()
  )
  const outputs = Object.fromEntries(decision.outputs)
  return { decision, outputs, listedIds: server.listedIds }
}

/**
 * A truthful, stable world the gate can read: one that lists only other runs' diffs proves nothing
 * about this run. Every page is read, however many the list has.
 */
function readable(w: World): boolean {
  const s = w.server
  // Only other runs' diffs listed and none of this run is no proof that it has none.
  return s.filter || w.ours.length > 0 || w.others.length === 0
}

const options = (): fc.Parameters<[World]> => ({
  numRuns: RUNS,
  seed: SEED,
  ...(PATH ? { path: PATH } : {}),
  // Shrinking a world of hundreds of diffs re-reads it thousands of times: on by request only.
  endOnFailure: !process.env.GATE_PROPERTY_SHRINK
})

/** How many worlds the safety property saw pass: a property never tested on a pass proves little. */
const tally = { worlds: 0, passed: 0 }

describe('the data gate, model-based (fast-check)', () => {
  afterAll(() => {
    if (process.env.GATE_PROPERTY_STATS)
      console.log(`safety: ${tally.passed} of ${tally.worlds} worlds passed the gate`)
  })

  it(`safety: a pass means every diff in the list is done and unchanged (${RUNS} worlds, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(world(true), async (w) => {
        const { decision, listedIds } = await gate(w)
        tally.worlds++
        if (!decision.passed) return
        tally.passed++
        for (const d of w.ours) {
          if (!listedIds.has(d.id)) continue
          if (!unchanged(d.final))
            throw new Error(`the gate passed, but diff ${d.id} ends ${JSON.stringify(d.final)}`)
        }
      }),
      options()
    )
  })

  it(`liveness: on a truthful, stable Datafold the verdict is the truth and data-diffs lists every diff (${RUNS} worlds, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(world(false).filter(readable), async (w) => {
        const { decision, outputs } = await gate(w)
        const truth = w.ours.every((d) => unchanged(d.final))
        expect(decision.passed).toBe(truth)
        const listed = JSON.parse(outputs['data-diffs'] ?? 'null') as {
          id: number
          result: string | null
        }[]
        expect(listed?.map((d) => d.id)).toEqual(w.ours.map((d) => d.id).sort((a, b) => a - b))
        for (const d of listed) {
          expect(d.result).toBe(d.result?.toLowerCase() ?? null)
        }
      }),
      options()
    )
  })
})
