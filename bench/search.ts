/*
| Search benchmark: p50/p95 latency of the JobSearchIndex port over BENCH_SEARCH_JOBS generated
| jobs (default 100,000) for each engine with a server here (postgres; opensearch when
| OPENSEARCH_URL is set). The baseline, measured in the same run on the same engine, is the
| cheapest query of the contract (no text, no filter, newest first); ratios are against it
| and against postgres.
|
|   node --import=@poppinss/ts-exec bench/search.ts          (env from bin/lib/app_env.sh)
*/
import { bootApp } from '../tests/helpers/boot_app.js'

const app = await bootApp()

const { withTenant } = await import('#services/tenant_context')
const { jobDocument } = await import('#services/jobs/ingestion_service')
const { PostgresJobSearchIndex } = await import('#services/search/postgres_index')
const { createOpenSearchIndex } = await import('#services/search/opensearch_index')
type Query = import('#services/search/types').JobSearchQuery

const N = Number(process.env.BENCH_SEARCH_JOBS ?? 100_000)
const RUNS = Number(process.env.BENCH_SEARCH_RUNS ?? 200)
const BATCH = 2000
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

console.log(`search benchmark: ${N} jobs, ${RUNS} queries per engine`)
await platform((trx) => trx.from('job_sources').where('name', 'bench:search').delete())
const [source] = await platform((trx) =>
  trx
    .table('job_sources')
    .insert({ name: 'bench:search', kind: 'lever', board_token: 'bench' })
    .returning('*')
)
let started = performance.now()
for (let offset = 0; offset < N; offset += BATCH) {
  const rows = Array.from({ length: Math.min(BATCH, N - offset) }, (_, k) => {
    const i = offset + k
    const role = ROLES[(i * 7) % ROLES.length]
    const salary = 30000 + ((i * 37) % 150) * 1000
    return {
      source_id: source.id,
      external_id: `b${i}`,
      content_hash: 'bench',
      title: `${LEVELS[i % LEVELS.length]} ${role}`.trim().replace(/\b\w/g, (c) => c.toUpperCase()),
      company: `Company ${i % 700}`,
      locations: [
        CITIES[i % CITIES.length],
        ...(i % 9 === 0 ? [CITIES[(i + 3) % CITIES.length]] : []),
      ],
      remote: i % CITIES.length === 3 || i % 11 === 0,
      employment_type: TYPES[i % TYPES.length],
      salary_min: i % 5 ? salary : null,
      salary_max: i % 5 ? salary + 20000 : null,
      salary_currency: i % 5 ? 'USD' : null,
      description_text:
        Array.from({ length: 60 }, (_unused, w) => FILLER[(i + w * 3) % FILLER.length]).join(' ') +
        ` ${role}`,
      description_html: '',
      posted_at: new Date(Date.now() - (i % 120) * 86_400_000 - i * 1000),
    }
  })
  await platform((trx) => trx.table('jobs').insert(rows))
}
// Steady state, as autovacuum leaves it: fresh statistics and a visibility map that lets the
// facet counts run as index-only scans (only the table owner may VACUUM).
const { default: database } = await import('@adonisjs/lucid/services/db')
await database.connection('owner').rawQuery('VACUUM ANALYZE jobs')
console.log(`  loaded PostgreSQL in ${((performance.now() - started) / 1000).toFixed(1)} s`)

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
for (let i = 0; i < RUNS; i++) {
  const q: Query = { schoolId, limit: 20 }
  if (i % 4 !== 3) q.q = terms[i % terms.length]
  if (i % 3 === 0) q.remote = true
  if (i % 5 === 1) q.location = CITIES[i % CITIES.length]
  if (i % 4 === 2) q.employmentType = [TYPES[i % TYPES.length]]
  if (i % 6 === 5) q.minSalary = 90000
  if (i % 7 === 0) q.postedWithinDays = 30
  if (i % 2) q.sort = 'date'
  queries.push(q)
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
async function measure(index: any, list: Query[]) {
  for (const q of list.slice(0, 10)) await index.search(q) // warm-up
  const times: number[] = []
  for (const q of list) {
    const t = performance.now()
    await index.search(q)
    times.push(performance.now() - t)
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) }
}

const engines: [string, any][] = [['postgres', new PostgresJobSearchIndex()]]
let openSearch: any
if (process.env.OPENSEARCH_URL) {
  openSearch = createOpenSearchIndex(process.env.OPENSEARCH_URL, `bench-search-${process.pid}`)
  await openSearch.ensureReady()
  started = performance.now()
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const rows = await platform((trx) =>
      trx
        .from('jobs')
        .where('source_id', source.id)
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
    )
    if (rows.length === 0) break
    await openSearch.index(rows.map(jobDocument))
    after = rows.at(-1).id
  }
  await openSearch.refresh()
  console.log(`  loaded OpenSearch in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  engines.push(['opensearch', openSearch])
}

const baselineQueries = Array.from(
  { length: Math.min(RUNS, 50) },
  () => ({ schoolId, limit: 20 }) as Query
)
const results: Record<string, { p50: number; p95: number; base: number }> = {}
for (const [name, index] of engines) {
  const base = await measure(index, baselineQueries)
  const mixed = await measure(index, queries)
  results[name] = { ...mixed, base: base.p50 }
  console.log(
    `\n[${name}] mixed queries  p50 ${mixed.p50.toFixed(1)} ms  p95 ${mixed.p95.toFixed(1)} ms` +
      `\n  baseline (newest first, no text/filter)  p50 ${base.p50.toFixed(1)} ms  p95 ${base.p95.toFixed(1)} ms` +
      `\n  ratio mixed p50 / baseline p50  ${(mixed.p50 / base.p50).toFixed(2)}`
  )
}
if (results.opensearch) {
  console.log(
    `\nopensearch / postgres:  p50 ${(results.opensearch.p50 / results.postgres.p50).toFixed(2)}  p95 ${(results.opensearch.p95 / results.postgres.p95).toFixed(2)}`
  )
}

if (!process.env.BENCH_KEEP) {
  await platform((trx) => trx.from('job_sources').where('id', source.id).delete())
  await openSearch?.destroy()
}
await app.terminate()
