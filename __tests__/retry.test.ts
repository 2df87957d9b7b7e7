import {
  LAST_ATTEMPT_MS,
  RETRY_AFTER_CAP_MS,
  RETRY_BASE_MS,
  RETRY_MAX_BACKOFF_MS,
  backoffDelayMs,
  isAmbiguousTrigger,
  isRetryableDiffRead,
  isRetryableRead,
  isRetryableTrigger,
  parseRetryAfter,
  retryWaitMs,
  type Fault
} from '../src/retry.js'

const NOW = Date.UTC(2024, 0, 15, 12, 0, 0)

describe('backoffDelayMs: full jitter', () => {
  it('is 0 when the draw is 0, whatever the attempt', () => {
    for (const attempt of [0, 1, 5, 20]) expect(backoffDelayMs(attempt, () => 0)).toBe(0)
  })

  it('stays just under min(cap, base * 2^attempt) when the draw is 0.999', () => {
    expect(RETRY_BASE_MS).toBe(1_000)
    expect(RETRY_MAX_BACKOFF_MS).toBe(30_000)
    const expectedCeilings = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]
    expectedCeilings.forEach((ceiling, attempt) => {
      const delay = backoffDelayMs(attempt, () => 0.999)
      expect(delay).toBeLessThan(ceiling)
      expect(delay).toBeGreaterThanOrEqual(ceiling * 0.999 - 1)
    })
  })

  it('never exceeds 30 s, even for huge attempt counts', () => {
    for (const attempt of [10, 31, 100, 10_000]) {
      expect(backoffDelayMs(attempt, () => 0.999999)).toBeLessThan(30_000)
      expect(Number.isFinite(backoffDelayMs(attempt, () => 0.5))).toBe(true)
    }
    expect(backoffDelayMs(100, () => 0.5)).toBe(15_000)
  })

  it('is half the ceiling with random 0.5 (what the client tests inject)', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelayMs(a, () => 0.5))).toEqual([500, 1000, 2000, 4000])
  })

  it('uses Math.random by default, within [0, ceiling)', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelayMs(2)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(4_000)
      expect(Number.isInteger(delay)).toBe(true)
    }
  })
})

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('5', NOW)).toBe(5_000)
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7_000)
    expect(parseRetryAfter('0', NOW)).toBe(0)
    expect(parseRetryAfter(['3', '9'], NOW)).toBe(3_000)
  })

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter(new Date(NOW + 10_000).toUTCString(), NOW)).toBe(10_000)
    expect(parseRetryAfter('Mon, 15 Jan 2024 12:00:42 GMT', NOW)).toBe(42_000)
  })

  it('reads the obsolete RFC 850 form of an HTTP date, which starts with a day name too', () => {
    expect(parseRetryAfter('Monday, 15-Jan-24 12:00:42 GMT', NOW)).toBe(42_000)
  })

  it.each([
    '15 Jan 2024 12:00:42 GMT',
    '2024-01-15T12:00:42Z',
    'Mo 15 Jan 2024 12:00:42 GMT',
    'M 15 Jan 2024 12:00:42 GMT'
  ])('gives undefined for a date that does not start with a day name: %p', (value) => {
    expect(Date.parse(value)).not.toBeNaN()
    expect(parseRetryAfter(value, NOW)).toBeUndefined()
  })

  it('reads an HTTP date in the past as 0', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', NOW)).toBe(0)
    expect(parseRetryAfter(new Date(NOW - 1_000).toUTCString(), NOW)).toBe(0)
  })

  it('caps long waits', () => {
    expect(RETRY_AFTER_CAP_MS).toBe(120_000)
    expect(parseRetryAfter('3600', NOW)).toBe(RETRY_AFTER_CAP_MS)
    expect(parseRetryAfter(new Date(NOW + 86_400_000).toUTCString(), NOW)).toBe(RETRY_AFTER_CAP_MS)
    // Another cap, or none (GitHub's waits are never shortened).
    expect(parseRetryAfter('3600', NOW, 200_000)).toBe(200_000)
    expect(parseRetryAfter('3600', NOW, Infinity)).toBe(3_600_000)
    expect(parseRetryAfter(new Date(NOW + 86_400_000).toUTCString(), NOW, Infinity)).toBe(
      86_400_000
    )
  })

  it.each([undefined, '', '   ', 'soon', 'tomorrow', 'later please', '1.5', '-5', '2.5s', '1e3'])(
    'gives undefined for garbage %p (so the backoff applies)',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined()
    }
  )
})

