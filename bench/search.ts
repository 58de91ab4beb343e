/*
| Search benchmark: p50/p95 latency of the JobSearchIndex port over generated jobs, for each
| engine with a server here (postgres; opensearch when OPENSEARCH_URL is set), at each size.
| The baseline, measured in the same run on the same engine, is the cheapest query of the
| contract (no text, no filter, newest first); ratios are against it and against postgres.
|
|   node --import=@poppinss/ts-exec bench/search.ts          (env from bin/lib/app_env.sh)
|
| BENCH_SIZE   full (default): 100,000 then 1,000,000 jobs; tiny: 2,000 jobs, 30 queries
| BENCH_JOBS   sizes to measure, comma-separated, ascending (overrides BENCH_SIZE's), e.g. 100000
| BENCH_SEARCH_RUNS          mixed queries per engine and size (default 200; tiny 30)
| BENCH_LOAD_SECONDS         bound on loading (default 1200): sizes not reached are skipped (null)
| BENCH_SEARCH_OS_MAX_JOBS   largest size also loaded into OpenSearch (default 1,000,000)
| BENCH_EXPLAIN_DIR          writes EXPLAIN (ANALYZE, BUFFERS) of the slowest PostgreSQL query
|                            shapes there, per size (search_after_<size>.txt)
| BENCH_RESULT_FILE          JSON figures (search_pg_p95_ms_100k, search_pg_p95_ms_1m,
|                            search_os_p95_ms_100k + raw search_* keys)
| BENCH_KEEP=1               keeps the generated jobs and index
|
| Loading is not what is measured: rows come from one INSERT … SELECT generate_series per chunk
| (as the table owner, committed synchronously), then VACUUM and ANALYZE — the steady state
| autovacuum leaves (see vacuumToSteadyState).
*/
import { writeFileSync, mkdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { bootApp } from '../tests/helpers/boot_app.js'

const app = await bootApp()

const { withTenant } = await import('#services/platform/tenant_context')
const { jobDocument } = await import('#services/jobs/ingestion_service')
const { PostgresJobSearchIndex } = await import('#services/jobs/search/postgres_index')
const { createOpenSearchIndex } = await import('#services/jobs/search/opensearch_index')
const { default: database } = await import('@adonisjs/lucid/services/db')
type Query = import('#services/jobs/search/types').JobSearchQuery

const tiny = process.env.BENCH_SIZE === 'tiny'
const SIZES = (process.env.BENCH_JOBS ?? (tiny ? '2000' : '100000,1000000'))
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0)
  .sort((a, b) => a - b)
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? (tiny ? 30 : 200))
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? (tiny ? 120 : 1200))
const OS_MAX = Number(process.env.BENCH_SEARCH_OS_MAX_JOBS ?? 1_000_000)
const EXPLAIN_DIR = process.env.BENCH_EXPLAIN_DIR
const CHUNK = 50_000
const OS_BATCH = 5000

const label = (n: number) =>
  n % 1_000_000 === 0 ? `${n / 1_000_000}m` : n % 1000 === 0 ? `${n / 1000}k` : String(n)
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
const owner = () => database.connection('owner')
const platform = (work: (trx: any) => Promise<any>): Promise<any> =>
  withTenant({ platformScope: true }, work)

const ROLES =
  'software engineer|data analyst|product designer|registered nurse|electrician apprentice|math teacher|account manager|cloud architect|backend developer|frontend developer|support specialist|marketing coordinator|welder|pharmacy technician|project manager|security analyst'.split(
    '|'
  )
const LEVELS = ['Junior', 'Senior', 'Lead', 'Principal', 'Associate', '']
const CITIES = [
  'Berlin, Germany',
  'Austin, TX',
  'Chicago, IL',
  'Remote',
  'New York, NY',
  'Seattle, WA',
  'Denver, CO',
  'Boston, MA',
  'London, UK',
  'Toronto, ON',
]
const TYPES = ['full_time', 'part_time', 'contract', 'temporary', 'internship']
const FILLER =
  'collaborate with teams build reliable systems customers quality ownership mentoring growth learning impact'.split(
    ' '
  )

