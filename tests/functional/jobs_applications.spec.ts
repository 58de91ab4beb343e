import { test } from '@japa/runner'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'

async function setup() {
  const school = await createSchool('apps')
  const other = await createSchool('other')
  const [global, otherSource] = await asOwner((trx) =>
    trx
      .table('job_sources')
      .insert([
        { name: 'Global', kind: 'lever', board_token: 'g' },
        { name: 'Other school', kind: 'lever', board_token: 'o', school_id: other.id },
      ])
      .returning('*')
  )
  const [job, otherJob] = await asOwner((trx) =>
    trx
      .table('jobs')
      .insert([
        {
          source_id: global.id,
          external_id: '1',
          content_hash: 'a',
          title: 'Welder',
          company: 'Sparks',
          posted_at: new Date(),
        },
        {
          source_id: otherSource.id,
          external_id: '2',
          content_hash: 'b',
          title: 'Hidden',
          company: 'X',
          posted_at: new Date(),
        },
      ])
      .returning('*')
  )
  const users: Record<string, string> = {}
  const memberships: Record<string, string> = {}
  for (const [name, role] of [
    ['learner', 'learner'],
    ['peer', 'learner'],
    ['staff', 'staff'],
    ['mentor', 'mentor'],
  ] as const) {
    const user = await createUser(`${name}@apps.test`)
    memberships[name] = await addMember(school.id, user.id, role)
    users[name] = (await login(user.email)).accessToken
  }
  return { school, job, otherJob, users, memberships, base: `/v1/schools/${school.id}` }
}

test.group('Applications', (group) => {
  freshState(group)

  test('a learner saves a job, moves it through statuses with notes, and sees the timeline', async ({
    client,
    assert,
  }) => {
    const fx = await setup()
    const created = await client
      .post(`${fx.base}/me/applications`)
      .bearerToken(fx.users.learner)
      .json({ jobId: fx.job.id, notes: 'Looks great' })
    created.assertStatus(201)
    const app = created.body()
    assert.equal(app.status, 'saved')
    assert.equal(app.job.title, 'Welder')
    assert.deepEqual(
      app.timeline.map((e: any) => [e.fromStatus, e.toStatus]),
      [[null, 'saved']]
    )

    const duplicate = await client
      .post(`${fx.base}/me/applications`)
      .bearerToken(fx.users.learner)
      .json({ jobId: fx.job.id })
    duplicate.assertStatus(409)

    const applied = await client
      .patch(`${fx.base}/me/applications/${app.id}`)
      .bearerToken(fx.users.learner)
      .json({ status: 'applied', note: 'Sent CV' })
    applied.assertStatus(200)
    assert.isString(applied.body().appliedAt)
    await client
      .patch(`${fx.base}/me/applications/${app.id}`)
      .bearerToken(fx.users.learner)
      .json({ note: 'Called them' })
    const interviewing = await client
      .patch(`${fx.base}/me/applications/${app.id}`)
      .bearerToken(fx.users.learner)
      .json({ status: 'interviewing', notes: 'Round 1 on Monday' })
    assert.equal(interviewing.body().notes, 'Round 1 on Monday')
    assert.deepEqual(
      interviewing.body().timeline.map((e: any) => [e.fromStatus, e.toStatus, e.note]),
      [
        [null, 'saved', null],
        ['saved', 'applied', 'Sent CV'],
        [null, null, 'Called them'],
        ['applied', 'interviewing', null],
      ]
    )
    const invalid = await client
      .patch(`${fx.base}/me/applications/${app.id}`)
      .bearerToken(fx.users.learner)
      .json({ status: 'hired' })
    invalid.assertStatus(422)

    const mine = await client
      .get(`${fx.base}/me/applications`)
      .qs({ status: 'interviewing' })
      .bearerToken(fx.users.learner)
    assert.deepEqual(
      mine.body().data.map((a: any) => a.id),
      [app.id]
    )
    const shown = await client
      .get(`${fx.base}/me/applications/${app.id}`)
      .bearerToken(fx.users.learner)
    assert.lengthOf(shown.body().timeline, 4)

    // another learner of the same school cannot see or change it
    ;(
      await client.get(`${fx.base}/me/applications/${app.id}`).bearerToken(fx.users.peer)
    ).assertStatus(404)
    ;(
      await client
        .patch(`${fx.base}/me/applications/${app.id}`)
        .bearerToken(fx.users.peer)
        .json({ status: 'withdrawn' })
    ).assertStatus(404)
    ;(
      await client.delete(`${fx.base}/me/applications/${app.id}`).bearerToken(fx.users.peer)
    ).assertStatus(404)
    assert.lengthOf(
      (await client.get(`${fx.base}/me/applications`).bearerToken(fx.users.peer)).body().data,
      0
    )

    const removed = await client
      .delete(`${fx.base}/me/applications/${app.id}`)
      .bearerToken(fx.users.learner)
    removed.assertStatus(204)
    assert.lengthOf(
      await asOwner((trx) => trx.from('application_events')),
      0,
      'the timeline goes with it'
    )
    const audit = await asOwner((trx) =>
      trx.from('audit_events').where('action', 'like', 'application.%').orderBy('id')
    )
    assert.deepEqual(
      audit.map((e: any) => e.action),
      [
        'application.created',
        'application.updated',
        'application.updated',
        'application.updated',
        'application.deleted',
      ]
    )
  })

  test("another school's job cannot be tracked; staff with applications.read_all list and filter", async ({
    client,
    assert,
  }) => {
    const fx = await setup()
    const hidden = await client
      .post(`${fx.base}/me/applications`)
      .bearerToken(fx.users.learner)
      .json({ jobId: fx.otherJob.id })
    hidden.assertStatus(422)
    assert.notInclude(JSON.stringify(hidden.body()), 'Hidden')

    await client
      .post(`${fx.base}/me/applications`)
      .bearerToken(fx.users.learner)
      .json({ jobId: fx.job.id, status: 'applied' })
    await client
      .post(`${fx.base}/me/applications`)
      .bearerToken(fx.users.peer)
      .json({ jobId: fx.job.id })

    const all = await client.get(`${fx.base}/applications`).bearerToken(fx.users.staff)
    all.assertStatus(200)
    assert.lengthOf(all.body().data, 2)
    const applied = await client
      .get(`${fx.base}/applications`)
      .qs({ status: 'applied' })
      .bearerToken(fx.users.staff)
    assert.deepEqual(
      applied.body().data.map((a: any) => a.membershipId),
      [fx.memberships.learner]
    )
    const byMember = await client
      .get(`${fx.base}/applications`)
      .qs({ membershipId: fx.memberships.peer, jobId: fx.job.id, limit: 1 })
      .bearerToken(fx.users.staff)
    assert.deepEqual(
      byMember.body().data.map((a: any) => a.status),
      ['saved']
    )

    ;(await client.get(`${fx.base}/applications`).bearerToken(fx.users.mentor)).assertStatus(403)
    ;(await client.get(`${fx.base}/applications`).bearerToken(fx.users.learner)).assertStatus(403)
  })
})
