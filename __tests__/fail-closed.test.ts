import { jest } from '@jest/globals'
import { EventEmitter } from 'node:events'
import {
  failClosed,
  TimeLimitError,
  withinTimeLimit,
  type GuardedProcess
} from '../src/fail-closed.js'

/** A stand-in for `process`: events on demand, and exit() recorded instead of performed. */
class FakeProcess extends EventEmitter implements GuardedProcess {
  exitCode?: number | string | null
  exits: (number | undefined)[] = []
  exit = ((code?: number) => {
    this.exits.push(code)
  }) as GuardedProcess['exit']
}

function armed() {
  const proc = new FakeProcess()
  const said: string[] = []
  const guard = failClosed(proc, (message) => said.push(message))
  return { proc, said, guard }
}

describe('failClosed', () => {
  it('fails the step from the start: exit code 1 before any verdict', () => {
    const { proc } = armed()
    expect(proc.exitCode).toBe(1)
  })

  it('only a verdict sets the exit code, and then the drained loop says nothing', () => {
    const { proc, said, guard } = armed()
    guard.phase('waiting for the Datafold CI run to finish')
    guard.conclude(0)
    proc.emit('beforeExit')
    expect(proc.exitCode).toBe(0)
    expect(said).toEqual([])
    expect(guard.concluded).toBe(true)
  })

  it('an event loop that drains without a verdict fails the step once, naming the phase', () => {
    const { proc, said, guard } = armed()
    guard.phase("waiting for Datafold's answer to the trigger")
    proc.exitCode = 0 // whatever set it, the guard puts it back
    proc.emit('beforeExit')
    proc.emit('beforeExit')
    expect(proc.exitCode).toBe(1)
    expect(said).toEqual([
      "The step stopped without a verdict while waiting for Datafold's answer to the trigger: that part of the action never finished. Failing the step, since only a verdict can pass it."
    ])
  })

  it.each(['uncaughtException', 'unhandledRejection'])(
    'an %s exits 1 at once with the error and the phase',
    (event) => {
      const { proc, said, guard } = armed()
      guard.phase('reading the inputs')
      proc.emit(event, new Error('boom'))
      expect(proc.exits).toEqual([1])
      expect(said).toHaveLength(1)
      expect(said[0]).toMatch(
        /^Unexpected error while reading the inputs; failing the step\. Error: boom/
      )
    }
  )

  it('names the phase "starting" before any other is set, and has no verdict yet', () => {
    const { proc, said, guard } = armed()
    expect(guard.concluded).toBe(false)
    proc.emit('beforeExit')
    expect(said).toEqual([
      'The step stopped without a verdict while starting: that part of the action never finished. Failing the step, since only a verdict can pass it.'
    ])
    expect(guard.concluded).toBe(true)
  })

  it('says nothing more when the loop drains after a crash', () => {
    const { proc, said, guard } = armed()
    proc.emit('uncaughtException', new Error('boom'))
    proc.emit('beforeExit')
    expect(said).toHaveLength(1)
    expect(guard.concluded).toBe(true)
    expect(proc.exitCode).toBe(1)
  })

  it.each<[string, unknown, string]>([
    ['a string', 'plain words', 'plain words'],
    ['undefined', undefined, 'undefined'],
    [
      'an Error without a stack',
      Object.assign(new Error('no stack'), { stack: undefined }),
      'no stack'
    ]
  ])('reports a crash with %s by what it says', (_name, error, detail) => {
    const { proc, said } = armed()
    proc.emit('unhandledRejection', error)
    expect(said).toEqual([`Unexpected error while starting; failing the step. ${detail}`])
    expect(proc.exits).toEqual([1])
  })

  it('a verdict of failure keeps its exit code', () => {
    const { proc, guard } = armed()
    guard.conclude(1)
    proc.emit('beforeExit')
    expect(proc.exitCode).toBe(1)
    expect(guard.concluded).toBe(true)
  })

  it('a report that throws (a broken pipe) still leaves the step failed', () => {
    const proc = new FakeProcess()
    failClosed(proc, () => {
      throw new Error('EPIPE')
    })
    proc.emit('beforeExit')
    expect(proc.exitCode).toBe(1)
  })
})

describe('withinTimeLimit', () => {
  it('passes the result through when the work ends in time', async () => {
    await expect(withinTimeLimit(Promise.resolve(7), 1_000, () => 'late')).resolves.toBe(7)
  })

  it('passes the work’s own error through', async () => {
    await expect(
      withinTimeLimit(Promise.reject(new Error('own')), 1_000, () => 'late')
    ).rejects.toThrow('own')
  })

  it('rejects after the time, not before', async () => {
    jest.useFakeTimers()
    try {
      let outcome = 'pending'
      const limited = withinTimeLimit(new Promise(() => undefined), 5_000, () => 'late').catch(
        (error: Error) => {
          outcome = `${error.name}: ${error.message}`
        }
      )
      await jest.advanceTimersByTimeAsync(4_999)
      expect(outcome).toBe('pending')
      await jest.advanceTimersByTimeAsync(1)
      await limited
      expect(outcome).toBe('TimeLimitError: late')
    } finally {
      jest.useRealTimers()
    }
  })

  it('clears its timer as soon as the work settles', async () => {
    jest.useFakeTimers()
    try {
      await withinTimeLimit(Promise.resolve(1), 60_000, () => 'late')
      expect(jest.getTimerCount()).toBe(0)
      await withinTimeLimit(Promise.reject(new Error('x')), 60_000, () => 'late').catch(() => 0)
      expect(jest.getTimerCount()).toBe(0)
    } finally {
      jest.useRealTimers()
    }
  })

  it('never keeps the process alive by its timer alone', async () => {
    const timers = (): number =>
      process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length
    const before = timers()
    let settle: (value: number) => void = () => undefined
    const limited = withinTimeLimit(
      new Promise<number>((resolve) => (settle = resolve)),
      60_000,
      () => 'late'
    )
    expect(timers()).toBe(before)
    settle(3)
    await expect(limited).resolves.toBe(3)
  })

  it('rejects with a TimeLimitError when the work never settles', async () => {
    const never = new Promise<number>(() => undefined)
    const error: unknown = await withinTimeLimit(never, 20, () => 'it took too long').catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(TimeLimitError)
    expect((error as Error).message).toBe('it took too long')
  })
})
