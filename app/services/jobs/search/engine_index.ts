import {
  INDEX_DEFINITION,
  assertBulkOk,
  bulkDeleteLines,
  bulkIndexLines,
  countedDays,
  everyMatchFacetsBody,
  newIndexName,
  parseFacets,
  parseSearchResponse,
  parseSuggestResponse,
  postedDaysBody,
  searchBody,
  suggestBody,
  windowEdgeBody,
  windowFacetsBody,
} from '#services/jobs/search/engine_dsl'
import {
  trackTotalHits,
  type JobDocument,
  type JobFacets,
  type JobSearchIndex,
  type JobSearchQuery,
} from '#services/jobs/search/types'

/** The few engine calls the adapters need; OpenSearch and Elasticsearch clients differ only here. */
export interface EngineTransport {
  /** physical indices the alias points at ([] when the alias does not exist) */
  aliasTargets(alias: string): Promise<string[]>
  createIndex(name: string, definition: typeof INDEX_DEFINITION): Promise<void>
  updateAliases(actions: object[]): Promise<void>
  bulk(lines: object[], refresh: boolean): Promise<any>
  search(index: string, body: Record<string, any>): Promise<any>
  refresh(index: string): Promise<void>
  deleteIndex(name: string): Promise<void>
}

/** Index housekeeping that both clients spell alike (a missing index is already deleted). */
export function indexHousekeeping(indices: {
  refresh(params: { index: string }): Promise<unknown>
  delete(params: { index: string }, options: { ignore: number[] }): Promise<unknown>
}): Pick<EngineTransport, 'refresh' | 'deleteIndex'> {
  return {
    async refresh(index) {
      await indices.refresh({ index })
    },
    async deleteIndex(name) {
      await indices.delete({ index: name }, { ignore: [404] })
    },
  }
}

const BULK_CHUNK = 1000

/**
 * A search-engine adapter: every read and write goes through the alias; `reindex` builds a
 * fresh index, fills it, atomically moves the alias and drops the old index (no downtime).
 */
export class EngineJobSearchIndex implements JobSearchIndex {
  #ready = false

  constructor(
    readonly engine: 'opensearch' | 'elasticsearch',
    protected transport: EngineTransport,
    readonly alias: string,
    protected options: { refreshOnWrite?: boolean } = {}
  ) {}

  async ensureReady() {
    if (this.#ready) return
    const targets = await this.transport.aliasTargets(this.alias)
    if (targets.length === 0) {
      const index = newIndexName(this.alias)
      await this.transport.createIndex(index, INDEX_DEFINITION)
      await this.transport.updateAliases([
        { add: { index, alias: this.alias, is_write_index: true } },
      ])
    }
    this.#ready = true
  }

  async index(documents: JobDocument[]) {
    if (documents.length === 0) return
    await this.ensureReady()
    for (let start = 0; start < documents.length; start += BULK_CHUNK) {
      const lines = bulkIndexLines(this.alias, documents.slice(start, start + BULK_CHUNK))
      assertBulkOk(await this.transport.bulk(lines, Boolean(this.options.refreshOnWrite)))
    }
  }

  async remove(ids: string[]) {
    if (ids.length === 0) return
    await this.ensureReady()
    for (let start = 0; start < ids.length; start += BULK_CHUNK) {
      const lines = bulkDeleteLines(this.alias, ids.slice(start, start + BULK_CHUNK))
      assertBulkOk(await this.transport.bulk(lines, Boolean(this.options.refreshOnWrite)))
    }
  }

  async refresh() {
    await this.ensureReady()
    await this.transport.refresh(this.alias)
  }

  async search(query: JobSearchQuery) {
    await this.ensureReady()
    // The main search aggregates nothing: alongside it, per-day counts tell whether more than
    // the counting bound match, then one request counts the facets over every match (up to
    // the bound) or over the bound's newest matches (beyond it) — so a large answer never
    // aggregates every match (20-30 ms at 100k matches), and the facets mean what types.ts says.
    const [response, facets] = await Promise.all([
      this.transport.search(this.alias, searchBody(query, { facets: false })),
      this.#facets(query),
    ])
    const result = parseSearchResponse(response, query)
    const windowed = result.totalRelation === 'gte'
    // should the index have changed in between, the facets of the right kind are counted again
    result.facets =
      (facets.windowed === windowed ? facets.facets : null) ??
      (windowed ? await this.#windowFacets(query) : null) ??
      (await this.#everyMatchFacets(query))
    return result
  }

  async #facets(query: JobSearchQuery): Promise<{ windowed: boolean; facets: JobFacets | null }> {
    const counts = await this.transport.search(this.alias, postedDaysBody(query))
    const days = counts?.aggregations?.days
    if (countedDays(days) <= trackTotalHits(query)) {
      return { windowed: false, facets: await this.#everyMatchFacets(query) }
    }
    return { windowed: true, facets: await this.#windowFacets(query, days) }
  }

  async #everyMatchFacets(query: JobSearchQuery) {
    const response = await this.transport.search(this.alias, everyMatchFacetsBody(query))
    return parseFacets(response?.aggregations)
  }

  /** Facets of the bound's newest matches (`days`: per-day counts placing the edge), or null. */
  async #windowFacets(query: JobSearchQuery, days?: any) {
    const probe = await this.transport.search(this.alias, windowEdgeBody(query, days))
    const edge = probe?.hits?.hits?.[0]
    if (!edge?.sort) return null
    const windowed = await this.transport.search(
      this.alias,
      windowFacetsBody(query, edge.sort as [number, string])
    )
    return parseFacets(windowed?.aggregations)
  }

  async suggest(schoolId: string, prefix: string, limit = 10) {
    if (!prefix.trim()) return []
    await this.ensureReady()
    return parseSuggestResponse(
      await this.transport.search(this.alias, suggestBody(schoolId, prefix, limit))
    )
  }

  /**
   * Zero-downtime rebuild: documents go into a new index while searches keep using the
   * alias; then one atomic alias update swaps old for new, and the old index is dropped.
   * `documents` is read from PostgreSQL (the source of truth) in pages.
   */
  async reindex(
    documents: () => AsyncIterable<JobDocument[]>,
    onProgress?: (indexed: number) => void
  ) {
    const previous = await this.transport.aliasTargets(this.alias)
    const index = newIndexName(this.alias)
    await this.transport.createIndex(index, INDEX_DEFINITION)
    let indexed = 0
    try {
      for await (const batch of documents()) {
        if (batch.length === 0) continue
        assertBulkOk(await this.transport.bulk(bulkIndexLines(index, batch), false))
        indexed += batch.length
        onProgress?.(indexed)
      }
      await this.transport.refresh(index)
      await this.transport.updateAliases([
        ...previous.map((old) => ({ remove: { index: old, alias: this.alias } })),
        { add: { index, alias: this.alias, is_write_index: true } },
      ])
    } catch (error) {
      await this.transport.deleteIndex(index).catch(() => {})
      throw error
    }
    for (const old of previous) await this.transport.deleteIndex(old)
    this.#ready = true
    return { index, indexed, previous }
  }

  /** Drops the alias and every index behind it (tests, benchmarks). */
  async destroy() {
    for (const index of await this.transport.aliasTargets(this.alias))
      await this.transport.deleteIndex(index)
    this.#ready = false
  }
}
