import { test } from '@japa/runner'
import { resetState } from '#tests/helpers/database'
import { addMember, createCohort, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { addToCohort, assignMentor, seedSkills } from '#tests/helpers/profiles_helpers'
import { withTenant } from '#services/platform/tenant_context'
import {
  computeProfileCompletion,
  notificationPreferences,
} from '#services/profiles/profile_completion'

async function learnerIn(slug: string) {
  const school = await createSchool(slug)
  const user = await createUser(`learner@${slug}.test`)
  const membershipId = await addMember(school.id, user.id, 'learner')
  const { accessToken } = await login(user.email)
  return { school, user, membershipId, token: accessToken, base: `/v1/schools/${school.id}` }
}

test.group('Profiles', (group) => {
  group.each.setup(async () => {
    await resetState()
    await seedSkills()
  })

  test('an empty profile scores 0 and names every section', async ({ client, assert }) => {
    const { base, token } = await learnerIn('empty')
    const response = await client.get(`${base}/me/profile/completion`).bearerToken(token)
    response.assertStatus(200)
    assert.deepEqual(response.body(), {
      score: 0,
      missing: ['education', 'experience', 'skills', 'preferences'],
    })
  })

  test('sections CRUD, reorder and completion scoring', async ({ client, assert }) => {
    const { base, token, school, membershipId } = await learnerIn('crud')
    const first = await client.post(`${base}/me/profile/education`).bearerToken(token).json({
      institution: 'State University',
      degree: 'BSc',
      field: 'CS',
      startDate: '2019-09-01',
      endDate: '2023-06-30',
    })
    first.assertStatus(201)
    const second = await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: 'Community College', startDate: '2017-09-01', endDate: '2019-06-30' })
    second.assertStatus(201)

    let completion = await client.get(`${base}/me/profile/completion`).bearerToken(token)
    assert.deepEqual(completion.body(), {
      score: 25,
      missing: ['experience', 'skills', 'preferences'],
    })

    ;(
      await client
        .put(`${base}/me/profile/education/order`)
        .bearerToken(token)
        .json({ ids: [second.body().id, first.body().id] })
    ).assertStatus(204)
    let profile = await client.get(`${base}/me/profile`).bearerToken(token)
    assert.deepEqual(
      profile.body().education.map((e: any) => e.institution),
      ['Community College', 'State University']
    )

    const updated = await client
      .patch(`${base}/me/profile/education/${first.body().id}`)
      .bearerToken(token)
      .json({ degree: 'MSc' })
    updated.assertStatus(200)
    assert.equal(updated.body().degree, 'MSc')

    ;(
      await client
        .post(`${base}/me/profile/experience`)
        .bearerToken(token)
        .json({ organization: 'Acme', title: 'Intern', startDate: '2022-06-01', current: true })
    ).assertStatus(201)
    ;(
      await client
        .post(`${base}/me/profile/skills`)
        .bearerToken(token)
        .json({ skill: 'TypeScript', level: 'advanced' })
    ).assertStatus(201)
    ;(
      await client
        .patch(`${base}/me/profile`)
        .bearerToken(token)
        .json({
          headline: 'Aspiring engineer',
          preferences: {
            jobTypes: ['full_time'],
            remote: 'hybrid',
            locations: ['Berlin'],
            salaryMin: 40000,
            salaryMax: 60000,
            salaryCurrency: 'EUR',
          },
          notifications: {
            optOut: ['sms'],
            quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Berlin' },
          },
        })
    ).assertStatus(200)

    completion = await client.get(`${base}/me/profile/completion`).bearerToken(token)
    assert.deepEqual(completion.body(), { score: 100, missing: [] })

    // the exported contract agrees with the API
    const fromService = await withTenant({ schoolId: school.id }, (trx) =>
      Promise.all([
        computeProfileCompletion(trx, school.id, membershipId),
        notificationPreferences(trx, school.id, membershipId),
      ])
    )
    assert.deepEqual(fromService[0], { score: 100, missing: [] })
    assert.deepEqual(fromService[1], {
      optOut: ['sms'],
      quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Berlin' },
    })

    ;(
      await client.delete(`${base}/me/profile/education/${first.body().id}`).bearerToken(token)
    ).assertStatus(204)
    ;(
      await client.delete(`${base}/me/profile/education/${second.body().id}`).bearerToken(token)
    ).assertStatus(204)
    completion = await client.get(`${base}/me/profile/completion`).bearerToken(token)
    assert.deepEqual(completion.body(), { score: 75, missing: ['education'] })
    profile = await client.get(`${base}/me/profile`).bearerToken(token)
    assert.equal(profile.body().headline, 'Aspiring engineer')
    assert.equal(profile.body().preferences.salaryCurrency, 'EUR')
  })

  test('experience and skills: edit, reorder and delete entries', async ({ client, assert }) => {
    const { base, token } = await learnerIn('sections')
    const experience = []
    for (const organization of ['Acme', 'Globex']) {
      const created = await client
        .post(`${base}/me/profile/experience`)
        .bearerToken(token)
        .json({ organization, title: 'Intern', startDate: '2022-06-01', endDate: '2022-09-01' })
      created.assertStatus(201)
      experience.push(created.body().id as string)
    }
    const skills = []
    for (const skill of ['go', 'TypeScript']) {
      const created = await client
        .post(`${base}/me/profile/skills`)
        .bearerToken(token)
        .json({ skill })
      created.assertStatus(201)
      skills.push(created.body().id as string)
    }

    const edited = await client
      .patch(`${base}/me/profile/experience/${experience[0]}`)
      .bearerToken(token)
      .json({ title: 'Engineer' })
    edited.assertStatus(200)
    assert.equal(edited.body().title, 'Engineer')

    ;(
      await client
        .put(`${base}/me/profile/experience/order`)
        .bearerToken(token)
        .json({ ids: [experience[1], experience[0]] })
    ).assertStatus(204)
    ;(
      await client
        .put(`${base}/me/profile/skills/order`)
        .bearerToken(token)
        .json({ ids: [skills[1], skills[0]] })
    ).assertStatus(204)
    let profile = await client.get(`${base}/me/profile`).bearerToken(token)
    assert.deepEqual(
      profile.body().experience.map((e: any) => [e.organization, e.title]),
      [
        ['Globex', 'Intern'],
        ['Acme', 'Engineer'],
      ]
    )
    assert.deepEqual(
      profile.body().skills.map((e: any) => e.id),
      [skills[1], skills[0]]
    )
    // An order that leaves out an entry is refused.
    ;(
      await client
        .put(`${base}/me/profile/skills/order`)
        .bearerToken(token)
        .json({ ids: [skills[0]] })
    ).assertStatus(422)

    ;(
      await client.delete(`${base}/me/profile/experience/${experience[0]}`).bearerToken(token)
    ).assertStatus(204)
    ;(
      await client.delete(`${base}/me/profile/skills/${skills[1]}`).bearerToken(token)
    ).assertStatus(204)
    ;(
      await client.delete(`${base}/me/profile/skills/${skills[1]}`).bearerToken(token)
    ).assertStatus(404)
    profile = await client.get(`${base}/me/profile`).bearerToken(token)
    assert.deepEqual(
      profile.body().experience.map((e: any) => e.organization),
      ['Globex']
    )
    assert.deepEqual(
      profile.body().skills.map((e: any) => e.id),
      [skills[0]]
    )
  })

  test('skills map aliases to the normalized list and refuse unknown ones', async ({
    client,
    assert,
  }) => {
    const { base, token } = await learnerIn('skills')
    const alias = await client
      .post(`${base}/me/profile/skills`)
      .bearerToken(token)
      .json({ skill: 'k8s' })
    alias.assertStatus(201)
    assert.equal(alias.body().skill, 'kubernetes')
    assert.equal(alias.body().name, 'Kubernetes')
    const duplicate = await client
      .post(`${base}/me/profile/skills`)
      .bearerToken(token)
      .json({ skill: 'Kubernetes' })
    duplicate.assertStatus(409)
    const unknown = await client
      .post(`${base}/me/profile/skills`)
      .bearerToken(token)
      .json({ skill: 'Basket weaving 9000' })
    unknown.assertStatus(422)
    assert.equal(unknown.body().errors[0].field, 'skill')
    const level = await client
      .patch(`${base}/me/profile/skills/${alias.body().id}`)
      .bearerToken(token)
      .json({ level: 'expert' })
    level.assertStatus(200)
    assert.equal(level.body().level, 'expert')
    const list = await client.get(`${base}/skills?search=golang`).bearerToken(token)
    list.assertStatus(200)
    assert.deepEqual(
      list.body().data.map((s: any) => s.slug),
      ['go']
    )
  })

  test('validation: dates in order, bounded lengths, HTML stripped', async ({ client, assert }) => {
    const { base, token } = await learnerIn('valid')
    const reversed = await client
      .post(`${base}/me/profile/experience`)
      .bearerToken(token)
      .json({ organization: 'Acme', title: 'Dev', startDate: '2023-01-01', endDate: '2022-01-01' })
    reversed.assertStatus(422)
    assert.equal(reversed.body().errors[0].field, 'endDate')
    const currentWithEnd = await client
      .post(`${base}/me/profile/experience`)
      .bearerToken(token)
      .json({
        organization: 'Acme',
        title: 'Dev',
        startDate: '2021-01-01',
        endDate: '2022-01-01',
        current: true,
      })
    currentWithEnd.assertStatus(422)
    const tooLong = await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: 'x'.repeat(201) })
    tooLong.assertStatus(422)
    const badDate = await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: 'U', startDate: '2020-13-01' })
    badDate.assertStatus(422)
    const onlyTags = await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: '<b></b>' })
    onlyTags.assertStatus(422)
    const html = await client.post(`${base}/me/profile/experience`).bearerToken(token).json({
      organization: '<script>alert(1)</script>Acme <b>Corp</b>',
      title: 'Dev',
      description: '<img src=x onerror=alert(1)>Built <i>things</i> & more',
    })
    html.assertStatus(201)
    assert.equal(html.body().organization, 'Acme Corp')
    assert.equal(html.body().description, 'Built things & more')
    // an update may not reverse the stored dates either
    const entry = await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: 'U', startDate: '2020-01-01', endDate: '2021-01-01' })
    const reversedUpdate = await client
      .patch(`${base}/me/profile/education/${entry.body().id}`)
      .bearerToken(token)
      .json({ startDate: '2022-01-01' })
    reversedUpdate.assertStatus(422)
    const salary = await client
      .patch(`${base}/me/profile`)
      .bearerToken(token)
      .json({ preferences: { salaryMin: 50000, salaryMax: 10000 } })
    salary.assertStatus(422)
    const quiet = await client
      .patch(`${base}/me/profile`)
      .bearerToken(token)
      .json({ notifications: { quietHours: { start: '25:00', end: '07:00', timezone: 'UTC' } } })
    quiet.assertStatus(422)
    const reorderWrong = await client
      .put(`${base}/me/profile/education/order`)
      .bearerToken(token)
      .json({ ids: [crypto.randomUUID()] })
    reorderWrong.assertStatus(422)
  })

  test('profiles are per membership: another school sees nothing of them', async ({
    client,
    assert,
  }) => {
    const a = await learnerIn('school-a')
    const b = await createSchool('school-b')
    const bMembership = await addMember(b.id, a.user.id, 'learner')
    const entry = await client
      .post(`${a.base}/me/profile/education`)
      .bearerToken(a.token)
      .json({ institution: 'Only in A' })
    entry.assertStatus(201)
    const inB = await client.get(`/v1/schools/${b.id}/me/profile`).bearerToken(a.token)
    inB.assertStatus(200)
    assert.equal(inB.body().membershipId, bMembership)
    assert.lengthOf(inB.body().education, 0)
    // an entry id from school A is not found through school B
    const cross = await client
      .delete(`/v1/schools/${b.id}/me/profile/education/${entry.body().id}`)
      .bearerToken(a.token)
    cross.assertStatus(404)
    // staff of school B cannot read school A's learner
    const staff = await createUser('staff@school-b.test')
    await addMember(b.id, staff.id, 'staff')
    const staffToken = (await login(staff.email)).accessToken
    const foreign = await client
      .get(`/v1/schools/${b.id}/learners/${a.membershipId}/profile`)
      .bearerToken(staffToken)
    foreign.assertStatus(404)
    const foreignSchool = await client.get(`${a.base}/me/profile`).bearerToken(staffToken)
    foreignSchool.assertStatus(404)
  })

  test('staff read any learner; mentors only assigned learners; learners only themselves', async ({
    client,
    assert,
  }) => {
    const { school, base, membershipId, token } = await learnerIn('scope')
    await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: 'Scope U' })
    const other = await createUser('other@scope.test')
    const otherMembership = await addMember(school.id, other.id, 'learner')
    const staff = await createUser('staff@scope.test')
    await addMember(school.id, staff.id, 'staff')
    const mentor = await createUser('mentor@scope.test')
    const mentorMembership = await addMember(school.id, mentor.id, 'mentor')
    const cohort = await createCohort(school.id)
    await addToCohort(school.id, cohort, membershipId, 'learner')
    await addToCohort(school.id, cohort, mentorMembership, 'mentor')
    await assignMentor(school.id, cohort, mentorMembership, membershipId)

    const staffToken = (await login(staff.email)).accessToken
    const mentorToken = (await login(mentor.email)).accessToken
    const otherToken = (await login(other.email)).accessToken
    const url = `${base}/learners/${membershipId}/profile`

    const byStaff = await client.get(url).bearerToken(staffToken)
    byStaff.assertStatus(200)
    assert.equal(byStaff.body().education[0].institution, 'Scope U')
    ;(await client.get(url).bearerToken(mentorToken)).assertStatus(200)
    ;(
      await client.get(`${base}/learners/${otherMembership}/profile`).bearerToken(mentorToken)
    ).assertStatus(403)
    ;(await client.get(url).bearerToken(otherToken)).assertStatus(403)
    ;(
      await client.get(`${base}/learners/${otherMembership}/profile`).bearerToken(otherToken)
    ).assertStatus(200)
  })
})