console.log(
  `search benchmark: sizes ${SIZES.map(label).join(', ')}, ${RUNS} mixed queries per engine and size; load average ${load()}`
)
await platform((trx) => trx.from('job_sources').where('name', 'bench:search').delete())
const [source] = await platform((trx) =>
  trx
    .table('job_sources')
    .insert({ name: 'bench:search', kind: 'lever', board_token: 'bench' })
    .returning('*')
)

/**
 * VACUUM, then ANALYZE, as autovacuum leaves the tables: the visibility map covers them, so a
 * search's index-only scans read no heap page. The load commits synchronously and nothing commits
 * between it and the VACUUM: the local server runs with `synchronous_commit = off` (bin/services),
 * and PostgreSQL keeps one commit LSN per group of 32 transactions in the commit log, so an
 * asynchronous commit not yet flushed (an ANALYZE's, say) next to the load's transactions stops
 * VACUUM from setting their hint bits and marking any page all-visible. Before 2026-12-05
 * (`VACUUM ANALYZE jobs`, then `job_search`) no job_search page was all-visible when measured.
 * Returns "table visible/pages" for each table.
 */
async function vacuumToSteadyState() {
  await owner().rawQuery('VACUUM jobs, job_search')
  await owner().rawQuery('ANALYZE jobs, job_search')
  const { rows } = await owner().rawQuery(
    `SELECT relname, relallvisible, relpages FROM pg_class
      WHERE oid IN ('jobs'::regclass, 'job_search'::regclass) ORDER BY relname`
  )
  return rows.map((r: any) => `${r.relname} ${r.relallvisible}/${r.relpages}`).join(', ')
}

/** Rows [from, to) of the generated corpus (job i is the same whatever the chunking). */
async function insertJobs(from: number, to: number) {
  await owner().transaction(async (trx) => {
    await trx.rawQuery('SET LOCAL synchronous_commit = on')
    await trx.rawQuery(
      `INSERT INTO jobs (source_id, external_id, content_hash, title, company, locations, remote,
                       employment_type, salary_min, salary_max, salary_currency,
                       description_text, description_html, posted_at)
     SELECT :source, 'b' || i, 'bench',
            initcap(trim((:levels::text[])[i % 6 + 1] || ' ' || (:roles::text[])[(i * 7) % 16 + 1])),
            'Company ' || (i % 700),
            ARRAY[(:cities::text[])[i % 10 + 1]]
              || CASE WHEN i % 9 = 0 THEN ARRAY[(:cities::text[])[(i + 3) % 10 + 1]] ELSE '{}'::text[] END,
            i % 10 = 3 OR i % 11 = 0,
            (:types::text[])[i % 5 + 1],
            CASE WHEN i % 5 <> 0 THEN 30000 + ((i * 37) % 150) * 1000 END,
            CASE WHEN i % 5 <> 0 THEN 50000 + ((i * 37) % 150) * 1000 END,
            CASE WHEN i % 5 <> 0 THEN 'USD' END,
            array_to_string(ARRAY(SELECT (:filler::text[])[(i + w * 3) % 12 + 1]
                                    FROM generate_series(0, 59) AS w), ' ')
              || ' ' || (:roles::text[])[(i * 7) % 16 + 1],
            '',
            now() - (i % 120) * interval '1 day' - i * interval '1 second'
       FROM generate_series(:from::bigint, :to::bigint - 1) AS i`,
      {
        source: source.id,
        levels: LEVELS,
        roles: ROLES,
        cities: CITIES,
        types: TYPES,
        filler: FILLER,
        from,
        to,
      }
    )
  })
}

