import { responseViolations, specViolations } from '../__fixtures__/openapi.js'

const headers = { authorization: 'Key k', 'content-type': 'application/json' }
const body = {
  pr_number: 7,
  pr_branch: 'feature',
  base_branch: 'main',
  pr_sha: 'a'.repeat(40),
  base_sha: 'b'.repeat(40)
}

describe('the OpenAPI check used by the request tests', () => {
  it('accepts a trigger as the spec describes it', () => {
    expect(
      specViolations({ method: 'POST', path: '/api/v1/ci/42/trigger', query: {}, headers, body })
    ).toEqual([])
  })

  it('rejects a trigger whose pr_number is a string or that lacks a field', () => {
    const { base_sha: _omitted, ...partial } = body
    expect(
      specViolations({
        method: 'POST',
        path: '/api/v1/ci/42/trigger',
        query: {},
        headers,
        body: { ...body, pr_number: '7' }
      })
    ).toEqual(['body/pr_number must be integer'])
    expect(
      specViolations({
        method: 'POST',
        path: '/api/v1/ci/42/trigger',
        query: {},
        headers,
        body: partial
      })
    ).toEqual(["body must have required property 'base_sha'"])
  })

  it('rejects a list request with a non-integer limit, an unknown parameter or no key', () => {
    expect(
      specViolations({
        method: 'GET',
        path: '/api/v1/ci/42/runs',
        query: { pr_sha: 'abc', limit: '10', offset: '0' },
        headers,
        body: undefined
      })
    ).toEqual([])
    expect(
      specViolations({
        method: 'GET',
        path: '/api/v1/ci/42/runs',
        query: { pr_sha: 'abc', limit: 'ten', sha: 'x' },
        headers: {},
        body: undefined
      })
    ).toEqual([
      'query parameter limit = "ten" does not match {"default":100,"title":"Limit","type":"integer"}',
      'unknown query parameter sha',
      'Authorization header is not "Key <api-key>"'
    ])
    expect(() =>
      specViolations({
        method: 'GET',
        path: '/api/v1/ci/x/trigger',
        query: {},
        headers,
        body: undefined
      })
    ).toThrow(/not an operation/)
  })

  it('checks answers too', () => {
    expect(
      responseViolations('POST', '/api/v1/ci/42/trigger', { ci_run_id: null, run_id: 3 })
    ).toEqual([])
    expect(responseViolations('GET', '/api/v1/ci/42/runs', [{ id: 1 }])).not.toEqual([])
  })
})
