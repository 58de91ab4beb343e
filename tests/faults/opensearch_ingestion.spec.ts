import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { TemporalConfig } from '#config/temporal'
import { freshState } from '#tests/helpers/database'
import { createSchool } from '#tests/helpers/fixtures'
import { closedPort, startTcpProxy } from '#tests/helpers/faults'
import {
  allowOutbound,
  eventually,
  insertSource,
  jobRows,
  sendJson,
  startBoardServer,
} from '#tests/helpers/jobs_helpers'
import { startTestWorker } from '#tests/helpers/temporal'
import { recordHistory } from '#tests/helpers/workflows_helpers'
import { createOpenSearchIndex } from '#services/jobs/search/opensearch_index'
import { jobIngestion } from '#workflows/job_ingestion'

const POSTINGS = 30

function leverPosting(i: number) {
  return {
    id: `fault-${String(i).padStart(3, '0')}`,
    text: `Reliability engineer ${i}`,
    categories: { commitment: 'Full-time', location: 'Lisbon', allLocations: ['Lisbon'] },
    createdAt: 1763900000000 + i,
    description: `<p>Keep search up, posting ${i}.</p>`,
    lists: [],
    workplaceType: 'on-site',
    hostedUrl: `https://jobs.example/fault-${i}`,
    applyUrl: `https://jobs.example/fault-${i}/apply`,
  }
}

/*
| OpenSearch "stopped" during an ingestion run: the app reaches the shared OpenSearch node
| only through a loopback TCP proxy, which the test closes (connections refused) and starts
| again on the same port. The shared server itself is never touched.
*/
test.group('faults: OpenSearch unavailable during ingestion', (group) => {
  freshState(group)

  test('jobs committed while OpenSearch is down are all searchable once it is back', async ({
    assert,
    cleanup,
  }) => {
    const target = new URL(process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200')
    const upstream = { host: target.hostname, port: Number(target.port || 9200) }
    const port = await closedPort()
    let proxy = await startTcpProxy(port, upstream)
    cleanup(() => proxy.close())

    const index = createOpenSearchIndex(
      `http://127.0.0.1:${port}`,
      `faults-ingest-${crypto.randomUUID().slice(0, 8)}`
    )
    await index.ensureReady()
    cleanup(() => createOpenSearchIndex(target.origin, index.alias).destroy())
    const real = await app.container.make('search.jobs')
    app.container.bindValue('search.jobs', index)
    cleanup(() => app.container.bindValue('search.jobs', real))

    const postings = Array.from({ length: POSTINGS }, (_, i) => leverPosting(i))
    const board = await startBoardServer((_req, res, url) => {
      const skip = Number(url.searchParams.get('skip'))
      sendJson(res, 200, postings.slice(skip, skip + Number(url.searchParams.get('limit'))))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const school = await createSchool('fault-search')
    const source = await insertSource({
      schoolId: school.id,
      kind: 'lever',
      url: board.url,
      boardToken: 'faults',
    })
    const previousPage = process.env.JOBS_INGEST_PAGE_SIZE
    process.env.JOBS_INGEST_PAGE_SIZE = '10'
    cleanup(() => {
      if (previousPage === undefined) delete process.env.JOBS_INGEST_PAGE_SIZE
      else process.env.JOBS_INGEST_PAGE_SIZE = previousPage
    })

    const config = app.config.get<TemporalConfig>('temporal')
    const worker = await startTestWorker(config.ingestionTaskQueue, { relay: false })
    cleanup(() => worker.stop())

    // OpenSearch goes away before the run starts
    await proxy.close()
    const client = await app.container.make('temporal.client')
    const handle = await client.workflow.start(jobIngestion, {
      taskQueue: config.ingestionTaskQueue,
      workflowId: `ingest:${source.id}:faults-${Date.now()}`,
      args: [{ sourceId: source.id, retry: { initialInterval: '1 second' } }],
      workflowExecutionTimeout: '2 minutes',
    })
    cleanup(async () => {
      await handle.terminate('test finished').catch(() => {})
    })

    // every posting is committed to PostgreSQL although the index is unreachable
    await eventually(async () => (await jobRows(source.id)).length === POSTINGS, 30_000)

    // OpenSearch is back
    proxy = await startTcpProxy(port, upstream)
    const back = Date.now()
    const outcome = await handle.result()
    assert.equal(outcome.status, 'succeeded')
    assert.equal((outcome as any).stats.created, POSTINGS)

    await index.refresh()
    const found = await index.search({ schoolId: school.id, sourceId: source.id, limit: 50 })
    assert.equal(found.total, POSTINGS, 'every committed job is in the index')
    const ids = new Set(found.data.map((hit) => hit.id))
    for (const row of await jobRows(source.id)) assert.isTrue(ids.has(row.id), row.external_id)
    console.log(`  index caught up ${Date.now() - back} ms after OpenSearch came back`)
    // the catch-up path (indexIngestionRun) for the replay test
    await recordHistory(handle, 'job_ingestion_index_catch_up')
  }).timeout(120_000)
})