const schoolId = '00000000-0000-0000-0000-000000000001'
const queries: Query[] = []
const terms = [
  'engineer',
  'data analyst',
  'nurse',
  'enginer',
  'senior developer',
  'teacher',
  'cloud',
  'welder',
  'manager',
  'secur',
]
function mixedQuery(i: number): Query {
  const q: Query = { schoolId, limit: 20 }
  if (i % 4 !== 3) q.q = terms[i % terms.length]
  if (i % 3 === 0) q.remote = true
  if (i % 5 === 1) q.location = CITIES[i % CITIES.length]
  if (i % 4 === 2) q.employmentType = [TYPES[i % TYPES.length]]
  if (i % 6 === 5) q.minSalary = 90000
  if (i % 7 === 0) q.postedWithinDays = 30
  if (i % 2) q.sort = 'date'
  return q
}
for (let i = 0; i < RUNS; i++) queries.push(mixedQuery(i))
// One pass of warm-up queries per engine and size, unlike the measured ones (the combinations
// repeat every 420) so the engines' result caches do not serve measured queries. OpenSearch's
// JVM is cold after a start: 100k p95 34 ms after 10 warm-ups, 22-25 after 50, 19-20 after 200.
const warmUpQueries = Array.from({ length: RUNS }, (_, i) => mixedQuery(RUNS + i))
const baselineQueries = Array.from(
  { length: Math.min(RUNS, 50) },
  () => ({ schoolId, limit: 20 }) as Query
)

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
async function measure(index: any, list: Query[]) {
  const times: number[] = []
  for (const q of list) {
    const t = performance.now()
    await index.search(q)
    times.push(performance.now() - t)
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95), times }
}

const describe = (q: Query) =>
  JSON.stringify(Object.fromEntries(Object.entries(q).filter(([k]) => k !== 'schoolId')))

const postgres = new PostgresJobSearchIndex()
let openSearch: any
if (process.env.OPENSEARCH_URL) {
  openSearch = createOpenSearchIndex(process.env.OPENSEARCH_URL, `bench-search-${process.pid}`)
  await openSearch.ensureReady()
}

