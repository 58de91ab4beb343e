/*
| The generated TypeScript client (clients/typescript) as the test helpers use it: every answer
| is checked against the OpenAPI document, like the Japa client's (tests/bootstrap.ts).
*/
import type { Middleware } from 'openapi-fetch'
import { createPathwaysClient } from '#clients/typescript/index'
import { assertResponseMatchesContract } from '#tests/helpers/openapi_validation'

const validateAgainstDocument: Middleware = {
  async onResponse({ request, response }) {
    const text = await response.clone().text()
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    assertResponseMatchesContract(
      request.method,
      request.url,
      response.status,
      response.headers.get('content-type') ?? undefined,
      body,
      text
    )
    return response
  },
}

export function testClient(options: { token?: string; headers?: Record<string, string> } = {}) {
  return createPathwaysClient({
    baseUrl: `http://${process.env.HOST}:${process.env.PORT}`,
    accessToken: () => options.token,
    headers: options.headers,
    middleware: [validateAgainstDocument],
  })
}

/** An untyped call through the typed client, for helpers that take the path as data. */
export async function callApi(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}
) {
  const client = testClient({ token: options.token, headers: options.headers })
  const { response, data, error } = await client.request(
    method.toLowerCase() as 'post',
    path as any,
    {
      body: options.body as never,
      parseAs: 'text',
    }
  )
  // Successful answers come back as text (parseAs); error answers already parsed.
  const payload: unknown = data ?? error
  const body =
    typeof payload === 'string' ? (payload ? JSON.parse(payload) : null) : (payload ?? null)
  return { status: response.status, body, response }
}

/**
 * A browser's request to the API (cookies in `init.headers`, redirects not followed) through the
 * typed client, so the answer is checked against the document like any other.
 */
export async function browserRequest(url: URL, init: RequestInit = {}) {
  const client = testClient()
  // The client reads error bodies itself: the caller gets an unread copy, as from fetch.
  let raw: Response | undefined
  client.use({
    onResponse({ response }) {
      raw = response.clone()
      return response
    },
  })
  const { response } = await client.request(
    (init.method ?? 'GET').toLowerCase() as 'get',
    `${url.pathname}${url.search}` as any,
    { headers: init.headers, body: init.body, redirect: 'manual', parseAs: 'stream' } as any
  )
  return raw ?? response
}

/** Whether a URL is the API under test (and not, say, the local OpenID provider). */
export function isApiUrl(url: URL) {
  return url.origin === new URL(`http://${process.env.HOST}:${process.env.PORT}`).origin
}
