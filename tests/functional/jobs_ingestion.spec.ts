import { test } from '@japa/runner'
import { freshState } from '#tests/helpers/database'
import {
  applyPage,
  emptyStats,
  ingestSource,
  pageUpsert,
  runIngestion,
} from '#services/jobs/ingestion_service'
import type { NormalizedJob } from '#services/jobs/normalize'
import { withTenant } from '#services/platform/tenant_context'
import { PostgresJobSearchIndex } from '#services/jobs/search/postgres_index'
import { createOpenSearchIndex } from '#services/jobs/search/opensearch_index'
import { asOwner, createSchool } from '#tests/helpers/fixtures'
import { SourceFetchError } from '#services/jobs/source_fetcher'
import {
  allowOutbound,
  insertSource,
  jobRows,
  jobsFixture,
  sendJson,
  startBoardServer,
} from '#tests/helpers/jobs_helpers'

const index = new PostgresJobSearchIndex()
const fast = { backoffMs: 20, maxAttempts: 3, maxRetryAfterMs: 5000 }

test.group('Job ingestion against local boards (real Greenhouse and Lever formats)', (group) => {
  freshState(group)

  test('Lever: pages with skip/limit, waits out a 429 Retry-After, skips a malformed posting', async ({
    assert,
    cleanup,
  }) => {
    const postings = jobsFixture<any[]>('lever_postings.json')
    let throttled = false
    const board = await startBoardServer((_req, res, url) => {
      if (url.pathname !== '/v0/postings/globex' || url.searchParams.get('mode') !== 'json') {
        return sendJson(res, 404, { ok: false })
      }
      const skip = Number(url.searchParams.get('skip'))
      const limit = Number(url.searchParams.get('limit'))
      if (skip === 2 && !throttled) {
        throttled = true
        return sendJson(res, 429, { ok: false, error: 'Too many requests' }, { 'retry-after': '1' })
      }
      sendJson(res, 200, postings.slice(skip, skip + limit))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({
      kind: 'lever',
      url: board.url,
      boardToken: 'globex',
      name: 'Globex',
    })

    const waits: number[] = []
    const pages: number[] = []
    const started = Date.now()
    const stats = await ingestSource(source, {
      index,
      ...fast,
      pageSize: 2,
      onWait: (w) => waits.push(w.waitMs),
      onPage: (p) => pages.push(p.page),
    })

    assert.deepEqual(stats, {
      fetched: 5,
      created: 4,
      updated: 0,
      unchanged: 0,
      closed: 0,
      failed: 1,
    })
    assert.deepEqual(waits, [1000], 'waited exactly Retry-After')
    assert.isAtLeast(Date.now() - started, 1000)
    assert.deepEqual(pages, [1, 2, 3])
    assert.deepEqual(board.requests, [
      'GET /v0/postings/globex?mode=json&skip=0&limit=2',
      'GET /v0/postings/globex?mode=json&skip=2&limit=2',
      'GET /v0/postings/globex?mode=json&skip=2&limit=2',
      'GET /v0/postings/globex?mode=json&skip=4&limit=2',
    ])

    const rows = await jobRows(source.id)
    const backend = rows.find((r: any) => r.external_id.endsWith('01'))
    assert.equal(backend.title, 'Backend Engineer, Payments')
    assert.equal(backend.company, 'Globex')
    assert.deepEqual(backend.locations, ['San Francisco, CA', 'New York, NY'])
    assert.equal(backend.employment_type, 'full_time')
    assert.equal(Number(backend.salary_min), 140000)
    assert.equal(backend.salary_currency, 'USD')
    assert.include(backend.description_html, '<li>PostgreSQL</li>')
    assert.include(backend.description_text, 'Own our payments backend.')
    assert.equal(
      backend.apply_url,
      'https://jobs.lever.co/globex/5b6c9f1e-1a2b-4c3d-9e8f-000000000001/apply'
    )
    assert.equal(new Date(backend.posted_at).getTime(), 1763900000000)
    const designer = rows.find((r: any) => r.external_id.endsWith('02'))
    assert.isTrue(designer.remote)
    assert.equal(designer.employment_type, 'contract')
  })

  test('an unchanged re-run writes nothing; a removed posting is closed; a changed one updated', async ({
    assert,
    cleanup,
  }) => {
    let postings = jobsFixture<any[]>('lever_postings.json').filter((p) => typeof p === 'object')
    const board = await startBoardServer((_req, res, url) => {
      const skip = Number(url.searchParams.get('skip'))
      sendJson(res, 200, postings.slice(skip, skip + Number(url.searchParams.get('limit'))))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({ kind: 'lever', url: board.url, boardToken: 'globex' })

    const first = await ingestSource(source, { index, ...fast })
    assert.equal(first.created, 4)
    const before = await jobRows(source.id)

    const second = await ingestSource(source, { index, ...fast })
    assert.deepEqual(second, {
      fetched: 4,
      created: 0,
      updated: 0,
      unchanged: 4,
      closed: 0,
      failed: 0,
    })
    const after = await jobRows(source.id)
    assert.deepEqual(
      after.map((r: any) => [r.id, r.xmin, r.updated_at.getTime()]),
      before.map((r: any) => [r.id, r.xmin, r.updated_at.getTime()]),
      'no row was rewritten (same xmin)'
    )

    postings = postings
      .filter((p) => !p.id.endsWith('03'))
      .map((p) => (p.id.endsWith('02') ? { ...p, text: 'Senior Product Designer' } : p))
    const third = await ingestSource(source, { index, ...fast })
    assert.deepEqual(third, {
      fetched: 3,
      created: 0,
      updated: 1,
      unchanged: 2,
      closed: 1,
      failed: 0,
    })
    const rows = await jobRows(source.id)
    const removed = rows.find((r: any) => r.external_id.endsWith('03'))
    assert.equal(removed.status, 'closed')
    assert.isNotNull(removed.closed_at)
    assert.equal(
      rows.find((r: any) => r.external_id.endsWith('02')).title,
      'Senior Product Designer'
    )

    // listed again: reopened
    postings = jobsFixture<any[]>('lever_postings.json').filter((p) => typeof p === 'object')
    const fourth = await ingestSource(source, { index, ...fast })
    assert.equal(fourth.updated, 2)
    assert.equal((await jobRows(source.id)).filter((r: any) => r.status === 'open').length, 4)
  })

  test('Greenhouse: decodes and sanitizes content, reads pay ranges, counts the malformed posting', async ({
    assert,
    cleanup,
  }) => {
    const board = await startBoardServer((_req, res, url) => {
      if (
        url.pathname === '/v1/boards/acmerobotics/jobs' &&
        url.searchParams.get('content') === 'true'
      ) {
        return sendJson(res, 200, jobsFixture('greenhouse_jobs.json'))
      }
      sendJson(res, 404, { status: 404, error: 'Job not found' })
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({
      kind: 'greenhouse',
      url: board.url,
      boardToken: 'acmerobotics',
    })
    const stats = await ingestSource(source, { index, ...fast })
    assert.deepEqual(stats, {
      fetched: 3,
      created: 2,
      updated: 0,
      unchanged: 0,
      closed: 0,
      failed: 1,
    })

    const [senior, intern] = await jobRows(source.id)
    assert.equal(senior.external_id, '4012345007')
    assert.equal(senior.company, 'Acme Robotics')
    assert.equal(senior.employment_type, 'full_time')
    assert.deepEqual(
      [Number(senior.salary_min), Number(senior.salary_max), senior.salary_currency],
      [70000, 90000, 'EUR']
    )
    assert.include(senior.description_html, '<strong>reliable</strong>')
    assert.notInclude(senior.description_html, '<script')
    assert.notInclude(senior.description_html, 'javascript:')
    assert.notInclude(senior.description_html, 'onclick')
    assert.notInclude(senior.description_text, 'alert')
    assert.include(senior.description_text, 'Build reliable motion-planning services')
    assert.equal(new Date(senior.posted_at).toISOString(), '2026-11-01T13:00:00.000Z')
    assert.isTrue(intern.remote, '"Remote - Europe" is remote')
    assert.equal(intern.employment_type, 'internship')
    assert.isNull(intern.salary_min)
  })

  test('an empty or truncated feed closes nothing; a normal removal still closes', async ({
    assert,
    cleanup,
  }) => {
    const all = jobsFixture<any[]>('lever_postings.json').filter((p) => typeof p === 'object')
    let postings = all
    const board = await startBoardServer((_req, res, url) => {
      const skip = Number(url.searchParams.get('skip'))
      sendJson(res, 200, postings.slice(skip, skip + Number(url.searchParams.get('limit'))))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({ kind: 'lever', url: board.url, boardToken: 'globex' })
    assert.equal((await ingestSource(source, { index, ...fast })).created, 4)
    const openCount = async () =>
      (await jobRows(source.id)).filter((r: any) => r.status === 'open').length

    // the board answers an empty list (an outage page, a wrong token): nothing is closed
    postings = []
    const empty = await runIngestion(source, { index, ...fast })
    assert.equal(empty.stats.closed, 0)
    assert.match(empty.warning!, /suspicious answer: 0 postings listed for 4 open jobs/)
    assert.equal(await openCount(), 4)

    // a truncated answer (1 of 4 listed, below half of the open jobs): nothing is closed
    postings = all.slice(0, 1)
    const truncated = await ingestSource(source, { index, ...fast })
    assert.equal(truncated.closed, 0)
    assert.equal(await openCount(), 4)

    // one posting removed out of four: closed as usual
    postings = all.slice(0, 3)
    const normal = await runIngestion(source, { index, ...fast })
    assert.equal(normal.stats.closed, 1)
    assert.isNull(normal.warning)
    assert.equal(await openCount(), 3)
  })

  test('OpenSearch: changed jobs are bulk-indexed from the pipeline, closed ones removed', async ({
    assert,
    cleanup,
  }) => {
    const engine = createOpenSearchIndex(
      process.env.OPENSEARCH_URL ?? 'http://127.0.0.1:9200',
      `ingest-${crypto.randomUUID().slice(0, 8)}`,
      { refreshOnWrite: true }
    )
    cleanup(() => engine.destroy())
    let postings = jobsFixture<any[]>('lever_postings.json').filter((p) => typeof p === 'object')
    const board = await startBoardServer((_req, res, url) => {
      const skip = Number(url.searchParams.get('skip'))
      sendJson(res, 200, postings.slice(skip, skip + Number(url.searchParams.get('limit'))))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const school = await createSchool('ingest-os')
    const source = await insertSource({
      schoolId: school.id,
      kind: 'lever',
      url: board.url,
      boardToken: 'globex',
      name: 'Globex',
    })
    await ingestSource(source, { index: engine, ...fast, pageSize: 2, indexBatchSize: 3 })
    const rows = await jobRows(source.id)
    let found = await engine.search({ schoolId: school.id, sourceId: source.id, limit: 10 })
    assert.equal(found.total, 4)
    const hit = found.data.find((h) => h.title === 'Backend Engineer, Payments')!
    const row = rows.find((r: any) => r.title === 'Backend Engineer, Payments')
    assert.deepInclude(hit, {
      id: row.id,
      company: 'Globex',
      employmentType: 'full_time',
      salaryMin: 140000,
      salaryCurrency: 'USD',
      postedAt: new Date(row.posted_at).toISOString(),
    })

    postings = postings.filter((p) => !p.id.endsWith('03'))
    await ingestSource(source, { index: engine, ...fast })
    found = await engine.search({ schoolId: school.id, sourceId: source.id, limit: 10 })
    assert.equal(found.total, 3)
  })

  test("a new source's page upsert probes its jobs by key even when the statistics say it has none", async ({
    assert,
  }) => {
    const source = await insertSource({ kind: 'lever', name: 'Stale statistics' })
    const older = await insertSource({ kind: 'lever', name: 'Older source' })
    const posting = (i: number): NormalizedJob => ({
      externalId: `p-${i}`,
      title: `Role ${i}`,
      company: 'Initech',
      locations: ['Remote'],
      remote: true,
      employmentType: 'full_time',
      salaryMin: null,
      salaryMax: null,
      salaryCurrency: null,
      descriptionHtml: '<p>Role</p>',
      descriptionText: 'Role',
      postedAt: null,
      applyUrl: null,
    })
    const page = (n: number) => Array.from({ length: 100 }, (_, i) => posting(n * 100 + i))
    // what a new source's first run meets: statistics taken before it had any job, when every
    // job belonged to other sources (the new one is estimated at one row, whatever it holds)
    for (let n = 0; n < 5; n++) await applyPage(older, page(n), emptyStats(), { documents: false })
    await asOwner((trx) => trx.rawQuery('ANALYZE jobs'))
    const stats = emptyStats()
    for (let n = 0; n < 30; n++) await applyPage(source, page(n), stats, { documents: false })
    assert.equal(stats.created, 3000)

    const { sql, bindings } = pageUpsert(source, page(30))
    const explained = await withTenant({ platformScope: true }, (trx) =>
      trx.rawQuery(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, bindings)
    )
    // rows read from `jobs` to find which of the page's 100 postings exist already
    let read = 0
    const visit = (node: any) => {
      if (node['Relation Name'] === 'jobs' && node['Node Type'] !== 'ModifyTable') {
        const removed =
          (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)
        read += (node['Actual Rows'] + removed) * node['Actual Loops']
      }
      for (const child of node.Plans ?? []) visit(child)
    }
    visit(explained.rows[0]['QUERY PLAN'][0].Plan)
    assert.isAtMost(read, 100, `the lookup read ${read} rows of jobs for a page of 100`)
  })

  test('a board that keeps failing fails the run without closing anything', async ({
    assert,
    cleanup,
  }) => {
    let down = false
    const board = await startBoardServer((_req, res) => {
      if (down) return sendJson(res, 503, { error: 'maintenance' })
      sendJson(res, 200, jobsFixture('greenhouse_jobs.json'))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const source = await insertSource({
      kind: 'greenhouse',
      url: board.url,
      boardToken: 'acmerobotics',
    })
    await ingestSource(source, { index, ...fast })
    down = true
    const error = await ingestSource(source, { index, ...fast }).catch((e) => e)
    assert.instanceOf(error, SourceFetchError)
    assert.isTrue(error.retryable)
    assert.lengthOf(board.requests, 1 + fast.maxAttempts)
    assert.isTrue((await jobRows(source.id)).every((r: any) => r.status === 'open'))

    const rejected = await ingestSource(
      { ...source, boardToken: 'nope' },
      { index, ...fast }
    ).catch((e) => e)
    assert.instanceOf(rejected, SourceFetchError)
  })
})
