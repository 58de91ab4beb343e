import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { withTenant } from '#services/platform/tenant_context'
import { decodeCursor, encodeCursor } from '#services/jobs/search/cursor'
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
  trackTotalHits,
  jobRowFields,
} from '#services/jobs/search/types'

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
 * The embedded default: the `jobs` table is the index (the narrow `job_search` table is kept
 * in step with it by triggers), so index/remove are no-ops. Matching, filters, facets and
 * sort read `visible_job_search`, the page's fields `visible_jobs`: views whose predicate is
 * the tables' row-level policy (under RLS itself PostgreSQL would not use the GIN indexes),
 * plus an explicit `school_id IS NULL OR school_id = ?`. Matching: a weighted tsvector (English stemming),
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
         FROM (SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true)) AS cfg(jit, wm)
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

  /** The query's own conditions (text and filters); the owner scope is added by the caller. */
  #where(query: JobSearchQuery, terms: ExpandedTerm[]) {
    // (the search table holds open jobs only)
    const conditions = [`true`]
    const bindings: any[] = []
    let text = false
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
      text = true
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
      conditions.push(`j.salary_top >= ?`)
      bindings.push(query.minSalary)
    }
    if (query.sourceId) {
      conditions.push(`j.source_id = ?`)
      bindings.push(query.sourceId)
    }
    return { sql: conditions.join(' AND '), bindings, text }
  }

  async search(query: JobSearchQuery, options?: SearchOptions): Promise<JobSearchResult> {
    return this.#run(query.schoolId, options, (client) => this.#search(client, query))
  }

  /**
   * One statement after the term expansion. Two plans, chosen by the query's shape:
   * - with text (or a relevance sort), the matches come from the GIN indexes once
   *   (materialized), and the page, the count and the facets are read from them;
   * - without text, newest first, the counting window and the page are ordered scans of the
   *   covering btree (school_id, posted_at, id): one scan per owner (global jobs, then the
   *   school's own), merged, stopping after the bound — index-only, whatever the corpus size.
   * Counting is bounded (TRACK_TOTAL_HITS, see types.ts): at most bound + 1 matches are
   * counted, one more than the bound meaning "at least the bound"; the facets count the
   * newest `bound` matches.
   */
  /** `EXPLAIN (ANALYZE, BUFFERS)` of the statement a search runs (bench/explain). */
  async explain(query: JobSearchQuery, options?: SearchOptions) {
    const plan: string[] = []
    await this.#run(query.schoolId, options, (client) => this.#search(client, query, plan))
    return plan.join('\n')
  }

  async #search(
    client: QueryClientContract,
    query: JobSearchQuery,
    plan?: string[]
  ): Promise<JobSearchResult> {
    const limit = query.limit ?? DEFAULT_LIMIT
    const bound = trackTotalHits(query)
    const q = queryTerms(query.q).join(' ')
    const byRelevance = query.sort !== 'date' && q !== ''
    // the expansion also turns JIT off for the transaction: compiling costs more than these
    // short queries save (measured: ~0.85 s per query)
    const expanded = await this.#expandTerms(client, queryTerms(query.q))
    const where = this.#where(query, expanded)
    const newestOrder = `posted_at DESC, id DESC`
    const order = byRelevance ? `score DESC, id DESC` : newestOrder

    let cursor: unknown[] | null = null
    if (query.cursor) cursor = decodeCursor(query.cursor, 2)
    const sql: string[] = []
    const bindings: any[] = []

    // weighted cover density (title A, company B, description C) plus one per query word found
    // in the title, as typed or within the edit distance (the engines' title boost and fuzzy
    // title match); array overlaps, where a trigram similarity per row cost 3x the match
    const titleWords = expanded.map(({ term, fuzzy }) => [term, ...fuzzy])
    const score = (alias: string) =>
      `(ts_rank_cd(${alias}.search_vector, plainto_tsquery('english', ?))::float8${titleWords
        .map(() => ` + (${alias}.title_words && ?::text[])::int`)
        .join('')})`
    const scoreBindings = q ? [q, ...titleWords] : []
    // newest first, the score is only returned: computed for the page's rows, not every match
    const pageScore = where.text && !byRelevance

    if (where.text || byRelevance) {
      sql.push(`m AS MATERIALIZED (
         SELECT j.id, j.posted_at, j.employment_type, j.remote, j.source_id, j.locations,
                ${byRelevance ? score('j') : 'NULL::float8'} AS score
           FROM visible_job_search j WHERE (j.school_id IS NULL OR j.school_id = ?) AND ${where.sql}
       ), facet_rows AS (
         SELECT * FROM m ORDER BY ${newestOrder} LIMIT ${bound}
       ), counted AS (
         -- "more than the bound" needs no order: the first bound + 1 matches, whichever they are
         SELECT count(*)::int AS matched FROM (SELECT 1 FROM m LIMIT ${bound + 1}) t
       )`)
      bindings.push(...(byRelevance ? scoreBindings : []), query.schoolId, ...where.bindings)
      let after = ''
      if (cursor && byRelevance) {
        after = `WHERE (score < ?::float8 OR (score = ?::float8 AND id < ?::uuid))`
        bindings.push(Number(cursor[0]), Number(cursor[0]), String(cursor[1]))
      } else if (cursor) {
        after = `WHERE (posted_at, id) < (?::timestamptz, ?::uuid)`
        bindings.push(new Date(Number(cursor[0])).toISOString(), String(cursor[1]))
      }
      sql.push(
        `hits AS (SELECT id, posted_at, score FROM m ${after} ORDER BY ${order} LIMIT ${limit + 1})`
      )
    } else {
      // newest first per owner, merged: each branch is an ordered (index-only) scan
      const newest = (select: string, n: number, numbered: boolean, after?: unknown[]) => {
        const branches = [`j.school_id IS NULL`, `j.school_id = ?`].map((owner) => {
          if (owner.includes('?')) bindings.push(query.schoolId)
          bindings.push(...where.bindings)
          let extra = ''
          if (after) {
            extra = ` AND (j.posted_at, j.id) < (?::timestamptz, ?::uuid)`
            bindings.push(new Date(Number(after[0])).toISOString(), String(after[1]))
          }
          return `(SELECT ${select} FROM visible_job_search j WHERE ${owner} AND ${where.sql}${extra}
                    ORDER BY j.posted_at DESC, j.id DESC LIMIT ${n})`
        })
        const rank = numbered ? `, row_number() OVER (ORDER BY ${newestOrder}) AS n` : ''
        return `SELECT u.*${rank} FROM (${branches.join(' UNION ALL ')}) u ORDER BY ${newestOrder} LIMIT ${n}`
      }
      sql.push(
        `win AS (${newest('j.id, j.posted_at, j.employment_type, j.remote, j.source_id, j.locations', bound + 1, true)})`,
        // the window's first `bound` rows (n numbers them in newest-first order, no second sort)
        `facet_rows AS (SELECT * FROM win WHERE n <= ${bound})`,
        `counted AS (SELECT count(*)::int AS matched FROM win)`
      )
      sql.push(
        `hits AS (${newest('j.id, j.posted_at, NULL::float8 AS score', limit + 1, false, cursor ?? undefined)})`
      )
    }

    const headline = (column: string, extra: string) =>
      q
        ? `ts_headline('english', ${escapeHtml(column)}, plainto_tsquery('english', ?), 'StartSel=<mark>, StopSel=</mark>, ${extra}')`
        : `NULL`
    if (pageScore) bindings.push(...scoreBindings)
    if (q) bindings.push(q, q)
    // facets in one pass over the rows: their distinct facet-value combinations, counted (a few
    // dozen rows, usually), then each facet summed from those
    sql.push(`combos AS (
         SELECT employment_type, remote, source_id, locations, count(*)::int AS count
           FROM facet_rows GROUP BY employment_type, remote, source_id, locations)`)
    sql.push(`grouped AS (
         SELECT grouping(c.employment_type) AS g_type, grouping(c.remote) AS g_remote,
                grouping(c.source_id) AS g_source, c.employment_type, c.remote::text AS remote,
                c.source_id::text AS source_id, sum(c.count)::int AS count
           FROM combos c GROUP BY GROUPING SETS ((c.employment_type), (c.remote), (c.source_id)))`)
    sql.push(`locs AS (
         SELECT loc.name AS value, sum(loc.count)::int AS count
           FROM (SELECT unnest(locations) AS name, count FROM combos) AS loc
          GROUP BY loc.name ORDER BY sum(loc.count) DESC, loc.name COLLATE "C" ASC LIMIT ${FACET_SIZES.location})`)
    sql.push(`page AS (
         SELECT j.id, j.source_id, j.title, j.company, j.locations, j.remote, j.employment_type,
                j.salary_min, j.salary_max, j.salary_currency, j.posted_at, j.apply_url,
                ${pageScore ? score('j') : 'h.score'} AS score,
                ${headline('j.title', 'HighlightAll=true')} AS title_hl,
                ${headline('left(j.description_text, 20000)', 'MaxFragments=2, MaxWords=25, MinWords=8')} AS description_hl
           FROM hits h JOIN visible_jobs j ON j.id = h.id)`)

    const statement = `WITH ${sql.join(',\n')}
       SELECT (SELECT matched FROM counted) AS matched,
              (SELECT coalesce(json_agg(g), '[]'::json) FROM grouped g) AS grouped,
              (SELECT coalesce(json_agg(l), '[]'::json) FROM locs l) AS locations,
              (SELECT coalesce(json_agg(p ORDER BY ${order}), '[]'::json) FROM page p) AS page`
    if (plan) {
      const explained = await client.rawQuery(`EXPLAIN (ANALYZE, BUFFERS) ${statement}`, bindings)
      plan.push(...explained.rows.map((row: any) => row['QUERY PLAN']))
    }
    const { rows } = await client.rawQuery(statement, bindings)
    const result = rows[0]
    const hits: any[] = result.page
    const page = hits.slice(0, limit)
    const data: JobHit[] = page.map((row: any) => ({
      ...jobRowFields(row),
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
      hits.length > limit && last
        ? encodeCursor(
            byRelevance
              ? [Number(last.score), last.id]
              : [new Date(last.posted_at).getTime(), last.id]
          )
        : null

    const grouped: any[] = result.grouped
    const buckets = (pick: (r: any) => boolean, value: (r: any) => unknown): FacetBucket[] =>
      grouped
        .filter((r) => pick(r) && value(r) !== null)
        .map((r) => ({ value: String(value(r)), count: Number(r.count) }))
    const facets = {
      employmentType: sortFacet(
        buckets(
          (r) => !r.g_type,
          (r) => r.employment_type
        ),
        FACET_SIZES.employmentType
      ),
      remote: sortFacet(
        buckets(
          (r) => !r.g_remote,
          (r) => r.remote
        ),
        FACET_SIZES.remote
      ),
      location: sortFacet(
        result.locations.map((r: any) => ({ value: String(r.value), count: Number(r.count) })),
        FACET_SIZES.location
      ),
      source: sortFacet(
        buckets(
          (r) => !r.g_source,
          (r) => r.source_id
        ),
        FACET_SIZES.source
      ),
    }
    const matched = Number(result.matched)
    return {
      data,
      facets,
      total: Math.min(matched, bound),
      totalRelation: matched > bound ? 'gte' : 'eq',
      nextCursor,
    }
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
        `SELECT j.title AS value, count(*)::int AS count FROM visible_job_search j
          WHERE (j.school_id IS NULL OR j.school_id = ?) AND ${conditions.join(' AND ')}
          GROUP BY j.title ORDER BY count(*) DESC, j.title COLLATE "C" ASC LIMIT ?`,
        [schoolId, ...bindings, limit]
      )
      return rows.map((r: any) => String(r.value))
    })
  }
}
