import { decodeCursor, encodeCursor } from '#services/jobs/search/cursor'
import {
  DEFAULT_LIMIT,
  FACET_SIZES,
  type FacetBucket,
  type JobDocument,
  type JobFacets,
  type JobHit,
  type JobSearchQuery,
  type JobSearchResult,
  queryTerms,
  sortFacet,
  trackTotalHits,
} from '#services/jobs/search/types'

/*
| The request bodies and response parsing shared by the OpenSearch and Elasticsearch
| adapters (both speak the same query DSL for everything used here).
*/

export const GLOBAL_SCOPE = 'global'

/** Explicit settings + mappings: English stemming, edge n-grams for title autocomplete, keyword filters. */
export const INDEX_DEFINITION = {
  settings: {
    number_of_shards: 1,
    number_of_replicas: 0,
    analysis: {
      filter: {
        autocomplete_edge: { type: 'edge_ngram', min_gram: 1, max_gram: 20 },
      },
      analyzer: {
        autocomplete: {
          type: 'custom',
          tokenizer: 'standard',
          filter: ['lowercase', 'autocomplete_edge'],
        },
        autocomplete_search: { type: 'custom', tokenizer: 'standard', filter: ['lowercase'] },
      },
      normalizer: { lowercase: { type: 'custom', filter: ['lowercase'] } },
    },
  },
  mappings: {
    dynamic: 'strict',
    properties: {
      id: { type: 'keyword' },
      source_id: { type: 'keyword' },
      school_scope: { type: 'keyword' },
      title: {
        type: 'text',
        analyzer: 'english',
        fields: {
          raw: { type: 'keyword', ignore_above: 500 },
          autocomplete: {
            type: 'text',
            analyzer: 'autocomplete',
            search_analyzer: 'autocomplete_search',
          },
        },
      },
      company: {
        type: 'text',
        analyzer: 'english',
        fields: { raw: { type: 'keyword', ignore_above: 200 } },
      },
      locations: {
        type: 'keyword',
        ignore_above: 300,
        fields: { lower: { type: 'keyword', normalizer: 'lowercase', ignore_above: 300 } },
      },
      remote: { type: 'boolean' },
      employment_type: { type: 'keyword' },
      salary_min: { type: 'double' },
      salary_max: { type: 'double' },
      salary_top: { type: 'double' },
      salary_currency: { type: 'keyword' },
      description: { type: 'text', analyzer: 'english' },
      posted_at: { type: 'date' },
      apply_url: { type: 'keyword', index: false },
    },
  },
}

export function toEngineDocument(doc: JobDocument) {
  return {
    id: doc.id,
    source_id: doc.sourceId,
    school_scope: doc.schoolId ?? GLOBAL_SCOPE,
    title: doc.title,
    company: doc.company,
    locations: doc.locations,
    remote: doc.remote,
    employment_type: doc.employmentType,
    salary_min: doc.salaryMin,
    salary_max: doc.salaryMax,
    salary_top: doc.salaryMax ?? doc.salaryMin,
    salary_currency: doc.salaryCurrency,
    description: doc.descriptionText,
    posted_at: doc.postedAt,
    apply_url: doc.applyUrl,
  }
}

/** Bulk body lines (index actions) for the alias. */
export function bulkIndexLines(alias: string, docs: JobDocument[]) {
  return docs.flatMap((doc) => [{ index: { _index: alias, _id: doc.id } }, toEngineDocument(doc)])
}

export function bulkDeleteLines(alias: string, ids: string[]) {
  return ids.map((id) => ({ delete: { _index: alias, _id: id } }))
}

function filters(query: JobSearchQuery) {
  const filter: object[] = [{ terms: { school_scope: [query.schoolId, GLOBAL_SCOPE] } }]
  if (query.location) filter.push({ term: { 'locations.lower': query.location.toLowerCase() } })
  if (query.remote !== undefined) filter.push({ term: { remote: query.remote } })
  if (query.employmentType?.length)
    filter.push({ terms: { employment_type: query.employmentType } })
  if (query.postedWithinDays !== undefined) {
    filter.push({ range: { posted_at: { gte: `now-${query.postedWithinDays}d` } } })
  }
  if (query.minSalary !== undefined)
    filter.push({ range: { salary_top: { gte: query.minSalary } } })
  if (query.sourceId) filter.push({ term: { source_id: query.sourceId } })
  return filter
}

