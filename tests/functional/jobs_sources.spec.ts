import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { TemporalConfig } from '#config/temporal'
import { resetState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { startTestWorker } from '#tests/helpers/temporal'
import {
  allowOutbound,
  eventually,
  jobsFixture,
  sendJson,
  startBoardServer,
} from '#tests/helpers/jobs_helpers'
import { deleteSchedule, describeSchedule, scheduleIdOf } from '#services/jobs/schedule_service'

async function schoolWithStaff(slug: string) {
  const school = await createSchool(slug)
  const staff = await createUser(`staff@${slug}.test`)
  const learner = await createUser(`learner@${slug}.test`)
  await addMember(school.id, staff.id, 'staff')
  const learnerMembership = await addMember(school.id, learner.id, 'learner')
  return {
    school,
    staffToken: (await login(staff.email)).accessToken,
    learnerToken: (await login(learner.email)).accessToken,
    learnerMembership,
  }
}

test.group('Job sources: schedules, runs, visibility (real Temporal)', (group) => {
  const created: string[] = []

  group.each.setup(async () => {
    await resetState()
    // Fast retries and small pages for these tests only; later files must see the defaults.
    const previous = {
      JOBS_INGEST_BACKOFF_MS: process.env.JOBS_INGEST_BACKOFF_MS,
      JOBS_INGEST_PAGE_SIZE: process.env.JOBS_INGEST_PAGE_SIZE,
    }
    process.env.JOBS_INGEST_BACKOFF_MS = '20'
    process.env.JOBS_INGEST_PAGE_SIZE = '2'
    return async () => {
      for (const [name, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
      for (const id of created.splice(0)) await deleteSchedule(id)
    }
  })

  test('a school creates a source with a schedule, runs it now, reads the run stats', async ({
    client,
    assert,
    cleanup,
  }) => {
    const config = app.config.get<TemporalConfig>('temporal')
    const worker = await startTestWorker(config.taskQueue)
    cleanup(() => worker.stop())
    const board = await startBoardServer((_req, res, url) => {
      const postings = jobsFixture<any[]>('lever_postings.json')
      const skip = Number(url.searchParams.get('skip'))
      sendJson(res, 200, postings.slice(skip, skip + Number(url.searchParams.get('limit'))))
    })
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const fx = await schoolWithStaff('north')

    const response = await client
      .post(`/v1/schools/${fx.school.id}/job-sources`)
      .bearerToken(fx.staffToken)
      .json({
        name: 'Globex careers',
        kind: 'lever',
        boardToken: 'globex',
        url: board.url,
        intervalMinutes: 60,
      })
    response.assertStatus(201)
    const source = response.body()
    created.push(source.id)
    assert.equal(source.scope, 'school')
    assert.equal(source.schoolId, fx.school.id)

    const schedule = await describeSchedule(source.id)
    assert.equal(schedule.scheduleId, scheduleIdOf(source.id))
    assert.isFalse(schedule.state.paused)
    assert.equal((schedule.action as any).workflowType, 'jobIngestion')
    assert.equal((schedule.action as any).taskQueue, config.ingestionTaskQueue)

    const run = await client
      .post(`/v1/schools/${fx.school.id}/job-sources/${source.id}/run`)
      .bearerToken(fx.staffToken)
    run.assertStatus(202)
    assert.deepEqual(run.body(), { sourceId: source.id, scheduleId: scheduleIdOf(source.id) })

    const finished = await eventually(async () => {
      const runs = await client
        .get(`/v1/schools/${fx.school.id}/job-sources/${source.id}/runs`)
        .bearerToken(fx.staffToken)
      runs.assertStatus(200)
      const [latest] = runs.body().data
      return latest?.status === 'succeeded' ? latest : null
    })
    // a scheduled run like any other: the schedule's workflow id
    assert.match(finished.workflowId, new RegExp(`^ingest:${source.id}-`))
    assert.isNull(finished.warning)
    assert.deepInclude(finished, {
      fetched: 5,
      created: 4,
      updated: 0,
      unchanged: 0,
      closed: 0,
      failed: 1,
    })
    assert.isAtLeast(finished.durationMs, 0)

    // the learner finds the school's jobs
    const search = await client
      .get(`/v1/schools/${fx.school.id}/jobs/search`)
      .qs({ q: 'payments backend' })
      .bearerToken(fx.learnerToken)
    search.assertStatus(200)
    assert.equal(search.body().data[0].title, 'Backend Engineer, Payments')
    const job = await client
      .get(`/v1/schools/${fx.school.id}/jobs/${search.body().data[0].id}`)
      .bearerToken(fx.learnerToken)
    job.assertStatus(200)
    assert.include(job.body().descriptionHtml, '<li>PostgreSQL</li>')
    assert.equal(job.body().source.name, 'Globex careers')
  }).timeout(60_000)

  test('pause and resume map to the schedule; a schedule trigger records a run', async ({
    client,
    assert,
    cleanup,
  }) => {
    const config = app.config.get<TemporalConfig>('temporal')
    const worker = await startTestWorker(config.taskQueue)
    cleanup(() => worker.stop())
    const board = await startBoardServer((_req, res) =>
      sendJson(res, 200, jobsFixture('greenhouse_jobs.json'))
    )
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const fx = await schoolWithStaff('south')
    const source = (
      await client
        .post(`/v1/schools/${fx.school.id}/job-sources`)
        .bearerToken(fx.staffToken)
        .json({ name: 'Acme', kind: 'greenhouse', boardToken: 'acmerobotics', url: board.url })
    ).body()
    created.push(source.id)

    const paused = await client
      .post(`/v1/schools/${fx.school.id}/job-sources/${source.id}/pause`)
      .bearerToken(fx.staffToken)
    paused.assertStatus(200)
    assert.equal(paused.body().status, 'paused')
    assert.isTrue((await describeSchedule(source.id)).state.paused)

    const resumed = await client
      .post(`/v1/schools/${fx.school.id}/job-sources/${source.id}/resume`)
      .bearerToken(fx.staffToken)
    assert.equal(resumed.body().status, 'active')
    assert.isFalse((await describeSchedule(source.id)).state.paused)

    const temporal = await app.container.make('temporal.client')
    await temporal.schedule.getHandle(scheduleIdOf(source.id)).trigger()
    const run = await eventually(async () => {
      const [row] = await asOwner((trx) =>
        trx.from('job_ingestion_runs').where('source_id', source.id)
      )
      return row?.status === 'succeeded' ? row : null
    })
    assert.match(run.workflow_id, new RegExp(`^ingest:${source.id}-`))
    assert.equal(run.created, 2)
    assert.equal(run.failed, 1)
  }).timeout(60_000)

  test('school-owned sources, jobs and runs never reach another school', async ({
    client,
    assert,
  }) => {
    const north = await schoolWithStaff('north')
    const south = await schoolWithStaff('south')
    const [northSource, globalSource] = await asOwner(async (trx) => {
      const rows = await trx
        .table('job_sources')
        .insert([
          { school_id: north.school.id, name: 'North only', kind: 'lever', board_token: 'n' },
          { school_id: null, name: 'Everyone', kind: 'lever', board_token: 'g' },
        ])
        .returning('*')
      await trx.table('jobs').insert([
        {
          source_id: rows[0].id,
          external_id: 'n1',
          content_hash: 'x',
          title: 'North Welder',
          company: 'N',
          posted_at: new Date(),
        },
        {
          source_id: rows[1].id,
          external_id: 'g1',
          content_hash: 'y',
          title: 'Global Welder',
          company: 'G',
          posted_at: new Date(),
        },
      ])
      await trx
        .table('job_ingestion_runs')
        .insert({ source_id: rows[0].id, school_id: north.school.id, workflow_id: 'w-north' })
      return rows
    })
    const [northJob] = await asOwner((trx) => trx.from('jobs').where('external_id', 'n1'))
    assert.equal(northJob.school_id, north.school.id, 'the job carries its source owner')

    const southSearch = await client
      .get(`/v1/schools/${south.school.id}/jobs/search`)
      .qs({ q: 'welder' })
      .bearerToken(south.learnerToken)
    assert.deepEqual(
      southSearch.body().data.map((j: any) => j.title),
      ['Global Welder']
    )
    const northSearch = await client
      .get(`/v1/schools/${north.school.id}/jobs/search`)
      .qs({ q: 'welder', sort: 'date' })
      .bearerToken(north.learnerToken)
    assert.sameMembers(
      northSearch.body().data.map((j: any) => j.title),
      ['Global Welder', 'North Welder']
    )
    const suggest = await client
      .get(`/v1/schools/${south.school.id}/jobs/suggest`)
      .qs({ prefix: 'wel' })
      .bearerToken(south.learnerToken)
    assert.deepEqual(suggest.body().data, ['Global Welder'])

    ;(
      await client
        .get(`/v1/schools/${south.school.id}/jobs/${northJob.id}`)
        .bearerToken(south.learnerToken)
    ).assertStatus(404)
    ;(
      await client
        .get(`/v1/schools/${north.school.id}/jobs/${northJob.id}`)
        .bearerToken(north.learnerToken)
    ).assertStatus(200)

    const list = await client
      .get(`/v1/schools/${south.school.id}/job-sources`)
      .bearerToken(south.staffToken)
    assert.deepEqual(
      list.body().data.map((s: any) => s.name),
      ['Everyone']
    )
    for (const action of ['run', 'pause', 'resume']) {
      const attempt = await client
        .post(`/v1/schools/${south.school.id}/job-sources/${northSource.id}/${action}`)
        .bearerToken(south.staffToken)
      attempt.assertStatus(404)
      // global sources are read-only for schools
      const onGlobal = await client
        .post(`/v1/schools/${south.school.id}/job-sources/${globalSource.id}/${action}`)
        .bearerToken(south.staffToken)
      onGlobal.assertStatus(404)
    }
    ;(
      await client
        .get(`/v1/schools/${south.school.id}/job-sources/${northSource.id}/runs`)
        .bearerToken(south.staffToken)
    ).assertStatus(404)
    const runs = await client
      .get(`/v1/schools/${north.school.id}/job-sources/${northSource.id}/runs`)
      .bearerToken(north.staffToken)
    assert.lengthOf(runs.body().data, 1)

    // learners cannot manage sources; platform routes need a platform admin
    ;(
      await client.get(`/v1/schools/${north.school.id}/job-sources`).bearerToken(north.learnerToken)
    ).assertStatus(403)
    ;(await client.get(`/v1/platform/job-sources`).bearerToken(north.staffToken)).assertStatus(403)

    // the database refuses it too: the app role in south's context sees no north rows
    const { withTenant } = await import('#services/platform/tenant_context')
    const visible = await withTenant({ schoolId: south.school.id }, async (trx) => ({
      sources: await trx.from('job_sources').select('name'),
      jobs: await trx.from('jobs').select('title'),
      runs: await trx.from('job_ingestion_runs').select('id'),
    }))
    assert.deepEqual(visible, {
      sources: [{ name: 'Everyone' }],
      jobs: [{ title: 'Global Welder' }],
      runs: [],
    })
    const forged = await withTenant({ schoolId: south.school.id }, (trx) =>
      trx
        .table('job_sources')
        .insert({ school_id: north.school.id, name: 'x', kind: 'lever', board_token: 'x' })
    ).catch((e) => e)
    assert.match(String(forged), /row-level security/)
    const globalWrite = await withTenant({ schoolId: south.school.id }, (trx) =>
      trx
        .table('job_sources')
        .insert({ school_id: null, name: 'x', kind: 'lever', board_token: 'x' })
    ).catch((e) => e)
    assert.match(
      String(globalWrite),
      /row-level security/,
      'only platform scope writes global sources'
    )
  }).timeout(60_000)

  test('validation: kind-specific fields, urls, unknown ids', async ({ client, assert }) => {
    const fx = await schoolWithStaff('valid')
    const base = `/v1/schools/${fx.school.id}/job-sources`
    const noToken = await client
      .post(base)
      .bearerToken(fx.staffToken)
      .json({ name: 'x', kind: 'lever' })
    noToken.assertStatus(422)
    assert.equal(noToken.body().errors[0].field, 'boardToken')
    const fileUrl = await client
      .post(base)
      .bearerToken(fx.staffToken)
      .json({ name: 'x', kind: 'json_feed', url: 'file:///etc/passwd' })
    fileUrl.assertStatus(422)
    ;(await client.post(`${base}/not-a-uuid/run`).bearerToken(fx.staffToken)).assertStatus(404)
    ;(
      await client.get(`${base}/${crypto.randomUUID()}/runs`).bearerToken(fx.staffToken)
    ).assertStatus(404)
  })

  test('platform admins manage global sources', async ({ client, assert }) => {
    const admin = await createUser('root@platform.test', { platformAdmin: true })
    const { accessToken } = await login(admin.email)
    const response = await client.post('/v1/platform/job-sources').bearerToken(accessToken).json({
      name: 'Global feed',
      kind: 'json_feed',
      url: 'https://feed.example/jobs.json',
      paused: true,
    })
    response.assertStatus(201)
    created.push(response.body().id)
    assert.equal(response.body().scope, 'global')
    assert.isTrue((await describeSchedule(response.body().id)).state.paused)
    const list = await client.get('/v1/platform/job-sources').bearerToken(accessToken)
    assert.deepEqual(
      list.body().data.map((s: any) => s.name),
      ['Global feed']
    )
    const events = await asOwner((trx) =>
      trx.from('audit_events').where('action', 'job_source.created')
    )
    assert.lengthOf(events, 1)
    assert.isNull(events[0].school_id)
  })
  test('platform admins update, run, pause, resume and read the runs of a global source', async ({
    client,
    assert,
    cleanup,
  }) => {
    const worker = await startTestWorker(app.config.get<TemporalConfig>('temporal').taskQueue)
    cleanup(() => worker.stop())
    const board = await startBoardServer((_req, res) =>
      sendJson(res, 200, jobsFixture('greenhouse_jobs.json'))
    )
    cleanup(() => board.close())
    cleanup(allowOutbound(board.url))
    const admin = await createUser('root@platform.test', { platformAdmin: true })
    const { accessToken } = await login(admin.email)
    const school = await schoolWithStaff('west')
    const base = '/v1/platform/job-sources'
    const source = (
      await client.post(base).bearerToken(accessToken).json({
        name: 'Global Acme',
        kind: 'greenhouse',
        boardToken: 'acmerobotics',
        url: board.url,
      })
    ).body()
    created.push(source.id)

    const updated = await client
      .patch(`${base}/${source.id}`)
      .bearerToken(accessToken)
      .json({ name: 'Acme worldwide', intervalMinutes: 120 })
    updated.assertStatus(200)
    assert.equal(updated.body().name, 'Acme worldwide')
    assert.equal(updated.body().scope, 'global')

    const paused = await client.post(`${base}/${source.id}/pause`).bearerToken(accessToken)
    paused.assertStatus(200)
    assert.equal(paused.body().status, 'paused')
    assert.isTrue((await describeSchedule(source.id)).state.paused)
    const resumed = await client.post(`${base}/${source.id}/resume`).bearerToken(accessToken)
    resumed.assertStatus(200)
    assert.equal(resumed.body().status, 'active')
    assert.isFalse((await describeSchedule(source.id)).state.paused)

    const run = await client.post(`${base}/${source.id}/run`).bearerToken(accessToken)
    run.assertStatus(202)
    assert.equal(run.body().sourceId, source.id)
    const finished = await eventually(async () => {
      const runs = await client.get(`${base}/${source.id}/runs`).bearerToken(accessToken)
      runs.assertStatus(200)
      const [latest] = runs.body().data
      return latest?.status === 'succeeded' ? latest : null
    })
    assert.match(finished.workflowId, new RegExp(`^ingest:${source.id}-`))
    assert.equal(finished.created, 2)

    const actions = await asOwner((trx) =>
      trx
        .from('audit_events')
        .where('target_id', source.id)
        .whereNull('school_id')
        .orderBy('id')
        .select('action')
    )
    assert.includeMembers(
      actions.map((row) => row.action),
      ['job_source.updated', 'job_source.paused', 'job_source.resumed', 'job_source.run']
    )

    // School staff reach neither the platform routes nor the global source through their school.
    for (const [method, path] of [
      ['patch', `${base}/${source.id}`],
      ['post', `${base}/${source.id}/run`],
      ['post', `${base}/${source.id}/pause`],
      ['post', `${base}/${source.id}/resume`],
      ['get', `${base}/${source.id}/runs`],
    ] as const) {
      const refused = await client[method](path).bearerToken(school.staffToken).json({ name: 'x' })
      assert.equal(refused.status(), 403, `${method} ${path}`)
    }
    const viaSchool = await client
      .post(`/v1/schools/${school.school.id}/job-sources/${source.id}/pause`)
      .bearerToken(school.staffToken)
    viaSchool.assertStatus(404)
    assert.isFalse((await describeSchedule(source.id)).state.paused)
  }).timeout(60_000)

  test('"run now" goes through the schedule: a second one during a run is skipped (overlap SKIP); schedules carry jitter', async ({
    client,
    assert,
    cleanup,
  }) => {
    const config = app.config.get<TemporalConfig>('temporal')
    const worker = await startTestWorker(config.ingestionTaskQueue)
    cleanup(() => worker.stop())
    let release!: () => void
    const released = new Promise<void>((resolve) => (release = resolve))
    let firstRequest!: () => void
    const requested = new Promise<void>((resolve) => (firstRequest = resolve))
    const board = await startBoardServer(async (_req, res) => {
      firstRequest()
      await released
      sendJson(res, 200, jobsFixture('greenhouse_jobs.json'))
    })
    cleanup(() => board.close())
    cleanup(() => release())
    cleanup(allowOutbound(board.url))
    const fx = await schoolWithStaff('east')
    const base = `/v1/schools/${fx.school.id}/job-sources`
    const source = (
      await client
        .post(base)
        .bearerToken(fx.staffToken)
        .json({ name: 'Acme', kind: 'greenhouse', boardToken: 'acmerobotics', url: board.url })
    ).body()
    created.push(source.id)
    const schedule = await describeSchedule(source.id)
    assert.isAbove(Number((schedule.spec as any).jitter ?? 0), 0, 'the schedule has jitter')
    assert.equal((schedule.action as any).taskQueue, config.ingestionTaskQueue)

    const first = await client.post(`${base}/${source.id}/run`).bearerToken(fx.staffToken)
    first.assertStatus(202)
    await requested
    const second = await client.post(`${base}/${source.id}/run`).bearerToken(fx.staffToken)
    second.assertStatus(202)
    // the schedule took the second trigger and skipped it (a run is in progress)
    await eventually(async () => {
      const described = await describeSchedule(source.id)
      return described.info.numActionsSkippedOverlap >= 1
    })
    release()
    const runs = await eventually(async () => {
      const rows = await asOwner((trx) =>
        trx.from('job_ingestion_runs').where('source_id', source.id)
      )
      return rows.length > 0 && rows.every((row: any) => row.status !== 'running') ? rows : null
    })
    assert.lengthOf(runs, 1, 'one run: the second "run now" did not overlap the first')
    assert.equal(runs[0].status, 'succeeded')
    assert.match(runs[0].workflow_id, new RegExp(`^ingest:${source.id}-`))
    const described = await describeSchedule(source.id)
    assert.equal(described.info.numActionsSkippedOverlap, 1)
  }).timeout(60_000)
})
