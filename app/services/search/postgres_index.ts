import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { withTenant } from '#services/tenant_context'
import { decodeCursor, encodeCursor } from '#services/search/cursor'
import {
  DEFAULT_LIMIT,
  FACET_SIZES,
  type FacetBucket,
  type JobHit,
  type JobSearchIndex,
  type JobSearchQuery,
  type JobSearchResult,
  type SearchOptions,
  queryTerms,
  sortFacet,
} from '#services/search/types'

const escapeHtml = (column: string) =>
  `replace(replace(replace(${column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`

/** Elasticsearch/OpenSearch `fuzziness: AUTO`: 0 edits up to 2 characters, 1 up to 5, then 2. */
const fuzziness = (term: string) => (term.length <= 2 ? 0 : term.length <= 5 ? 1 : 2)

interface ExpandedTerm {
  term: string
  /** false for a stop word: plainto_tsquery keeps nothing of it */
  parsed: boolean
  /** dictionary title words within the edit distance */
  fuzzy: string[]
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The embedded default: the `jobs` table is the index, so index/remove are no-ops. Reads go
 * through the `visible_jobs` view, whose predicate is the table's row-level policy (under
 * RLS itself PostgreSQL would not use the GIN indexes), plus an explicit
 * `school_id IS NULL OR school_id = ?`. Matching: a weighted tsvector (English stemming),
 * and title words within the engines' edit distance via a word dictionary; ranking adds
 * pg_trgm word similarity of the title.
 */
export class PostgresJobSearchIndex implements JobSearchIndex {
  readonly engine = 'postgres' as const

  async ensureReady() {}
  async index() {}
  async remove() {}
  async refresh() {}

