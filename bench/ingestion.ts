/*
| Ingestion benchmark: jobs/s through the whole pipeline (local Lever-format board over HTTP
| -> normalize + sanitize -> dedup/upsert PostgreSQL -> bulk-index the engine) against the
| engine's raw bulk-index rate on the same documents, measured in the same run.
|
|   node --import=@poppinss/ts-exec bench/ingestion.ts            (env from bin/lib/app_env.sh)
|   BENCH_JOBS=5000 SEARCH_ENGINE=opensearch ...                  (engines: postgres, opensearch)
*/
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { bootApp } from '../tests/helpers/boot_app.js'

const app = await bootApp()

const { withTenant } = await import('#services/tenant_context')
const { ingestSource, jobDocument, loadSource } = await import('#services/jobs/ingestion_service')
const { PostgresJobSearchIndex } = await import('#services/search/postgres_index')
const { createOpenSearchIndex } = await import('#services/search/opensearch_index')

const N = Number(process.env.BENCH_JOBS ?? 5000)
const PAGE = 100
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
  res.end(JSON.stringify(postings.slice(skip, skip + Number(url.searchParams.get('limit')))))
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
  `ingestion benchmark: ${N} Lever postings, pages of ${PAGE}, engines: ${engines.join(', ')}`
)

for (const engine of engines) {
  const alias = `bench-${process.pid}-${engine}`
  const index =
    engine === 'opensearch'
      ? createOpenSearchIndex(process.env.OPENSEARCH_URL!, alias)
      : new PostgresJobSearchIndex()
  await index.ensureReady()

  // 1. the whole pipeline
  const source = await newSource(`bench:${engine}:pipeline`)
  let started = performance.now()
  const stats = await ingestSource(source, { index, pageSize: PAGE, maxAttempts: 1 })
  const pipelineSeconds = (performance.now() - started) / 1000
  const rows = await platform((trx) => trx.from('jobs').where('source_id', source.id))
  const documents = rows.map(jobDocument)

  // 2. unchanged re-run (hash dedup: nothing written)
  started = performance.now()
  const rerun = await ingestSource(source, { index, pageSize: PAGE, maxAttempts: 1 })
  const rerunSeconds = (performance.now() - started) / 1000

  // 3. the engine's raw bulk-index rate on the same documents
  let rawSeconds: number
  if (engine === 'opensearch') {
    const raw = createOpenSearchIndex(process.env.OPENSEARCH_URL!, `${alias}-raw`)
    await raw.ensureReady()
    started = performance.now()
    for (let i = 0; i < documents.length; i += PAGE) await raw.index(documents.slice(i, i + PAGE))
    rawSeconds = (performance.now() - started) / 1000
    await raw.destroy()
    await (index as any).destroy()
  } else {
    const rawSource = await newSource(`bench:${engine}:raw`)
    started = performance.now()
    for (let i = 0; i < rows.length; i += PAGE) {
      await platform((trx) =>
        trx.table('jobs').insert(
          rows.slice(i, i + PAGE).map(({ id: _id, search_vector: _v, ...row }: any) => ({
            ...row,
            source_id: rawSource.id,
          }))
        )
      )
    }
    rawSeconds = (performance.now() - started) / 1000
  }

  const pipelineRate = stats.created / pipelineSeconds
  const rawRate = documents.length / rawSeconds
  console.log(`\n[${engine}] created ${stats.created}, failed ${stats.failed}`)
  console.log(
    `  pipeline             ${pipelineRate.toFixed(0).padStart(7)} jobs/s  (${pipelineSeconds.toFixed(2)} s)`
  )
  console.log(
    `  raw bulk index       ${rawRate.toFixed(0).padStart(7)} docs/s  (${rawSeconds.toFixed(2)} s, same documents, pages of ${PAGE})`
  )
  console.log(`  ratio pipeline/raw   ${(pipelineRate / rawRate).toFixed(2)}`)
  console.log(
    `  unchanged re-run     ${(rerun.unchanged / rerunSeconds).toFixed(0).padStart(7)} jobs/s  (${rerun.unchanged} unchanged, ${rerun.updated + rerun.created} written)`
  )
}

await cleanup()
server.close()
await app.terminate()
