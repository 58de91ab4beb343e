import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import type { TemporalConfig } from '#config/temporal'
import { resetState } from '#tests/helpers/database'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  login,
} from '#tests/helpers/fixtures'
import { addToCohort, seedSkills } from '#tests/helpers/profiles_helpers'
import { startTestWorker } from '#tests/helpers/temporal'

test.group('Reports (Temporal + S3)', (group) => {
  let worker: Awaited<ReturnType<typeof startTestWorker>>
  group.setup(async () => {
    // API-started workflows go to config temporal.taskQueue: the worker polls that queue.
    worker = await startTestWorker(app.config.get<TemporalConfig>('temporal').taskQueue)
    return () => worker.stop()
  })
  group.each.setup(async () => {
    await resetState()
    await seedSkills()
  })

  test('a cohort profile-completion CSV is generated end to end, formulas escaped', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('reports')
    const staff = await createUser('staff@reports.test')
    await addMember(school.id, staff.id, 'staff')
    const base = `/v1/schools/${school.id}`
    const cohort = await createCohort(school.id)
    const members: Record<string, { id: string; token: string }> = {}
    for (const name of ['ann', 'bob', 'out']) {
      const user = await createUser(`${name}@reports.test`)
      const id = await addMember(school.id, user.id, 'learner')
      members[name] = { id, token: (await login(user.email)).accessToken }
      if (name !== 'out') await addToCohort(school.id, cohort, id, 'learner')
    }
    await client
      .post(`${base}/me/profile/skills`)
      .bearerToken(members.ann.token)
      .json({ skill: 'go' })
    await client
      .post(`${base}/me/profile/education`)
      .bearerToken(members.ann.token)
      .json({ institution: 'State University' })
    // Names that a spreadsheet would run as formulas must reach the CSV as plain text.
    await asOwner((trx) =>
      trx.from('users').where('email', 'ann@reports.test').update({ full_name: '=HYPERLINK("x")' })
    )
    await asOwner((trx) =>
      trx.from('users').where('email', 'bob@reports.test').update({ full_name: '@SUM(1)' })
    )
    const staffToken = (await login(staff.email)).accessToken

    // learners may not start reports
    ;(
      await client.post(`${base}/reports`).bearerToken(members.ann.token).json({ cohortId: cohort })
    ).assertStatus(403)

    const started = await client
      .post(`${base}/reports`)
      .bearerToken(staffToken)
      .json({ cohortId: cohort })
    started.assertStatus(202)
    assert.equal(started.body().status, 'pending')
    const id = started.body().id

    // the workflow's result is the signal that it finished (no sleeps)
    const temporal = await app.container.make('temporal.client')
    await temporal.workflow.getHandle(`report:${school.id}:${id}`).result()

    const shown = await client.get(`${base}/reports/${id}`).bearerToken(staffToken)
    shown.assertStatus(200)
    assert.equal(shown.body().status, 'ready')
    assert.equal(shown.body().rowCount, 2)
    const csv = await (await fetch(shown.body().downloadUrl)).text()
    const lines = csv.trim().split('\n')
    assert.equal(lines[0], 'membership_id,email,name,score,missing')
    assert.deepEqual(lines.slice(1), [
      `${members.ann.id},ann@reports.test,"'=HYPERLINK(""x"")",50,experience preferences`,
      `${members.bob.id},bob@reports.test,'@SUM(1),0,education experience skills preferences`,
    ])

    // reports of another school are invisible
    const other = await createSchool('reports-other')
    const otherStaff = await createUser('staff@reports-other.test')
    await addMember(other.id, otherStaff.id, 'staff')
    const otherToken = (await login(otherStaff.email)).accessToken
    ;(
      await client.get(`/v1/schools/${other.id}/reports/${id}`).bearerToken(otherToken)
    ).assertStatus(404)
    ;(
      await client
        .post(`/v1/schools/${other.id}/reports`)
        .bearerToken(otherToken)
        .json({ cohortId: cohort })
    ).assertStatus(404)
  })
})
