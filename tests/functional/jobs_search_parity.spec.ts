import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { resetState } from '#tests/helpers/database'
import { asOwner, createSchool } from '#tests/helpers/fixtures'
import { insertSource } from '#tests/helpers/jobs_helpers'
import { jobDocument } from '#services/jobs/ingestion_service'
import { PostgresJobSearchIndex } from '#services/jobs/search/postgres_index'
import { createOpenSearchIndex } from '#services/jobs/search/opensearch_index'
import type { EngineJobSearchIndex } from '#services/jobs/search/engine_index'
import type { JobSearchIndex, JobSearchQuery, JobSearchResult } from '#services/jobs/search/types'
import type { SearchConfig } from '#config/search'
import { requiredEnv } from '#tests/helpers/services'

const slot = (process.env.TEMPORAL_TASK_QUEUE ?? 'test').toLowerCase().replace(/[^a-z0-9-]/g, '-')
const DAY = 86_400_000

/** [title, company, locations, remote, type, min, max, daysAgo, description] */
const JOBS: [
  string,
  string,
  string[],
  boolean,
  string | null,
  number | null,
  number | null,
  number,
  string,
][] = [
  [
    'Senior Software Engineer',
    'Acme',
    ['Berlin, Germany'],
    false,
    'full_time',
    90000,
    120000,
    1,
    'Build distributed systems in Rust.',
  ],
  [
    'Software Engineer Intern',
    'Acme',
    ['Berlin, Germany'],
    false,
    'internship',
    20000,
    25000,
    3,
    'Write tests and learn engineering practices.',
  ],
  [
    'Data Engineer',
    'Globex',
    ['Remote'],
    true,
    'full_time',
    100000,
    140000,
    2,
    'Pipelines with Python and SQL.',
  ],
  [
    'Frontend Developer',
    'Globex',
    ['New York, NY'],
    false,
    'contract',
    80000,
    null,
    10,
    'React and TypeScript interfaces for engineers.',
  ],
  [
    'Product Designer',
    'Initech',
    ['Remote', 'Austin, TX'],
    true,
    'full_time',
    70000,
    95000,
    5,
    'Design flows and prototypes.',
  ],
  [
    'Customer Support Specialist',
    'Initech',
    ['Austin, TX'],
    false,
    'part_time',
    null,
    null,
    20,
    'Help customers by chat and phone.',
  ],
  [
    'Machine Learning Engineer',
    'Hooli',
    ['San Francisco, CA'],
    false,
    'full_time',
    150000,
    200000,
    4,
    'Train ranking models.',
  ],
  [
    'Nurse Assistant',
    'Mercy Health',
    ['Chicago, IL'],
    false,
    'temporary',
    35000,
    40000,
    30,
    'Patient care on day shifts.',
  ],
  [
    'Electrician Apprentice',
    'Sparks & Co',
    ['Chicago, IL'],
    false,
    'internship',
    30000,
    38000,
    7,
    'Wiring <b>residential</b> buildings.',
  ],
  [
    'Backend Engineer',
    'Hooli',
    ['Remote', 'San Francisco, CA'],
    true,
    'full_time',
    130000,
    170000,
    6,
    'APIs and PostgreSQL at scale.',
  ],
]

async function seedJobs() {
  const schoolA = await createSchool('parity-a')
  const schoolB = await createSchool('parity-b')
  const global = await insertSource({
    kind: 'json_feed',
    url: 'https://feed.example/jobs.json',
    name: 'Global board',
  })
  const own = await insertSource({
    kind: 'lever',
    boardToken: 'a',
    schoolId: schoolA.id,
    name: 'A board',
  })
  const other = await insertSource({
    kind: 'lever',
    boardToken: 'b',
    schoolId: schoolB.id,
    name: 'B board',
  })
  const now = Date.now()
  const rows = await asOwner(async (trx) => {
    const values = JOBS.map(
      ([title, company, locations, remote, type, min, max, daysAgo, description], i) => ({
        source_id: i % 4 === 3 ? own.id : global.id,
        school_id: i % 4 === 3 ? schoolA.id : null,
        external_id: `job-${i}`,
        content_hash: `h${i}`,
        title,
        company,
        locations,
        remote,
        employment_type: type,
        salary_min: min,
        salary_max: max,
        salary_currency: min ? 'USD' : null,
        description_html: `<p>${description}</p>`,
        description_text: description,
        posted_at: new Date(now - daysAgo * DAY - i * 1000),
      })
    )
    values.push({
      ...values[0],
      source_id: other.id,
      school_id: schoolB.id,
      external_id: 'secret',
      title: 'Secret Engineer of school B',
    })
    values.push({
      ...values[1],
      external_id: 'closed-one',
      title: 'Closed Engineer',
      status: 'closed',
    } as any)
    return trx.table('jobs').insert(values).returning('*')
  })
  return { schoolA, schoolB, global, own, other, rows }
}

