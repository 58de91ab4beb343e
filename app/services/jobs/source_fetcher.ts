import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { OutboundRequestError, outboundGet } from '#services/platform/outbound_http'
import {
  type NormalizedJob,
  normalizeGreenhouse,
  normalizeJobPosting,
  normalizeLever,
} from '#services/jobs/normalize'

export type SourceKind = 'greenhouse' | 'lever' | 'json_feed'

export interface SourceRecord {
  id: string
  schoolId: string | null
  name: string
  kind: SourceKind
  url: string | null
  boardToken: string | null
  company: string | null
}

export interface FetchOptions {
  /** attempts per page for 429/5xx/network errors before the error reaches Temporal's retry */
  maxAttempts?: number
  /** first backoff; doubles per attempt */
  backoffMs?: number
  /** a Retry-After longer than this is not waited in-process: the error goes to Temporal */
  maxRetryAfterMs?: number
  pageSize?: number
  timeoutMs?: number
  /** file:// feeds: development seed only, never reachable through the API */
  allowFileUrls?: boolean
  /**
   * called when a wait starts and then every `heartbeatMs` while it lasts, with the time
   * left (activities heartbeat here, so a wait never outlasts the heartbeat timeout)
   */
  onWait?: (info: { url: string; waitMs: number; reason: string }) => void
  /** longest silence during a wait before `onWait` is called again */
  heartbeatMs?: number
  /** cancels the fetch and any backoff wait; its reason is rethrown as is */
  signal?: AbortSignal
}

/**
 * A failed fetch. The message is what run records and API errors show, so it stays
 * generic: never the remote body, an address or a port (no port-scan oracle).
 */
export class SourceFetchError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

function outboundFailure(error: OutboundRequestError) {
  switch (error.kind) {
    case 'refused_address':
      return new SourceFetchError('fetch failed: refused address', false, undefined, {
        cause: error,
      })
    case 'invalid_url':
      return new SourceFetchError('fetch failed: invalid url', false, undefined, { cause: error })
    case 'too_large':
      return new SourceFetchError('fetch failed: response too large', false, undefined, {
        cause: error,
      })
    case 'too_many_redirects':
      return new SourceFetchError('fetch failed: too many redirects', false, undefined, {
        cause: error,
      })
    default:
      return new SourceFetchError('fetch failed: upstream unreachable', true, undefined, {
        cause: error,
      })
  }
}

const statusClass = (status: number) => `upstream returned HTTP ${Math.floor(status / 100)}xx`

/** Retry-After: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Sleeps `waitMs`, calling `onWait` every `heartbeatMs`; the abort signal ends it at once. */
async function wait(url: string, waitMs: number, reason: string, options: FetchOptions) {
  const slice = Math.max(10, options.heartbeatMs ?? 10_000)
  const until = Date.now() + waitMs
  for (let left = waitMs; left > 0; left = until - Date.now()) {
    options.onWait?.({ url, waitMs: left, reason })
    try {
      await sleep(Math.min(left, slice), undefined, { signal: options.signal })
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      throw error
    }
  }
}

/**
 * GETs JSON through the SSRF-safe outbound client (every redirect hop checked),
 * honouring 429/503 + Retry-After and backing off on 5xx and network errors.
 */
export async function fetchJson(
  url: string,
  options: FetchOptions = {}
): Promise<{ body: unknown; headers: Headers }> {
  if (url.startsWith('file:')) {
    if (!options.allowFileUrls) throw new SourceFetchError('file:// sources are disabled', false)
    return { body: JSON.parse(await readFile(fileURLToPath(url), 'utf8')), headers: new Headers() }
  }
  const maxAttempts = options.maxAttempts ?? 4
  const backoffMs = options.backoffMs ?? 1000
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
  let lastError: SourceFetchError | undefined
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let waitMs = backoffMs * 2 ** (attempt - 1)
    try {
      const response = await outboundGet(url, {
        headers: { 'accept': 'application/json', 'user-agent': 'PathwaysJobIngestion/1.0' },
        timeoutMs: options.timeoutMs,
        signal: options.signal,
      })
      if (response.status >= 200 && response.status <= 299) {
        try {
          return { body: JSON.parse(response.body.toString('utf8')), headers: response.headers }
        } catch {
          throw new SourceFetchError('upstream returned invalid JSON', false)
        }
      }
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
      const message =
        response.status === 429 ? 'upstream returned HTTP 429' : statusClass(response.status)
      if (response.status === 429 || response.status >= 500) {
        lastError = new SourceFetchError(message, true, retryAfter)
        if (retryAfter !== undefined) {
          if (retryAfter > maxRetryAfterMs) throw lastError
          waitMs = retryAfter
        }
      } else {
        throw new SourceFetchError(message, false)
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason
      if (
        error instanceof SourceFetchError &&
        (!error.retryable || (error === lastError && (error.retryAfterMs ?? 0) > maxRetryAfterMs))
      ) {
        throw error
      }
      if (error instanceof OutboundRequestError) {
        const failure = outboundFailure(error)
        if (!failure.retryable) throw failure
        lastError = failure
      } else if (!(error instanceof SourceFetchError)) {
        throw error
      }
    }
    if (attempt < maxAttempts) {
      await wait(url, waitMs, lastError?.message ?? 'retry', options)
    }
  }
  throw lastError ?? new SourceFetchError('fetch failed: upstream unreachable', true)
}

