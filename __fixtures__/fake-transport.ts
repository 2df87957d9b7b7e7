/**
 * An in-memory Transport (src/http.ts) for tests of the client and of main: each request is
 * recorded in the shape `specViolations` (openapi.ts) checks, then answered by a handler.
 * A handler can return an answer, or throw a NetworkError to simulate a refused or reset connection.
 */
import { NetworkError, type HttpRequest, type HttpResponse, type Transport } from '../src/http.js'
import type { RecordedRequest } from './openapi.js'

export interface FakeAnswer {
  status: number
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
  headers?: Record<string, string>
}

export type FakeHandler = (
  request: RecordedRequest,
  index: number
) => FakeAnswer | Promise<FakeAnswer>

export interface FakeTransport {
  transport: Transport
  /** Every request received, in order. */
  requests: RecordedRequest[]
}

function recordRequest(request: HttpRequest): RecordedRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
  let body: unknown = undefined
  if (request.body !== undefined) {
    try {
      body = JSON.parse(request.body)
    } catch {
      body = request.body
    }
  }
  return {
    method: request.method,
    path: request.url.pathname,
    query: Object.fromEntries(request.url.searchParams),
    headers,
    body
  }
}

export function fakeTransport(handler: FakeHandler): FakeTransport {
  const requests: RecordedRequest[] = []
  const transport: Transport = async (request): Promise<HttpResponse> => {
    if (request.signal?.aborted) throw new NetworkError('EABORTED', 'request cancelled', true)
    const recorded = recordRequest(request)
    requests.push(recorded)
    const answer = await handler(recorded, requests.length - 1)
    return {
      status: answer.status,
      headers: Object.fromEntries(
        Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])
      ),
      body: typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? null),
      url: request.url
    }
  }
  return { transport, requests }
}
