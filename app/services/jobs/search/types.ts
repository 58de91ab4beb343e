import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/** What every engine stores for one open job (closed jobs are removed). */
export interface JobDocument {
  id: string
  sourceId: string
  /** null = a global source's job, visible to every school */
  schoolId: string | null
  title: string
  company: string
  locations: string[]
  remote: boolean
  employmentType: string | null
  salaryMin: number | null
  salaryMax: number | null
  salaryCurrency: string | null
  descriptionText: string
  postedAt: string
  applyUrl: string | null
}

export type JobSort = 'relevance' | 'date'

/** The one query contract every adapter answers identically (the parity suite checks it). */
export interface JobSearchQuery {
  /** the caller's school: results are global jobs plus this school's own */
  schoolId: string
  q?: string
  location?: string
  remote?: boolean
  employmentType?: string[]
  postedWithinDays?: number
  /** jobs whose top of range (or only figure) reaches this amount */
  minSalary?: number
  sourceId?: string
  /** relevance needs `q`; without one results come newest first */
  sort?: JobSort
  cursor?: string
  limit?: number
  /** counting bound (tests and benchmarks; the API always uses TRACK_TOTAL_HITS) */
  trackTotalHits?: number
}

/** A matching job: the indexed document without what stays server-side, with its score. */
export interface JobHit extends Omit<JobDocument, 'schoolId' | 'descriptionText'> {
  score: number | null
  /** fragments with matches wrapped in <mark>…</mark> */
  highlights: { title: string[]; description: string[] }
}

export interface FacetBucket {
  value: string
  count: number
}

export interface JobFacets {
  employmentType: FacetBucket[]
  remote: FacetBucket[]
  location: FacetBucket[]
  source: FacetBucket[]
}

/**
 * Bounded counting, the same on every engine (Elasticsearch's `track_total_hits`): up to the
 * bound `total` is exact (`eq`); beyond it `total` is the bound and a lower bound (`gte`).
 * Facets count the same matches as `total`: every match when `eq`, else the bound's worth of
 * newest matches (posted_at, id descending) — a window both engines define identically
 * whatever the sort, so their facets agree. Pagination is not bounded.
 */
export type TotalRelation = 'eq' | 'gte'

export interface JobSearchResult {
  data: JobHit[]
  facets: JobFacets
  total: number
  totalRelation: TotalRelation
  nextCursor: string | null
}

export interface SearchOptions {
  /** PostgreSQL adapter: run on this (RLS-scoped) transaction instead of opening one */
  client?: QueryClientContract
}

/** The search port. Adapters: postgres (default), opensearch, elasticsearch. */
export interface JobSearchIndex {
  readonly engine: 'postgres' | 'opensearch' | 'elasticsearch'
  /** creates the index and alias when missing (no-op for postgres) */
  ensureReady(): Promise<void>
  /** upserts documents (bulk) through the alias */
  index(documents: JobDocument[]): Promise<void>
  remove(ids: string[]): Promise<void>
  /** makes writes visible to search (tests, reindex) */
  refresh(): Promise<void>
  search(query: JobSearchQuery, options?: SearchOptions): Promise<JobSearchResult>
  /** distinct job titles whose words start with the prefix words, most common first */
  suggest(
    schoolId: string,
    prefix: string,
    limit?: number,
    options?: SearchOptions
  ): Promise<string[]>
}

export const FACET_SIZES = { location: 10, source: 20, employmentType: 10, remote: 2 }
export const DEFAULT_LIMIT = 20
/** The counting bound (at most the engines' default max_result_window, 10,000). */
export const TRACK_TOTAL_HITS = 10_000

export function trackTotalHits(query: JobSearchQuery) {
  return Math.min(
    Math.max(1, Math.floor(query.trackTotalHits ?? TRACK_TOTAL_HITS)),
    TRACK_TOTAL_HITS
  )
}
export const MAX_QUERY_TERMS = 8

/** Words of a free-text query, lowercased, at most MAX_QUERY_TERMS. */
export function queryTerms(q: string | undefined) {
  return (q ?? '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}+#]+/u)
    .filter(Boolean)
    .slice(0, MAX_QUERY_TERMS)
}

export function sortFacet(buckets: FacetBucket[], size: number) {
  return buckets
    .filter((b) => b.count > 0)
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, size)
}

/** The posting fields a search hit and an indexed document share, read from a `jobs` row. */
export function jobRowFields(row: any) {
  return {
    id: row.id as string,
    sourceId: row.source_id as string,
    title: row.title as string,
    company: row.company as string,
    locations: row.locations as string[],
    remote: row.remote as boolean,
    employmentType: row.employment_type as string | null,
    salaryMin: row.salary_min === null ? null : Number(row.salary_min),
    salaryMax: row.salary_max === null ? null : Number(row.salary_max),
    salaryCurrency: row.salary_currency as string | null,
  }
}