function trimSlash(url: string) {
  return url.replace(/\/+$/, '')
}

/** rel="next" target of an RFC 8288 Link header. */
function nextLink(headers: Headers, base: string) {
  const link = headers.get('link')
  const match = link?.match(/<([^>]+)>\s*;\s*rel="?next"?/i)
  return match ? new URL(match[1], base).toString() : null
}

/** Postings of a schema.org feed: an array, an ItemList, a @graph, or one JobPosting. */
function feedPostings(body: any): unknown[] {
  if (Array.isArray(body)) return body
  if (Array.isArray(body?.['@graph'])) return body['@graph']
  if (Array.isArray(body?.itemListElement))
    return body.itemListElement.map((e: any) => e?.item ?? e)
  if (Array.isArray(body?.jobs)) return body.jobs
  if (body && typeof body === 'object') return [body]
  throw new SourceFetchError('the feed is not a JobPosting document', false)
}

export interface SourcePage {
  /** raw postings; normalize() turns one into a NormalizedJob or throws MalformedPostingError */
  postings: unknown[]
  normalize: (raw: unknown) => NormalizedJob
  page: number
}

/**
 * Pages through a board in its real public format:
 * - greenhouse: `{url|https://boards-api.greenhouse.io}/v1/boards/{token}/jobs?content=true&pay_transparency=true`
 *   (one page: the Job Board API is not paginated);
 * - lever: `{url|https://api.lever.co}/v0/postings/{site}?mode=json&skip=&limit=` until a short page;
 * - json_feed: the feed URL, following `Link: <...>; rel="next"`.
 */
export async function* sourcePages(
  source: SourceRecord,
  options: FetchOptions = {}
): AsyncGenerator<SourcePage> {
  const company = source.company ?? source.name
  if (source.kind === 'greenhouse') {
    const base = trimSlash(source.url ?? 'https://boards-api.greenhouse.io')
    const url = `${base}/v1/boards/${encodeURIComponent(source.boardToken ?? '')}/jobs?content=true&pay_transparency=true`
    const { body } = await fetchJson(url, options)
    const jobs = (body as any)?.jobs
    if (!Array.isArray(jobs))
      throw new SourceFetchError('Greenhouse response has no jobs array', false)
    yield { postings: jobs, normalize: (raw) => normalizeGreenhouse(raw, company), page: 1 }
    return
  }
  if (source.kind === 'lever') {
    const base = trimSlash(source.url ?? 'https://api.lever.co')
    const limit = options.pageSize ?? 100
    for (let skip = 0, page = 1; ; skip += limit, page++) {
      const url = `${base}/v0/postings/${encodeURIComponent(source.boardToken ?? '')}?mode=json&skip=${skip}&limit=${limit}`
      const { body } = await fetchJson(url, options)
      if (!Array.isArray(body)) throw new SourceFetchError('Lever response is not an array', false)
      yield { postings: body, normalize: (raw) => normalizeLever(raw, company), page }
      if (body.length < limit) return
      if (page >= 1000) throw new SourceFetchError('Lever pagination did not end', false)
    }
  }
  let url: string | null = source.url
  if (!url) throw new SourceFetchError('json_feed source has no url', false)
  for (let page = 1; url; page++) {
    const { body, headers } = await fetchJson(url, options)
    yield {
      postings: feedPostings(body),
      normalize: (raw) => normalizeJobPosting(raw, company),
      page,
    }
    url = url.startsWith('file:') ? null : nextLink(headers, url)
    if (page >= 1000) throw new SourceFetchError('feed pagination did not end', false)
  }
}
