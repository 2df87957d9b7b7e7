import { apiDataDiff, dataDiffPage } from '../__fixtures__/data-diffs.js'
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

  describe('POST /api/v1/ci/{ci_config_id}/{pr_num} (upload the table pairs)', () => {
    const upload = (path: string, pairs: unknown) =>
      specViolations({ method: 'POST', path, query: {}, headers, body: pairs })

    it('accepts a list of CiDiff', () => {
      expect(
        upload('/api/v1/ci/42/7', [
          { prod: 'a.b', pr: 'c.d', pk: ['id'], include_columns: [], exclude_columns: ['x'] },
          { prod: 'a.e', pr: 'c.e', pk: null }
        ])
      ).toEqual([])
    })

    it('rejects a pair without pr, a pk that is not a list, a body that is not a list, a pr_num that is not a number', () => {
      expect(upload('/api/v1/ci/42/7', [{ prod: 'a.b' }])).toEqual([
        "body/0 must have required property 'pr'"
      ])
      expect(upload('/api/v1/ci/42/7', [{ prod: 'a.b', pr: 'c.d', pk: 'id' }])).toEqual([
        'body/0/pk must be array',
        'body/0/pk must be null',
        'body/0/pk must match a schema in anyOf'
      ])
      expect(upload('/api/v1/ci/42/7', { prod: 'a.b', pr: 'c.d' })).toEqual(['body must be array'])
      expect(upload('/api/v1/ci/42/seven', [{ prod: 'a.b', pr: 'c.d' }])).toEqual([
        'path parameter pr_num = "seven" does not match {"title":"Pull request/Merge request number","type":"integer"}'
      ])
    })

    it('the trigger is still matched as the trigger, not as an upload for pull request "trigger"', () => {
      expect(upload('/api/v1/ci/42/trigger', [{ prod: 'a.b', pr: 'c.d' }])).toEqual([
        'body must be object'
      ])
    })

    it('checks its answer, a SubmitCiJob', () => {
      expect(responseViolations('POST', '/api/v1/ci/42/7', { ci_run_id: 5, run_id: null })).toEqual(
        []
      )
      expect(responseViolations('POST', '/api/v1/ci/42/7', { ci_run_id: '5' })).not.toEqual([])
    })
  })

  it('checks answers too', () => {
    expect(
      responseViolations('POST', '/api/v1/ci/42/trigger', { ci_run_id: null, run_id: 3 })
    ).toEqual([])
    expect(responseViolations('GET', '/api/v1/ci/42/runs', [{ id: 1 }])).not.toEqual([])
  })

  describe('GET /api/v1/datadiffs', () => {
    const list = (query: Record<string, string>, auth = headers) =>
      specViolations({
        method: 'GET',
        path: '/api/v1/datadiffs',
        query,
        headers: auth,
        body: undefined
      })

    it('accepts the declared paging and sorting parameters', () => {
      expect(list({ page: '2', page_size: '100', order_by: 'id', sort_order: 'asc' })).toEqual([])
    })

    it('rejects values outside the declared enums and integers', () => {
      expect(list({ order_by: 'run', sort_order: 'down', page: 'two' })).toEqual([
        'query parameter page = "two" does not match {"default":1,"title":"Page","type":"integer"}',
        'query parameter sort_order = "down" does not match {"$ref":"#/components/schemas/ApiSortOrder","default":"asc"}',
        'query parameter order_by = "run" does not match {"$ref":"#/components/schemas/ApiSortFilters","default":"id"}'
      ])
    })

    it('accepts a field of ApiDataDiffFull as a filter, checked against that field (the description says every field filters)', () => {
      expect(list({ ci_run_id: '1000' })).toEqual([])
      expect(list({ ci_run_id: '1000,1001' })).toEqual([])
      expect(list({ ci_run_id: 'latest' })).toEqual([
        'query filter ci_run_id = "latest" does not match {"anyOf":[{"type":"integer"},{"type":"null"}],"title":"Ci Run Id"}'
      ])
      expect(list({ run: '1000' })).toEqual(['unknown query parameter run'])
      expect(
        list({ ci_run_id: '1000' }, { authorization: 'Bearer k', 'content-type': '' })
      ).toEqual(['Authorization header is not "Key <api-key>"'])
    })

    it('checks answers: the test fixtures are real-shaped pages', () => {
      const page = dataDiffPage([
        apiDataDiff({
          id: 7,
          ciRunId: 1000,
          result: 'different',
          rowsAdded: 3,
          rowsRemoved: 0,
          rowsChanged: 12,
          matchRatio: 0.98
        }),
        apiDataDiff({ id: 8, ciRunId: 1000, running: true }),
        apiDataDiff({ id: 9, ciRunId: null, table: null, result: 'identical' })
      ])
      expect(responseViolations('GET', '/api/v1/datadiffs', page)).toEqual([])
      const { kind: _kind, ...noKind } = apiDataDiff({ id: 7, ciRunId: 1000 })
      expect(responseViolations('GET', '/api/v1/datadiffs', dataDiffPage([noKind]))).toEqual([
        "response/results/0 must have required property 'kind'"
      ])
      expect(
        responseViolations('GET', '/api/v1/datadiffs', { ...page, total_pages: undefined })
      ).toEqual(["response must have required property 'total_pages'"])
    })
  })
})