const results: Record<string, number | null> = {
  search_pg_p95_ms_100k: null,
  search_pg_p95_ms_1m: null,
  search_os_p95_ms_100k: null,
}
const loadStarted = performance.now()
let loaded = 0
let indexedInOs = 0
try {
  for (const size of SIZES) {
    const key = label(size)
    let started = performance.now()
    while (loaded < size) {
      if ((performance.now() - loadStarted) / 1000 > LOAD_SECONDS) break
      const to = Math.min(size, loaded + CHUNK)
      await insertJobs(loaded, to)
      loaded = to
    }
    if (loaded < size) {
      console.log(
        `\n${key}: skipped (loading bound of ${LOAD_SECONDS} s reached at ${loaded} jobs)`
      )
      break
    }
    const coverage = await vacuumToSteadyState()
    console.log(
      `\n== ${key} jobs: PostgreSQL loaded in ${((performance.now() - started) / 1000).toFixed(1)} s (pages all-visible: ${coverage})`
    )

    const engines: [string, any][] = [['pg', postgres]]
    if (openSearch && size <= OS_MAX) {
      started = performance.now()
      // the jobs generated since the last size, by generation number (unique index lookups)
      while (indexedInOs < loaded) {
        const from = indexedInOs
        const to = Math.min(loaded, from + OS_BATCH)
        const rows = await platform((trx) =>
          trx
            .from('jobs')
            .where('source_id', source.id)
            .whereRaw(
              `external_id IN (SELECT 'b' || g FROM generate_series(?::int, ?::int) AS g)`,
              [from, to - 1]
            )
        )
        await openSearch.index(rows.map(jobDocument))
        indexedInOs = to
      }
      await openSearch.refresh()
      console.log(
        `   OpenSearch indexed (${indexedInOs} documents) in ${((performance.now() - started) / 1000).toFixed(1)} s`
      )
      engines.push(['os', openSearch])
    }

    const perEngine: Record<string, { p50: number; p95: number }> = {}
    for (const [name, index] of engines) {
      const before = load()
      for (const q of warmUpQueries) await index.search(q)
      const base = await measure(index, baselineQueries)
      const mixed = await measure(index, queries)
      perEngine[name] = mixed
      results[`search_${name}_p50_ms_${key}`] = round(mixed.p50)
      results[`search_${name}_p95_ms_${key}`] = round(mixed.p95)
      results[`search_${name}_baseline_p50_ms_${key}`] = round(base.p50)
      results[`search_${name}_baseline_p95_ms_${key}`] = round(base.p95)
      results[`search_${name}_loadavg1_${key}`] = round(loadavg()[0])
      console.log(
        `[${name === 'pg' ? 'postgres' : 'opensearch'}] load average ${before}` +
          `\n  mixed queries  p50 ${mixed.p50.toFixed(1)} ms  p95 ${mixed.p95.toFixed(1)} ms` +
          `\n  baseline (newest first, no text/filter)  p50 ${base.p50.toFixed(1)} ms  p95 ${base.p95.toFixed(1)} ms` +
          `\n  ratio mixed p50 / baseline p50  ${(mixed.p50 / base.p50).toFixed(2)}`
      )
      if (name === 'pg' && EXPLAIN_DIR) await explainSlowest(key, mixed.times, before)
    }
    if (perEngine.os) {
      console.log(
        `  opensearch / postgres:  p50 ${(perEngine.os.p50 / perEngine.pg.p50).toFixed(2)}  p95 ${(perEngine.os.p95 / perEngine.pg.p95).toFixed(2)}`
      )
    }
  }
} finally {
  results.search_jobs_loaded = loaded
  results.search_runs = RUNS
  if (process.env.BENCH_RESULT_FILE) {
    writeFileSync(process.env.BENCH_RESULT_FILE, JSON.stringify(results, null, 2) + '\n')
  }
  if (!process.env.BENCH_KEEP) {
    // The next benchmark (ingestion, in `bin/bench all`) starts on tables as small as fresh ones,
    // with no million dead rows for autovacuum to work through while it is measured.
    const cleanupStarted = performance.now()
    await owner().rawQuery('DELETE FROM job_sources WHERE id = ?', [source.id])
    await owner().rawQuery('VACUUM (FULL, ANALYZE) jobs, job_search')
    console.log(
      `cleanup: jobs deleted and vacuumed in ${((performance.now() - cleanupStarted) / 1000).toFixed(1)} s`
    )
    await openSearch?.destroy()
  }
  await app.terminate()
}

function round(value: number) {
  return Math.round(value * 10) / 10
}

/** EXPLAIN (ANALYZE, BUFFERS) of the slowest query shapes just measured (and the baseline). */
async function explainSlowest(key: string, times: number[], loadBefore: string) {
  const slowest = times
    .map((t, i) => ({ t, q: queries[i] }))
    .sort((a, b) => b.t - a.t)
    .filter((x, i, all) => all.findIndex((y) => describe(y.q) === describe(x.q)) === i)
    .slice(0, 4)
  const sections = [
    `-- EXPLAIN (ANALYZE, BUFFERS) of the statement PostgresJobSearchIndex runs, ${key} bench jobs, as the app role`,
    `-- (bench/search.ts with BENCH_EXPLAIN_DIR), ${new Date().toISOString()}, load average ${loadBefore} on 2 cores`,
    `-- the slowest shapes of the mixed run (measured ms, including the term expansion round trip), then the baseline`,
  ]
  for (const { t, q } of [...slowest, { t: Number.NaN, q: baselineQueries[0] }]) {
    sections.push(
      `\n== ${describe(q)}${Number.isNaN(t) ? ' (baseline)' : ` — measured ${t.toFixed(1)} ms`}`
    )
    sections.push(await postgres.explain(q))
  }
  mkdirSync(EXPLAIN_DIR!, { recursive: true })
  writeFileSync(`${EXPLAIN_DIR}/search_after_${key}.txt`, sections.join('\n') + '\n')
}