const ids = (result: JobSearchResult) => result.data.map((hit) => hit.id)

async function allPages(index: JobSearchIndex, query: JobSearchQuery) {
  const seen: string[] = []
  let cursor: string | undefined
  for (let guard = 0; guard < 50; guard++) {
    const page = await index.search({ ...query, cursor, limit: 2 })
    seen.push(...ids(page))
    if (!page.nextCursor) return seen
    cursor = page.nextCursor
  }
  throw new Error('pagination did not end')
}

test.group('Job search parity: postgres and a real OpenSearch node', (group) => {
  let openSearch: EngineJobSearchIndex
  const postgres = new PostgresJobSearchIndex()

  group.each.setup(async () => {
    await resetState()
    openSearch = createOpenSearchIndex(
      requiredEnv('OPENSEARCH_URL'),
      `${slot}-parity-${Date.now()}`
    )
    return () => openSearch.destroy()
  })

  async function seedBoth() {
    const fx = await seedJobs()
    await openSearch.ensureReady()
    await openSearch.index(fx.rows.filter((r: any) => r.status === 'open').map(jobDocument))
    await openSearch.refresh()
    return fx
  }

  test('the same cases give the same answers on both engines', async ({ assert }) => {
    const fx = await seedBoth()
    const engines: JobSearchIndex[] = [postgres, openSearch]
    const a = fx.schoolA.id
    const cases: { name: string; query: JobSearchQuery; ordered: boolean }[] = [
      { name: 'everything, newest first', query: { schoolId: a }, ordered: true },
      {
        name: 'full text (stemmed: engineers -> engineer)',
        query: { schoolId: a, q: 'engineers' },
        ordered: false,
      },
      { name: 'typo: enginer', query: { schoolId: a, q: 'enginer' }, ordered: false },
      { name: 'typo: sofware', query: { schoolId: a, q: 'sofware' }, ordered: false },
      { name: 'typo: desinger', query: { schoolId: a, q: 'desinger' }, ordered: false },
      {
        name: 'two terms across fields',
        query: { schoolId: a, q: 'hooli engineer' },
        ordered: false,
      },
      {
        name: 'location (case-insensitive)',
        query: { schoolId: a, location: 'berlin, germany' },
        ordered: true,
      },
      { name: 'remote', query: { schoolId: a, remote: true }, ordered: true },
      {
        name: 'employment types',
        query: { schoolId: a, employmentType: ['internship', 'contract'] },
        ordered: true,
      },
      { name: 'posted within 5 days', query: { schoolId: a, postedWithinDays: 5 }, ordered: true },
      { name: 'minimum salary', query: { schoolId: a, minSalary: 100000 }, ordered: true },
      { name: 'source', query: { schoolId: a, sourceId: fx.own.id }, ordered: true },
      {
        name: 'text + filters, by date',
        query: { schoolId: a, q: 'engineer', remote: true, sort: 'date' },
        ordered: true,
      },
      {
        name: "school B's view",
        query: { schoolId: fx.schoolB.id, q: 'engineer', sort: 'date' },
        ordered: true,
      },
    ]
    for (const { name, query, ordered } of cases) {
      const [pg, os] = await Promise.all(engines.map((engine) => engine.search(query)))
      assert.isAbove(pg.total, 0, `${name}: postgres finds something`)
      assert.equal(os.total, pg.total, `${name}: total`)
      assert.equal(pg.totalRelation, 'eq', `${name}: exact below the bound`)
      assert.equal(os.totalRelation, pg.totalRelation, `${name}: total relation`)
      if (ordered) assert.deepEqual(ids(os), ids(pg), `${name}: order`)
      else assert.sameMembers(ids(os), ids(pg), `${name}: hits`)
      assert.deepEqual(os.facets, pg.facets, `${name}: facets`)
      const [pgAll, osAll] = await Promise.all(engines.map((engine) => allPages(engine, query)))
      assert.lengthOf(pgAll, pg.total, `${name}: postgres pages cover every hit once`)
      assert.equal(new Set(pgAll).size, pgAll.length)
      if (ordered) assert.deepEqual(osAll, pgAll, `${name}: pages`)
      else assert.sameMembers(osAll, pgAll, `${name}: pages`)
    }

    // visibility: B's secret job and closed jobs never show for A
    for (const engine of engines) {
      const result = await engine.search({ schoolId: a, q: 'secret engineer' })
      assert.notInclude(JSON.stringify(result), 'Secret Engineer', `${engine.engine} leaks B's job`)
      assert.notInclude(
        JSON.stringify(await engine.search({ schoolId: a, q: 'closed' })),
        'Closed Engineer'
      )
      const typo = await engine.search({ schoolId: a, q: 'enginer' })
      assert.include(
        typo.data.map((h) => h.title),
        'Senior Software Engineer',
        `${engine.engine} typo`
      )
    }
  }).timeout(60_000)

  test('beyond the counting bound both engines report a lower bound and the same windowed facets', async ({
    assert,
  }) => {
    const fx = await seedBoth()
    const a = fx.schoolA.id
    const engines: JobSearchIndex[] = [postgres, openSearch]

    // the 3 newest of A's 10 visible jobs: Senior Software Engineer (full_time, Berlin),
    // Data Engineer (full_time, Remote), Software Engineer Intern (internship, Berlin)
    const [pg, os] = await Promise.all(
      engines.map((engine) => engine.search({ schoolId: a, trackTotalHits: 3 }))
    )
    assert.deepInclude(pg, { total: 3, totalRelation: 'gte' })
    assert.deepEqual(pg.facets.employmentType, [
      { value: 'full_time', count: 2 },
      { value: 'internship', count: 1 },
    ])
    assert.deepEqual(pg.facets.location, [
      { value: 'Berlin, Germany', count: 2 },
      { value: 'Remote', count: 1 },
    ])
    assert.deepEqual(pg.facets.remote, [
      { value: 'false', count: 2 },
      { value: 'true', count: 1 },
    ])
    assert.deepEqual(
      [os.total, os.totalRelation, os.facets, ids(os)],
      [pg.total, pg.totalRelation, pg.facets, ids(pg)]
    )

    const cases: { name: string; query: JobSearchQuery; relation: 'eq' | 'gte' }[] = [
      {
        name: 'text, relevance',
        query: { schoolId: a, q: 'engineer', trackTotalHits: 2 },
        relation: 'gte',
      },
      {
        name: 'text, by date',
        query: { schoolId: a, q: 'engineer', sort: 'date', trackTotalHits: 2 },
        relation: 'gte',
      },
      { name: 'typo', query: { schoolId: a, q: 'enginer', trackTotalHits: 4 }, relation: 'gte' },
      {
        name: 'filter, over',
        query: { schoolId: a, remote: true, trackTotalHits: 2 },
        relation: 'gte',
      },
      {
        name: 'filter, at the bound',
        query: { schoolId: a, remote: true, trackTotalHits: 3 },
        relation: 'eq',
      },
      {
        name: 'text + filter',
        query: { schoolId: a, q: 'engineer', location: 'Berlin, Germany', trackTotalHits: 1 },
        relation: 'gte',
      },
    ]
    for (const { name, query, relation } of cases) {
      const [p, o] = await Promise.all(engines.map((engine) => engine.search(query)))
      assert.equal(p.total, query.trackTotalHits, `${name}: total`)
      assert.equal(p.totalRelation, relation, `${name}: relation`)
      assert.equal(o.total, p.total, `${name}: total on both`)
      assert.equal(o.totalRelation, p.totalRelation, `${name}: relation on both`)
      assert.deepEqual(o.facets, p.facets, `${name}: windowed facets`)
      const windowed = Object.values(p.facets.remote).reduce((sum, b) => sum + b.count, 0)
      assert.equal(windowed, query.trackTotalHits, `${name}: facets count the window`)
      // pagination is not bounded: every match, once
      const [pgAll, osAll] = await Promise.all(engines.map((engine) => allPages(engine, query)))
      assert.sameMembers(osAll, pgAll, `${name}: pages`)
      assert.equal(new Set(pgAll).size, pgAll.length)
      assert.isAtLeast(pgAll.length, p.total)
    }
    assert.lengthOf(await allPages(postgres, { schoolId: a, trackTotalHits: 3 }), 10)
  }).timeout(60_000)

  test('facets, highlights and suggestions agree', async ({ assert }) => {
    const fx = await seedBoth()
    const a = fx.schoolA.id
    const pg = await postgres.search({ schoolId: a })
    const os = await openSearch.search({ schoolId: a })
    assert.deepEqual(pg.facets.remote, [
      { value: 'false', count: 7 },
      { value: 'true', count: 3 },
    ])
    assert.deepEqual(os.facets, pg.facets)
    assert.deepEqual(pg.facets.location[0], { value: 'Remote', count: 3 })

    for (const engine of [postgres, openSearch]) {
      const result = await engine.search({ schoolId: a, q: 'residential' })
      assert.lengthOf(result.data, 1)
      const [fragment] = result.data[0].highlights.description
      assert.include(fragment, '<mark>residential</mark>', engine.engine)
      assert.notInclude(fragment, '<b>', `${engine.engine} escapes the text it highlights`)
      const titled = await engine.search({ schoolId: a, q: 'designer' })
      assert.match(titled.data[0].highlights.title[0], /<mark>Designer<\/mark>/)
    }

    for (const prefix of ['eng', 'soft eng', 'b', 'ma le']) {
      const fromPg = await postgres.suggest(a, prefix, 5)
      assert.isAbove(fromPg.length, 0, prefix)
      assert.deepEqual(await openSearch.suggest(a, prefix, 5), fromPg, `suggest "${prefix}"`)
    }
    assert.deepEqual(await postgres.suggest(a, 'secr', 5), [])
    assert.deepEqual(await openSearch.suggest(a, 'secr', 5), [])
  }).timeout(60_000)

  test('reindex swaps the alias with no failed search while it runs', async ({ assert }) => {
    const fx = await seedBoth()
    // a bigger corpus so the rebuild takes a while
    const base = jobDocument(fx.rows[0])
    const extra = Array.from({ length: 3000 }, (_, i) => ({
      ...base,
      id: crypto.randomUUID(),
      title: `Bulk Engineer ${i}`,
    }))
    await openSearch.index(extra)
    await openSearch.refresh()
    const expected = (await openSearch.search({ schoolId: fx.schoolA.id, q: 'engineer' })).total

    let searching = true
    let searches = 0
    const failures: unknown[] = []
    const totals = new Set<number>()
    const load = (async () => {
      while (searching) {
        try {
          totals.add((await openSearch.search({ schoolId: fx.schoolA.id, q: 'engineer' })).total)
          searches++
        } catch (error) {
          failures.push(error)
        }
      }
    })()

    const docs = [...fx.rows.filter((r: any) => r.status === 'open').map(jobDocument), ...extra]
    const before = await (openSearch as any).transport.aliasTargets(openSearch.alias)
    const result = await openSearch.reindex(async function* () {
      for (let i = 0; i < docs.length; i += 250) yield docs.slice(i, i + 250)
    })
    searching = false
    await load

    assert.deepEqual(failures, [])
    assert.isAbove(searches, 3)
    assert.deepEqual([...totals], [expected], 'every search saw the complete index')
    assert.deepEqual(result.previous, before)
    assert.deepEqual(await (openSearch as any).transport.aliasTargets(openSearch.alias), [
      result.index,
    ])
    assert.equal(
      (await openSearch.search({ schoolId: fx.schoolA.id, q: 'engineer' })).total,
      expected
    )
  }).timeout(120_000)

  test('the API answers with the configured engine', async ({ client, assert }) => {
    const fx = await seedJobs()
    const config = app.config.get<SearchConfig>('search')
    const { createUser, addMember, login } = await import('#tests/helpers/fixtures')
    const learner = await createUser('learner@parity.test')
    await addMember(fx.schoolA.id, learner.id, 'learner')
    const { accessToken } = await login(learner.email)
    const response = await client
      .get(`/v1/schools/${fx.schoolA.id}/jobs/search`)
      .qs({ q: 'engineer', remote: 'true', employmentType: 'full_time', sort: 'date', limit: 1 })
      .bearerToken(accessToken)
    response.assertStatus(200)
    assert.equal(response.body().engine, config.engine)
    assert.equal(response.body().total, 2)
    assert.equal(response.body().totalRelation, 'eq')
    assert.equal(response.body().data[0].title, 'Data Engineer')
    assert.isString(response.body().nextCursor)
    const next = await client
      .get(`/v1/schools/${fx.schoolA.id}/jobs/search`)
      .qs({
        q: 'engineer',
        remote: 'true',
        employmentType: 'full_time',
        sort: 'date',
        limit: 1,
        cursor: response.body().nextCursor,
      })
      .bearerToken(accessToken)
    assert.equal(next.body().data[0].title, 'Backend Engineer')
    assert.isNull(next.body().nextCursor)

    const bad = await client
      .get(`/v1/schools/${fx.schoolA.id}/jobs/search`)
      .qs({ cursor: 'garbage', employmentType: 'full_time' })
      .bearerToken(accessToken)
    bad.assertStatus(422)
    const badType = await client
      .get(`/v1/schools/${fx.schoolA.id}/jobs/search`)
      .qs({ employmentType: 'pirate' })
      .bearerToken(accessToken)
    badType.assertStatus(422)

    const suggest = await client
      .get(`/v1/schools/${fx.schoolA.id}/jobs/suggest`)
      .qs({ prefix: 'eng' })
      .bearerToken(accessToken)
    suggest.assertStatus(200)
    assert.include(suggest.body().data, 'Data Engineer')
  })
})
