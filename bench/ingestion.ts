/*
| Ingestion benchmark: jobs/s through the whole pipeline (local Lever-format board over HTTP
| -> normalize + sanitize -> one-statement page upsert in PostgreSQL -> bulk-index the engine)
| against the raw bulk rate of the same documents, measured in the same run:
| - postgres: multi-row INSERT of the same rows (the table is the index);
| - opensearch: bulk requests of the same documents, same batch size as the pipeline.
|
|   node --import=@poppinss/ts-exec bench/ingestion.ts            (env from bin/lib/app_env.sh)
|   BENCH_SIZE=tiny|full (500 | 20000 postings; BENCH_POSTINGS overrides; BENCH_JOBS is the search
|   benchmark's, so `BENCH_JOBS=1000000 bin/bench search ingestion` sizes the search alone),
|   BENCH_RESULT_FILE=out.json
|   keys: ingest_vs_bulk (the lower of the engines' ratios), ingest_pg_vs_bulk, ingest_os_vs_bulk
*/
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bootApp } from '../tests/helpers/boot_app.js'
import { cpuReading, cpuSpent } from './lib/load.js'

const app = await bootApp()

const { withTenant } = await import('#services/platform/tenant_context')
const { applyPage, emptyStats, ingestSource, jobDocument, loadSource, normalizedPages } =
  await import('#services/jobs/ingestion_service')
const { PostgresJobSearchIndex } = await import('#services/jobs/search/postgres_index')
const { createOpenSearchIndex } = await import('#services/jobs/search/opensearch_index')

const size = process.env.BENCH_SIZE === 'tiny' ? 'tiny' : 'full'
const N = Number(process.env.BENCH_POSTINGS ?? (size === 'tiny' ? 500 : 20_000))
const PAGE = 100
const { ingestionSettings } = await import('#services/jobs/settings')
const BATCH = ingestionSettings().indexBatchSize
const WORDS =
  'engineer developer analyst designer nurse electrician teacher manager data cloud backend frontend support sales marketing welder'.split(
    ' '
  )
const postings = Array.from({ length: N }, (_, i) => ({
  id: `bench-${i}`,
  text: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} ${i}`,
  categories: {
    commitment: i % 3 ? 'Full-time' : 'Contract',
    location: `City ${i % 50}`,
    allLocations: [`City ${i % 50}`],
  },
  createdAt: Date.now() - (i % 90) * 86_400_000,
  description: `<div><p>Role ${i}: work with <b>${WORDS[i % WORDS.length]}</b> teams.</p><ul><li>Skill ${i % 13}</li></ul><script>x()</script></div>`,
  lists: [{ text: 'Requirements', content: '<li>Curiosity</li><li>Teamwork</li>' }],
  workplaceType: i % 4 === 0 ? 'remote' : 'on-site',
  hostedUrl: `https://jobs.example/bench-${i}`,
  applyUrl: `https://jobs.example/bench-${i}/apply`,
  salaryRange:
    i % 2
      ? {
          currency: 'USD',
          min: 40000 + (i % 100) * 1000,
          max: 60000 + (i % 100) * 1000,
          interval: 'per-year-salary',
        }
      : undefined,
}))
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1')
  const skip = Number(url.searchParams.get('skip'))
  res.writeHead(200, { 'content-type': 'application/json' })
  // the warm-up board lists the first 200 postings only
  const end = Math.min(
    skip + Number(url.searchParams.get('limit')),
    url.pathname.endsWith('/warmup') ? 200 : N
  )
  res.end(JSON.stringify(postings.slice(skip, end)))
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const boardUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
// the local board is an internal address: allowlisted explicitly, like in tests
const { outboundHttpSettings } = await import('#config/outbound_http')
outboundHttpSettings.allowlist.push(new URL(boardUrl).host)

const platform = (work: (trx: any) => Promise<any>): Promise<any> =>
  withTenant({ platformScope: true }, work)
async function newSource(name: string) {
  const [row] = await platform((trx) =>
    trx
      .table('job_sources')
      .insert({ name, kind: 'lever', url: boardUrl, board_token: 'bench' })
      .returning('*')
  )
  return (await loadSource(row.id))!
}
const cleanup = () =>
  platform((trx) => trx.from('job_sources').where('name', 'like', 'bench:%').delete())
await cleanup()

const engines: ('postgres' | 'opensearch')[] = ['postgres']
if (process.env.OPENSEARCH_URL) engines.push('opensearch')
console.log(
  `ingestion benchmark (${size}): ${N} Lever postings, pages of ${PAGE}, bulk batches of ${BATCH}, engines: ${engines.join(', ')}`
)
const figures: Record<string, number | null> = {
  ingest_vs_bulk: null,
  ingest_pg_vs_bulk: null,
  ingest_os_vs_bulk: null,
}

