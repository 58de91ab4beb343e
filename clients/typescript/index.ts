/*
| Typed client for the Pathways API, generated from the OpenAPI document:
| `schema.d.ts` is written by openapi-typescript (`npm run client:generate`, checked for drift
| by bin/test); requests and answers are typed end to end by openapi-fetch.
*/
import createClient, { type Client, type Middleware } from 'openapi-fetch'
import type { paths } from './schema.js'

export type { paths, components, operations } from './schema.js'
export type PathwaysClient = Client<paths>

export interface PathwaysClientOptions {
  /** The API origin, e.g. `https://api.pathways.dev`. */
  baseUrl: string
  /** The current access token, read before every request (omit for public operations). */
  accessToken?: () => string | undefined | null
  /** Extra middleware (logging, retries, response checks). */
  middleware?: Middleware[]
  fetch?: typeof globalThis.fetch
  headers?: Record<string, string>
}

export function createPathwaysClient(options: PathwaysClientOptions): PathwaysClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    headers: options.headers,
  })
  if (options.accessToken) {
    const token = options.accessToken
    client.use({
      onRequest({ request }) {
        const value = token()
        if (value && !request.headers.has('authorization')) {
          request.headers.set('authorization', `Bearer ${value}`)
        }
        return request
      },
    })
  }
  for (const middleware of options.middleware ?? []) client.use(middleware)
  return client
}