/** Each term must match (stemmed) in title, company or description, or the title within an edit or two. */
function textClauses(terms: string[]) {
  return terms.map((term) => ({
    bool: {
      should: [
        {
          multi_match: {
            query: term,
            fields: ['title^3', 'company^2', 'description'],
            zero_terms_query: 'all',
          },
        },
        { match: { title: { query: term, fuzziness: 'AUTO', prefix_length: 1 } } },
      ],
      minimum_should_match: 1,
    },
  }))
}

function matchQuery(query: JobSearchQuery, extraFilter: object[] = []) {
  return {
    bool: { filter: [...filters(query), ...extraFilter], must: textClauses(queryTerms(query.q)) },
  }
}

function facetAggregations() {
  return {
    employment_type: {
      terms: {
        field: 'employment_type',
        size: FACET_SIZES.employmentType,
        order: [{ _count: 'desc' }, { _key: 'asc' }],
      },
    },
    remote: { terms: { field: 'remote', size: FACET_SIZES.remote } },
    location: {
      terms: {
        field: 'locations',
        size: FACET_SIZES.location,
        order: [{ _count: 'desc' }, { _key: 'asc' }],
      },
    },
    source: {
      terms: {
        field: 'source_id',
        size: FACET_SIZES.source,
        order: [{ _count: 'desc' }, { _key: 'asc' }],
      },
    },
  }
}

const NEWEST_FIRST = [{ posted_at: { order: 'desc' } }, { id: { order: 'desc' } }]
const DAY_MS = 86_400_000

/** Matches per posting day, newest first. */
const POSTED_DAYS = {
  date_histogram: {
    field: 'posted_at',
    calendar_interval: 'day',
    min_doc_count: 1,
    order: { _key: 'desc' },
  },
}

/**
 * When more than the bound match (`totalRelation: gte`), facets count the bound's worth of
 * newest matches, as on PostgreSQL. Sorting every match by (posted_at, keyword id) down to
 * the bound is slow (a 10,000-deep queue compared by id across segments), so per-day counts
 * (`postedDaysBody`) locate the day holding the last of them, and the probe sorts only that
 * day's matches.
 */
export function postedDaysBody(query: JobSearchQuery) {
  return { size: 0, track_total_hits: false, query: matchQuery(query), aggs: { days: POSTED_DAYS } }
}

/** Matches counted per day (every match has a posting date). */
export function countedDays(postedDays: any) {
  let counted = 0
  for (const bucket of postedDays?.buckets ?? []) counted += Number(bucket.doc_count)
  return counted
}

export function windowEdgeBody(query: JobSearchQuery, postedDays?: any) {
  const bound = trackTotalHits(query)
  let newer = 0
  for (const bucket of postedDays?.buckets ?? []) {
    const count = Number(bucket.doc_count)
    if (newer + count >= bound) {
      const day = Number(bucket.key)
      const within = {
        range: { posted_at: { gte: day, lt: day + DAY_MS, format: 'epoch_millis' } },
      }
      return edgeProbe(matchQuery(query, [within]), bound - newer - 1)
    }
    newer += count
  }
  // no per-day counts (or matches without a date): the probe over every match
  return edgeProbe(matchQuery(query), bound - 1)
}

function edgeProbe(query: object, from: number) {
  return { size: 1, from, track_total_hits: false, _source: false, query, sort: NEWEST_FIRST }
}

/** ...and this counts the facets of the matches from the newest down to that edge. */
export function windowFacetsBody(query: JobSearchQuery, edge: [number, string]) {
  const [postedAt, id] = edge
  const window = {
    bool: {
      should: [
        { range: { posted_at: { gt: postedAt, format: 'epoch_millis' } } },
        {
          bool: {
            filter: [
              { range: { posted_at: { gte: postedAt, lte: postedAt, format: 'epoch_millis' } } },
              { range: { id: { gte: id } } },
            ],
          },
        },
      ],
      minimum_should_match: 1,
    },
  }
  return {
    size: 0,
    track_total_hits: false,
    query: matchQuery(query, [window]),
    aggs: facetAggregations(),
  }
}

export function parseFacets(aggs: any): JobFacets {
  return {
    employmentType: sortFacet(bucketsOf(aggs?.employment_type), FACET_SIZES.employmentType),
    remote: sortFacet(bucketsOf(aggs?.remote), FACET_SIZES.remote),
    location: sortFacet(bucketsOf(aggs?.location), FACET_SIZES.location),
    source: sortFacet(bucketsOf(aggs?.source), FACET_SIZES.source),
  }
}