describe('retryWaitMs', () => {
  const deadlineMs = NOW + 60_000

  it('uses the backoff when there is no Retry-After', () => {
    expect(
      retryWaitMs({
        attempt: 2,
        retryAfterMs: undefined,
        nowMs: NOW,
        deadlineMs,
        random: () => 0.5
      })
    ).toBe(2_000)
  })

  it("waits Retry-After plus the backoff's jitter, so steps a rate limit turned away together come back apart", () => {
    expect(
      retryWaitMs({ attempt: 0, retryAfterMs: 9_000, nowMs: NOW, deadlineMs, random: () => 0.5 })
    ).toBe(9_500)
    expect(
      retryWaitMs({ attempt: 0, retryAfterMs: 9_000, nowMs: NOW, deadlineMs, random: () => 0 })
    ).toBe(9_000)
    expect(
      retryWaitMs({ attempt: 2, retryAfterMs: 1_000, nowMs: NOW, deadlineMs, random: () => 0.99 })
    ).toBe(1_000 + 3_960)
  })

  it('treats Retry-After as a floor: a server repeating Retry-After: 0 still gets the backoff', () => {
    expect(
      retryWaitMs({ attempt: 3, retryAfterMs: 0, nowMs: NOW, deadlineMs, random: () => 0.5 })
    ).toBe(4_000)
  })

  it('ends the retries when Retry-After would not leave a last attempt its second before the deadline', () => {
    expect(
      retryWaitMs({ attempt: 0, retryAfterMs: 59_001, nowMs: NOW, deadlineMs, random: () => 0.5 })
    ).toBeUndefined()
    // The jitter on top is cut so the last attempt keeps its second.
    expect(
      retryWaitMs({ attempt: 0, retryAfterMs: 59_000, nowMs: NOW, deadlineMs, random: () => 0.5 })
    ).toBe(59_000)
  })

  it('shortens a backoff that would cross the deadline, so one last attempt still happens', () => {
    // attempt 6: half of the 30 s cap is 15 s, but only 10 s are left: wait 9 s, keep 1 s to try.
    expect(
      retryWaitMs({
        attempt: 6,
        retryAfterMs: undefined,
        nowMs: deadlineMs - 10_000,
        deadlineMs,
        random: () => 0.5
      })
    ).toBe(10_000 - LAST_ATTEMPT_MS)
  })

  it("gives up when less than the last attempt's second is left", () => {
    for (const left of [LAST_ATTEMPT_MS, 500, 0, -5]) {
      expect(
        retryWaitMs({
          attempt: 0,
          retryAfterMs: undefined,
          nowMs: deadlineMs - left,
          deadlineMs,
          random: () => 0
        })
      ).toBeUndefined()
    }
  })
})

const network = (code: string, notSent: boolean): Fault => ({ kind: 'network', code, notSent })
const status = (s: number): Fault => ({ kind: 'status', status: s })