  #run<T>(
    schoolId: string,
    options: SearchOptions | undefined,
    work: (c: QueryClientContract) => Promise<T>
  ) {
    return options?.client ? work(options.client) : withTenant({ schoolId }, work)
  }

  /**
   * One round trip before the search: which terms the English parser keeps (a stop word
   * alone matches everything, as in the engines), and the dictionary title words within
   * the engines' AUTO edit distance of each term (same first letter), so the match below
   * is two GIN lookups instead of an edit distance on every row.
   */
  async #expandTerms(client: QueryClientContract, terms: string[]): Promise<ExpandedTerm[]> {
    const { rows } = await client.rawQuery(
      `SELECT cfg.jit, t.term, numnode(plainto_tsquery('english', t.term)) AS nodes,
              ARRAY(SELECT w.word FROM job_title_words w
                     WHERE t.dist > 0 AND left(w.word, 1) = left(t.term, 1)
                       AND length(w.word) BETWEEN length(t.term) - t.dist AND length(t.term) + t.dist
                       AND levenshtein_less_equal(w.word, t.term, t.dist) <= t.dist) AS fuzzy
         FROM (SELECT set_config('jit', 'off', true)) AS cfg(jit)
         LEFT JOIN LATERAL unnest(?::text[], ?::int[]) WITH ORDINALITY AS t(term, dist, n) ON true
        ORDER BY t.n`,
      [terms, terms.map(fuzziness)]
    )
    return rows
      .filter((row: any) => row.term !== null)
      .map((row: any) => ({
        term: String(row.term),
        parsed: Number(row.nodes) > 0,
        fuzzy: row.fuzzy as string[],
      }))
  }

  #where(query: JobSearchQuery, terms: ExpandedTerm[]) {
    const conditions = [`j.status = 'open'`, `(j.school_id IS NULL OR j.school_id = ?)`]
    const bindings: any[] = [query.schoolId]
    for (const { term, parsed, fuzzy } of terms) {
      // matched when stemmed anywhere, or a title word is within the engines' AUTO edit distance
      if (!parsed && fuzzy.length === 0) continue
      const arms: string[] = []
      if (parsed) {
        arms.push(`j.search_vector @@ plainto_tsquery('english', ?)`)
        bindings.push(term)
      }
      if (fuzzy.length > 0) {
        arms.push(`j.title_words && ?::text[]`)
        bindings.push(fuzzy)
      }
      conditions.push(`(${arms.join(' OR ')})`)
    }
    if (query.location) {
      conditions.push(`j.locations_lower @> ARRAY[lower(?)]`)
      bindings.push(query.location)
    }
    if (query.remote !== undefined) {
      conditions.push(`j.remote = ?`)
      bindings.push(query.remote)
    }
    if (query.employmentType?.length) {
      conditions.push(`j.employment_type = ANY(?)`)
      bindings.push(query.employmentType)
    }
    if (query.postedWithinDays !== undefined) {
      conditions.push(`j.posted_at >= now() - (? * interval '1 day')`)
      bindings.push(query.postedWithinDays)
    }
    if (query.minSalary !== undefined) {
      conditions.push(`coalesce(j.salary_max, j.salary_min) >= ?`)
      bindings.push(query.minSalary)
    }
    if (query.sourceId) {
      conditions.push(`j.source_id = ?`)
      bindings.push(query.sourceId)
    }
    return { sql: conditions.join(' AND '), bindings }
  }

  async search(query: JobSearchQuery, options?: SearchOptions): Promise<JobSearchResult> {
    return this.#run(query.schoolId, options, (client) => this.#search(client, query))
  }

  async #search(client: QueryClientContract, query: JobSearchQuery): Promise<JobSearchResult> {
    const limit = query.limit ?? DEFAULT_LIMIT
    const q = queryTerms(query.q).join(' ')
    const byRelevance = query.sort !== 'date' && q !== ''
    // JIT compilation costs more than these short queries save (measured: ~0.85 s per query)
    const where = this.#where(query, await this.#expandTerms(client, queryTerms(query.q)))

    const score = q
      ? `(ts_rank_cd(j.search_vector, plainto_tsquery('english', ?))::float8 + word_similarity(?, lower(j.title))::float8)`
      : `NULL::float8`
    const scoreBindings = q ? [q, q] : []

    let after = ''
    const afterBindings: any[] = []
    if (query.cursor) {
      const [first, id] = decodeCursor(query.cursor, 2)
      if (byRelevance) {
        after = `WHERE (m.score < ?::float8 OR (m.score = ?::float8 AND m.id < ?::uuid))`
        afterBindings.push(Number(first), Number(first), String(id))
      } else {
        after = `WHERE (m.posted_at, m.id) < (?::timestamptz, ?::uuid)`
        afterBindings.push(new Date(Number(first)).toISOString(), String(id))
      }
    }
    const order = byRelevance ? `score DESC, id DESC` : `posted_at DESC, id DESC`
    const headline = (column: string, extra: string) =>
      q
        ? `ts_headline('english', ${escapeHtml(column)}, plainto_tsquery('english', ?), 'StartSel=<mark>, StopSel=</mark>, ${extra}')`
        : `NULL`
    const headlineBindings = q ? [q, q] : []

    const { rows } = await client.rawQuery(
      `WITH m AS (
         SELECT j.id, j.source_id, j.title, j.company, j.locations, j.remote, j.employment_type,
                j.salary_min, j.salary_max, j.salary_currency, j.posted_at, j.apply_url,
                j.description_text, ${score} AS score
           FROM visible_jobs j WHERE ${where.sql}
       ), page AS (
         SELECT * FROM m ${after} ORDER BY ${order} LIMIT ?
       )
       SELECT page.*, ${headline('title', 'HighlightAll=true')} AS title_hl,
              ${headline('left(description_text, 20000)', 'MaxFragments=2, MaxWords=25, MinWords=8')} AS description_hl
         FROM page ORDER BY ${order}`,
      [...scoreBindings, ...where.bindings, ...afterBindings, limit + 1, ...headlineBindings]
    )

    const page = rows.slice(0, limit)
    const data: JobHit[] = page.map((row: any) => ({
      id: row.id,
      sourceId: row.source_id,
      title: row.title,
      company: row.company,
      locations: row.locations,
      remote: row.remote,
      employmentType: row.employment_type,
      salaryMin: row.salary_min === null ? null : Number(row.salary_min),
      salaryMax: row.salary_max === null ? null : Number(row.salary_max),
      salaryCurrency: row.salary_currency,
      postedAt: new Date(row.posted_at).toISOString(),
      applyUrl: row.apply_url,
      score: row.score === null ? null : Number(row.score),
      highlights: {
        title: row.title_hl?.includes('<mark>') ? [row.title_hl] : [],
        description: row.description_hl?.includes('<mark>') ? [row.description_hl] : [],
      },
    }))
    const last = page.at(-1) as any
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor(
            byRelevance
              ? [Number(last.score), last.id]
              : [new Date(last.posted_at).getTime(), last.id]
          )
        : null

    // total and three facets in one scan (GROUPING SETS); locations need the unnest
    const grouped = await client.rawQuery(
      `SELECT grouping(j.employment_type) AS g_type, grouping(j.remote) AS g_remote,
              grouping(j.source_id) AS g_source, j.employment_type, j.remote::text AS remote,
              j.source_id::text AS source_id, count(*)::int AS count
         FROM visible_jobs j WHERE ${where.sql}
        GROUP BY GROUPING SETS ((j.employment_type), (j.remote), (j.source_id), ())`,
      where.bindings
    )
    const buckets = (pick: (r: any) => boolean, value: (r: any) => unknown): FacetBucket[] =>
      grouped.rows
        .filter((r: any) => pick(r) && value(r) !== null)
        .map((r: any) => ({ value: String(value(r)), count: Number(r.count) }))
    const all = grouped.rows.find((r: any) => r.g_type && r.g_remote && r.g_source)
    const locations = await client.rawQuery(
      `SELECT loc.name AS value, count(*)::int AS count
         FROM visible_jobs j CROSS JOIN LATERAL unnest(j.locations) AS loc(name)
        WHERE ${where.sql} GROUP BY loc.name ORDER BY count(*) DESC, loc.name COLLATE "C" ASC LIMIT ?`,
      [...where.bindings, FACET_SIZES.location]
    )
    const facets = {
      employmentType: sortFacet(
        buckets(
          (r) => !r.g_type && r.g_remote,
          (r) => r.employment_type
        ),
        FACET_SIZES.employmentType
      ),
      remote: sortFacet(
        buckets(
          (r) => !r.g_remote && r.g_type,
          (r) => r.remote
        ),
        FACET_SIZES.remote
      ),
      location: sortFacet(
        locations.rows.map((r: any) => ({ value: String(r.value), count: Number(r.count) })),
        FACET_SIZES.location
      ),
      source: sortFacet(
        buckets(
          (r) => !r.g_source && r.g_type,
          (r) => r.source_id
        ),
        FACET_SIZES.source
      ),
    }
    return { data, facets, total: Number(all?.count ?? 0), nextCursor }
  }

  async suggest(schoolId: string, prefix: string, limit = 10, options?: SearchOptions) {
    const words = queryTerms(prefix)
    if (words.length === 0) return []
    return this.#run(schoolId, options, async (client) => {
      // a plain word narrows through the dictionary and the title-word GIN index; the regex
      // (a title word starts with it) stays the rule, also for words like "c#" the split drops
      const conditions: string[] = []
      const bindings: any[] = []
      for (const word of words) {
        if (/^[\p{L}\p{N}]+$/u.test(word)) {
          conditions.push(
            `j.title_words && ARRAY(SELECT w.word FROM job_title_words w WHERE w.word LIKE ? ESCAPE '\\')`
          )
          bindings.push(`${word.replace(/[\\%_]/g, '\\$&')}%`)
        }
        conditions.push(`lower(j.title) ~ ?`)
        bindings.push(`(^|[^[:alnum:]])${escapeRegex(word)}`)
      }
      const { rows } = await client.rawQuery(
        `SELECT j.title AS value, count(*)::int AS count FROM visible_jobs j
          WHERE j.status = 'open' AND (j.school_id IS NULL OR j.school_id = ?) AND ${conditions.join(' AND ')}
          GROUP BY j.title ORDER BY count(*) DESC, j.title COLLATE "C" ASC LIMIT ?`,
        [schoolId, ...bindings, limit]
      )
      return rows.map((r: any) => String(r.value))
    })
  }
}