/** ...and this counts them over every match (no more than the bound match). */
export function everyMatchFacetsBody(query: JobSearchQuery) {
  return { size: 0, track_total_hits: false, query: matchQuery(query), aggs: facetAggregations() }
}

/**
 * The search request body (without index): query, sort, search_after, highlight, and the
 * facet aggregations unless `facets: false` (the caller asks for them separately).
 */
export function searchBody(query: JobSearchQuery, options: { facets?: boolean } = {}) {
  const limit = query.limit ?? DEFAULT_LIMIT
  const terms = queryTerms(query.q)
  const byRelevance = query.sort !== 'date' && terms.length > 0
  const sort = byRelevance
    ? [{ _score: { order: 'desc' } }, { id: { order: 'desc' } }]
    : NEWEST_FIRST
  const body: Record<string, any> = {
    size: limit + 1,
    track_total_hits: trackTotalHits(query),
    query: matchQuery(query),
    sort,
  }
  if (options.facets !== false) body.aggs = facetAggregations()
  if (terms.length) {
    body.highlight = {
      encoder: 'html',
      pre_tags: ['<mark>'],
      post_tags: ['</mark>'],
      fields: {
        title: { number_of_fragments: 0 },
        description: { fragment_size: 160, number_of_fragments: 2 },
      },
    }
  }
  if (query.cursor) body.search_after = decodeCursor(query.cursor, 2)
  return body
}

function bucketsOf(aggregation: any): FacetBucket[] {
  return (aggregation?.buckets ?? []).map((b: any) => ({
    value: String(b.key_as_string ?? b.key),
    count: Number(b.doc_count),
  }))
}

/** Parses an OpenSearch/Elasticsearch search response into the port's result. */
export function parseSearchResponse(response: any, query: JobSearchQuery): JobSearchResult {
  const limit = query.limit ?? DEFAULT_LIMIT
  const hits: any[] = response?.hits?.hits ?? []
  const page = hits.slice(0, limit)
  const data: JobHit[] = page.map((hit) => {
    const s = hit._source ?? {}
    return {
      id: s.id ?? hit._id,
      sourceId: s.source_id,
      title: s.title,
      company: s.company,
      locations: s.locations ?? [],
      remote: Boolean(s.remote),
      employmentType: s.employment_type ?? null,
      salaryMin: s.salary_min ?? null,
      salaryMax: s.salary_max ?? null,
      salaryCurrency: s.salary_currency ?? null,
      postedAt: new Date(s.posted_at).toISOString(),
      applyUrl: s.apply_url ?? null,
      score: typeof hit._score === 'number' ? hit._score : null,
      highlights: {
        title: hit.highlight?.title ?? [],
        description: hit.highlight?.description ?? [],
      },
    }
  })
  const total = response?.hits?.total
  return {
    data,
    total: typeof total === 'number' ? total : Number(total?.value ?? 0),
    totalRelation: total?.relation === 'gte' ? 'gte' : 'eq',
    nextCursor: hits.length > limit && page.length ? encodeCursor(page.at(-1).sort) : null,
    facets: parseFacets(response?.aggregations),
  }
}

/** Title autocomplete: edge n-grams on title words, distinct titles by frequency. */
export function suggestBody(schoolId: string, prefix: string, limit: number) {
  return {
    size: 0,
    query: {
      bool: {
        filter: [{ terms: { school_scope: [schoolId, GLOBAL_SCOPE] } }],
        must: [
          {
            match: {
              'title.autocomplete': { query: queryTerms(prefix).join(' '), operator: 'and' },
            },
          },
        ],
      },
    },
    aggs: {
      titles: {
        terms: { field: 'title.raw', size: limit, order: [{ _count: 'desc' }, { _key: 'asc' }] },
      },
    },
  }
}

export function parseSuggestResponse(response: any): string[] {
  return (response?.aggregations?.titles?.buckets ?? []).map((b: any) => String(b.key))
}

/** Throws when a bulk response reports item errors (the engines answer 200 with errors: true). */
export function assertBulkOk(response: any) {
  if (!response?.errors) return
  const failed = (response.items ?? [])
    .map((item: any) => Object.values(item)[0] as any)
    .filter((r: any) => r?.error && !(r.status === 404 && r.result === 'not_found'))
  if (failed.length) {
    throw new Error(
      `bulk indexing failed for ${failed.length} documents: ${JSON.stringify(failed[0].error).slice(0, 300)}`
    )
  }
}

/** A new physical index name behind the alias. */
export function newIndexName(alias: string) {
  return `${alias}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`
}