describe('which faults are retried', () => {
  it.each<[string, Fault, boolean, boolean]>([
    // fault, read (GET), trigger (POST)
    ['connection refused', network('ECONNREFUSED', true), true, true],
    ['DNS failure', network('ENOTFOUND', true), true, true],
    ['DNS try again', network('EAI_AGAIN', true), true, true],
    ['refused after connecting (cannot be sure)', network('ECONNREFUSED', false), true, false],
    ['connection reset', network('ECONNRESET', false), true, false],
    ['request timeout', network('ETIMEDOUT', false), true, false],
    ['socket hang up', network('ECONNRESET', false), true, false],
    ['cancelled by the workflow', network('EABORTED', true), false, false],
    ['redirect to plain http', network('EREDIRECT_INSECURE', false), false, false],
    ['POST redirected with a 301, 302 or 303', network('EREDIRECT_POST', false), false, false],
    ['too many redirects', network('EREDIRECTS', false), false, false],
    ['answer too large', network('EBODYTOOLARGE', false), false, false],
    ['self-signed certificate', network('DEPTH_ZERO_SELF_SIGNED_CERT', false), false, false],
    [
      'unknown issuer (corporate CA)',
      network('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', false),
      false,
      false
    ],
    ['expired certificate', network('CERT_HAS_EXPIRED', false), false, false],
    [
      'self-signed certificate in the chain',
      network('SELF_SIGNED_CERT_IN_CHAIN', false),
      false,
      false
    ],
    [
      'leaf certificate that cannot be verified',
      network('UNABLE_TO_VERIFY_LEAF_SIGNATURE', false),
      false,
      false
    ],
    [
      'certificate for another host name',
      network('ERR_TLS_CERT_ALTNAME_INVALID', false),
      false,
      false
    ],
    // A certificate is refused before the request is written (undici's onConnect comes after
    // the handshake), so nothing was sent; it is still no reason to try again.
    [
      'untrusted certificate, nothing sent',
      network('UNABLE_TO_GET_ISSUER_CERT_LOCALLY', true),
      false,
      false
    ],
    [
      'self-signed certificate, nothing sent',
      network('DEPTH_ZERO_SELF_SIGNED_CERT', true),
      false,
      false
    ],
    ['a proxy that wants credentials', network('EPROXYAUTH', true), false, false],
    ['a proxy that refuses the tunnel (a 4xx to CONNECT)', network('EPROXY', true), false, false],
    [
      'a proxy that could not reach the host (a 5xx to CONNECT)',
      network('EPROXYUPSTREAM', true),
      true,
      true
    ],
    ['a proxy variable that names no proxy', network('EPROXYCONFIG', true), false, false],
    ['cut off answer', network('EINCOMPLETE', false), true, false],
    ['closed without an answer', network('ECONNCLOSED', false), true, false],
    ['cancelled while waiting for the answer', network('EABORTED', false), false, false],
    ['other network error', network('EPIPE', false), true, false],
    ['HTTP 429', status(429), true, true],
    ['HTTP 500', status(500), true, false],
    ['HTTP 502', status(502), true, true],
    ['HTTP 503', status(503), true, true],
    ['HTTP 504', status(504), true, false],
    ['HTTP 501', status(501), false, false],
    ['HTTP 400', status(400), false, false],
    ['HTTP 401', status(401), false, false],
    ['HTTP 403', status(403), false, false],
    ['HTTP 404', status(404), false, false],
    ['HTTP 409', status(409), false, false],
    ['HTTP 422', status(422), false, false],
    ['an answer that is not what the spec says', { kind: 'bad-answer', json: true }, true, false],
    ['an answer that is not JSON at all', { kind: 'bad-answer', json: false }, true, false]
  ])('%s: read %p, trigger %p', (_name, fault, read, trigger) => {
    expect(isRetryableRead(fault)).toBe(read)
    expect(isRetryableTrigger(fault)).toBe(trigger)
  })

  it.each<[string, Fault, boolean]>([
    ['HTTP 503', status(503), true],
    ['HTTP 429', status(429), true],
    ['connection reset', network('ECONNRESET', false), true],
    ['HTTP 403', status(403), false],
    ['HTTP 404', status(404), false],
    ['self-signed certificate', network('DEPTH_ZERO_SELF_SIGNED_CERT', false), false],
    ['JSON cut short', { kind: 'bad-answer', json: true, parsed: false }, true],
    ['JSON of another shape', { kind: 'bad-answer', json: true, parsed: true }, false],
    ['an HTML page', { kind: 'bad-answer', json: false, parsed: false }, false]
  ])('reading data diffs after %s: retried %p', (_name, fault, retried) => {
    expect(isRetryableDiffRead(fault)).toBe(retried)
  })
})

describe('which trigger faults leave it unknown whether Datafold started a run', () => {
  it.each<[string, Fault, boolean]>([
    ['connection refused', network('ECONNREFUSED', true), false],
    ['DNS failure', network('ENOTFOUND', true), false],
    ['cancelled before connecting', network('EABORTED', true), false],
    ['cancelled while waiting for the answer', network('EABORTED', false), true],
    ['connection reset', network('ECONNRESET', false), true],
    ['request timeout', network('ETIMEDOUT', false), true],
    ['answer cut off', network('EINCOMPLETE', false), true],
    ['closed without an answer', network('ECONNCLOSED', false), true],
    ['HTTP 429', status(429), false],
    ['HTTP 500: Datafold answered that it failed', status(500), false],
    ['HTTP 502', status(502), false],
    ['HTTP 503', status(503), false],
    ['HTTP 504: the gateway gave up waiting for Datafold', status(504), true],
    ['HTTP 422', status(422), false],
    ['a 2xx that cannot be read', { kind: 'bad-answer', json: false }, true]
  ])('%s: %p', (_name, fault, ambiguous) => {
    expect(isAmbiguousTrigger(fault)).toBe(ambiguous)
  })
})