for (const engine of engines) {
  const alias = `bench-${process.pid}-${engine}`
  const index =
    engine === 'opensearch'
      ? createOpenSearchIndex(process.env.OPENSEARCH_URL!, alias)
      : new PostgresJobSearchIndex()
  await index.ensureReady()

  // 0. warm-up (JIT, connections, the engine's index): not measured
  const warm = await newSource(`bench:${engine}:warmup`)
  await ingestSource({ ...warm, boardToken: 'warmup' }, { index, pageSize: PAGE, maxAttempts: 1 })

  // 1. the whole pipeline
  const source = await newSource(`bench:${engine}:pipeline`)
  let started = performance.now()
  let cpuBefore = cpuReading()
  const options = { index, pageSize: PAGE, maxAttempts: 1, indexBatchSize: BATCH }
  const stats = await ingestSource(source, options)
  const pipelineSeconds = (performance.now() - started) / 1000
  const pipelineCpu = cpuSpent(cpuBefore, cpuReading(), stats.created, pipelineSeconds)
  const rows = await platform((trx) => trx.from('jobs').where('source_id', source.id))
  const documents = rows.map(jobDocument)

  // 2. unchanged re-run (hash dedup: nothing written)
  started = performance.now()
  const rerun = await ingestSource(source, options)
  const rerunSeconds = (performance.now() - started) / 1000

  // 3. the engine's raw bulk-index rate on the same documents
  let rawSeconds: number
  if (engine === 'opensearch') {
    const raw = createOpenSearchIndex(process.env.OPENSEARCH_URL!, `${alias}-raw`)
    await raw.ensureReady()
    started = performance.now()
    cpuBefore = cpuReading()
    for (let i = 0; i < documents.length; i += BATCH) await raw.index(documents.slice(i, i + BATCH))
    rawSeconds = (performance.now() - started) / 1000
    await raw.destroy()
    await (index as any).destroy()
  } else {
    const rawSource = await newSource(`bench:${engine}:raw`)
    started = performance.now()
    cpuBefore = cpuReading()
    for (let i = 0; i < rows.length; i += PAGE) {
      await platform((trx) =>
        trx.table('jobs').insert(
          rows
            .slice(i, i + PAGE)
            .map(
              ({
                id: _id,
                search_vector: _v,
                title_words: _t,
                locations_lower: _l,
                ...row
              }: any) => ({
                ...row,
                source_id: rawSource.id,
              })
            )
        )
      )
    }
    rawSeconds = (performance.now() - started) / 1000
  }
  const rawCpu = cpuSpent(cpuBefore, cpuReading(), documents.length, rawSeconds)

  const pipelineRate = stats.created / pipelineSeconds
  const rawRate = documents.length / rawSeconds
  console.log(`\n[${engine}] created ${stats.created}, failed ${stats.failed}`)
  console.log(
    `  pipeline             ${pipelineRate.toFixed(0).padStart(7)} jobs/s  (${pipelineSeconds.toFixed(2)} s)`
  )
  console.log(
    `  raw bulk index       ${rawRate.toFixed(0).padStart(7)} docs/s  (${rawSeconds.toFixed(2)} s, same documents, batches of ${engine === 'postgres' ? PAGE : BATCH})`
  )
  // where the CPU went: on a machine whose cores are busy in both phases, the ratio is bounded by
  // the raw phase's CPU per document over the pipeline's
  console.log(`  pipeline CPU         ${pipelineCpu}`)
  console.log(`  raw bulk CPU         ${rawCpu}`)
  const ratio = Number((pipelineRate / rawRate).toFixed(3))
  figures[engine === 'postgres' ? 'ingest_pg_vs_bulk' : 'ingest_os_vs_bulk'] = ratio
  figures[`ingest_${engine === 'postgres' ? 'pg' : 'os'}_jobs_per_s`] = Math.round(pipelineRate)
  figures[`ingest_${engine === 'postgres' ? 'pg' : 'os'}_bulk_docs_per_s`] = Math.round(rawRate)
  console.log(`  ratio pipeline/raw   ${ratio.toFixed(2)}`)
  console.log(
    `  unchanged re-run     ${(rerun.unchanged / rerunSeconds).toFixed(0).padStart(7)} jobs/s  (${rerun.unchanged} unchanged, ${rerun.updated + rerun.created} written)`
  )
}

// context: fetch + normalize alone (no database, no engine), the pipeline's floor
{
  const source = await newSource('bench:fetch-only')
  const started = performance.now()
  let count = 0
  for await (const page of normalizedPages(source, { pageSize: PAGE, maxAttempts: 1 }, new Set()))
    count += page.jobs.length
  const rate = count / ((performance.now() - started) / 1000)
  figures.ingest_fetch_normalize_per_s = Math.round(rate)
  console.log(`\nfetch + normalize only ${rate.toFixed(0).padStart(7)} jobs/s`)
}

// context: the page upsert alone (pre-normalized pages, no fetch, no engine)
{
  const source = await newSource('bench:upsert-only')
  const pages = []
  for await (const page of normalizedPages(source, { pageSize: PAGE, maxAttempts: 1 }, new Set()))
    pages.push(page.jobs)
  const stats = emptyStats()
  const started = performance.now()
  for (const jobs of pages) await applyPage(source, jobs, stats, { documents: false })
  const rate = stats.created / ((performance.now() - started) / 1000)
  figures.ingest_pg_upsert_per_s = Math.round(rate)
  console.log(`page upsert only      ${rate.toFixed(0).padStart(7)} jobs/s`)
}

const ratios = [figures.ingest_pg_vs_bulk, figures.ingest_os_vs_bulk].filter(
  (value): value is number => value !== null
)
figures.ingest_vs_bulk = ratios.length ? Math.min(...ratios) : null
console.log(`\ningest_vs_bulk ${figures.ingest_vs_bulk} (the lower of the engines' ratios)`)
if (process.env.BENCH_RESULT_FILE) {
  await writeFile(process.env.BENCH_RESULT_FILE, JSON.stringify(figures, null, 2) + '\n')
}

await cleanup()
server.close()
await app.terminate()
