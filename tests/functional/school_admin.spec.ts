import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import { freshState } from '#tests/helpers/database'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  login,
} from '#tests/helpers/fixtures'
import type { SchoolRole } from '#services/tenancy/permissions'

/* Documented in the README: which role may do what by default. */
const MATRIX: { action: string; method: 'get' | 'post'; path: string; allowed: SchoolRole[] }[] = [
  { action: 'list members', method: 'get', path: 'members', allowed: ['school_admin', 'staff'] },
  { action: 'list cohorts', method: 'get', path: 'cohorts', allowed: ['school_admin', 'staff'] },
  { action: 'create cohort', method: 'post', path: 'cohorts', allowed: ['school_admin', 'staff'] },
  { action: 'read audit log', method: 'get', path: 'audit-events', allowed: ['school_admin'] },
]

test.group('School administration', (group) => {
  freshState(group)

  test('permission matrix: each role x each admin action', async ({ client, assert }) => {
    const school = await createSchool('matrix')
    const tokens = {} as Record<SchoolRole, string>
    for (const role of ['school_admin', 'staff', 'mentor', 'learner'] as SchoolRole[]) {
      const user = await createUser(`${role}@matrix.test`)
      await addMember(school.id, user.id, role)
      tokens[role] = (await login(user.email)).accessToken
    }
    for (const entry of MATRIX) {
      for (const role of Object.keys(tokens) as SchoolRole[]) {
        const url = `/v1/schools/${school.id}/${entry.path}`
        const response =
          entry.method === 'post'
            ? await client
                .post(url)
                .bearerToken(tokens[role])
                .json({ name: `by ${role}` })
            : await client.get(url).bearerToken(tokens[role])
        const expected = entry.allowed.includes(role)
        assert.equal(
          response.status() < 300,
          expected,
          `${role} ${entry.action}: ${response.status()}`
        )
        if (!expected) assert.equal(response.status(), 403)
      }
    }
  })

  test('a school override and a per-member grant change effective permissions', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('override')
    const mentor = await createUser('mentor@override.test')
    const membership = await addMember(school.id, mentor.id, 'mentor')
    const { accessToken } = await login(mentor.email)
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(accessToken)).assertStatus(
      403
    )

    await asOwner((trx) =>
      trx
        .table('role_permissions')
        .insert({ school_id: school.id, role: 'mentor', permissions: ['cohorts.manage'] })
    )
    await redis.flushdb() // the fixture bypasses the API, which would invalidate the cached school context
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(accessToken)).assertStatus(
      200
    )

    await asOwner((trx) =>
      trx
        .from('memberships')
        .where('id', membership)
        .update({ extra_permissions: ['audit.read'] })
    )
    const me = await client.get('/v1/me').bearerToken(accessToken)
    assert.deepEqual(me.body().schools[0].permissions, ['audit.read', 'cohorts.manage'])
  })

  test('admins manage cohorts, members and mentors; every change is audited', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('ops')
    const admin = await createUser('admin@ops.test')
    await addMember(school.id, admin.id, 'school_admin')
    const mentorUser = await createUser('mentor@ops.test')
    const learnerUser = await createUser('learner@ops.test')
    const mentor = await addMember(school.id, mentorUser.id, 'mentor')
    const learner = await addMember(school.id, learnerUser.id, 'learner')
    const { accessToken } = await login(admin.email)
    const base = `/v1/schools/${school.id}`

    const bad = await client
      .post(`${base}/cohorts`)
      .bearerToken(accessToken)
      .json({ name: 'x', startsOn: '2027-02-01', endsOn: '2027-01-01' })
    bad.assertStatus(422)

    const cohort = await client
      .post(`${base}/cohorts`)
      .bearerToken(accessToken)
      .json({ name: 'Spring', term: '2027', startsOn: '2027-01-10', endsOn: '2027-06-01' })
    cohort.assertStatus(201)
    const cohortId = cohort.body().id
    ;(
      await client
        .post(`${base}/cohorts/${cohortId}/members`)
        .bearerToken(accessToken)
        .json({ membershipId: mentor, cohortRole: 'mentor' })
    ).assertStatus(201)
    ;(
      await client
        .post(`${base}/cohorts/${cohortId}/members`)
        .bearerToken(accessToken)
        .json({ membershipId: learner, cohortRole: 'learner' })
    ).assertStatus(201)
    ;(
      await client
        .post(`${base}/cohorts/${cohortId}/members`)
        .bearerToken(accessToken)
        .json({ membershipId: learner, cohortRole: 'learner' })
    ).assertStatus(409)
    ;(
      await client
        .post(`${base}/cohorts/${cohortId}/mentor-assignments`)
        .bearerToken(accessToken)
        .json({ mentorMembershipId: mentor, learnerMembershipId: learner })
    ).assertStatus(201)
    ;(
      await client
        .post(`${base}/cohorts/${cohortId}/mentor-assignments`)
        .bearerToken(accessToken)
        .json({ mentorMembershipId: learner, learnerMembershipId: mentor })
    ).assertStatus(422)

    const members = await client
      .get(`${base}/members`)
      .qs({ cohortId, role: 'learner' })
      .bearerToken(accessToken)
    members.assertStatus(200)
    assert.deepEqual(
      members.body().data.map((m: { email: string }) => m.email),
      ['learner@ops.test']
    )

    const page1 = await client.get(`${base}/members`).qs({ limit: 2 }).bearerToken(accessToken)
    assert.lengthOf(page1.body().data, 2)
    const page2 = await client
      .get(`${base}/members`)
      .qs({ limit: 2, cursor: page1.body().nextCursor })
      .bearerToken(accessToken)
    assert.lengthOf(page2.body().data, 1)
    assert.isNull(page2.body().nextCursor)

    // Suspending a member cuts their access to this school on the next request.
    const { accessToken: learnerToken } = await login(learnerUser.email)
    const meBefore = await client.get('/v1/me').bearerToken(learnerToken)
    assert.lengthOf(meBefore.body().schools, 1)
    ;(
      await client
        .patch(`${base}/members/${learner}`)
        .bearerToken(accessToken)
        .json({ status: 'suspended' })
    ).assertStatus(200)
    const meAfter = await client.get('/v1/me').bearerToken(learnerToken)
    assert.lengthOf(meAfter.body().schools, 0)

    const audit = await client.get(`${base}/audit-events`).bearerToken(accessToken)
    const actions = audit.body().data.map((event: { action: string }) => event.action)
    assert.includeMembers(actions, [
      'cohort.created',
      'cohort.member_added',
      'cohort.mentor_assigned',
      'membership.updated',
    ])
    assert.isString(audit.body().data[0].requestId)
  })

  test('platform admins create schools; others may not', async ({ client, assert }) => {
    const root = await createUser('root@platform.test', { platformAdmin: true })
    const nobody = await createUser('nobody@platform.test')
    const { accessToken } = await login(root.email)
    const created = await client
      .post('/v1/platform/schools')
      .bearerToken(accessToken)
      .json({ slug: 'new-school', name: 'New School' })
    created.assertStatus(201)
    ;(
      await client
        .post('/v1/platform/schools')
        .bearerToken(accessToken)
        .json({ slug: 'new-school', name: 'Again' })
    ).assertStatus(409)
    const other = await login(nobody.email)
    ;(
      await client
        .post('/v1/platform/schools')
        .bearerToken(other.accessToken)
        .json({ slug: 'x-school', name: 'X' })
    ).assertStatus(403)
    const list = await client.get('/v1/platform/schools').bearerToken(accessToken)
    assert.lengthOf(list.body().data, 1)
    const cohort = await createCohort(created.body().id)
    assert.isString(cohort)
  })

  test('platform admins rename and suspend a school; its members then lose access', async ({
    client,
    assert,
  }) => {
    const root = await createUser('root@platform.test', { platformAdmin: true })
    const school = await createSchool('to-suspend')
    const admin = await createUser('admin@to-suspend.test')
    await addMember(school.id, admin.id, 'school_admin')
    const { accessToken } = await login(root.email)
    const adminToken = (await login(admin.email)).accessToken
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(adminToken)).assertStatus(
      200
    )

    // Not a platform admin: refused, and nothing changes.
    ;(
      await client
        .patch(`/v1/platform/schools/${school.id}`)
        .bearerToken(adminToken)
        .json({ status: 'suspended' })
    ).assertStatus(403)

    const renamed = await client
      .patch(`/v1/platform/schools/${school.id}`)
      .bearerToken(accessToken)
      .json({ name: 'Renamed School', allowedEmailDomains: ['to-suspend.test'] })
    renamed.assertStatus(200)
    assert.equal(renamed.body().name, 'Renamed School')
    assert.equal(renamed.body().status, 'active')
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(adminToken)).assertStatus(
      200
    )

    const suspended = await client
      .patch(`/v1/platform/schools/${school.id}`)
      .bearerToken(accessToken)
      .json({ status: 'suspended' })
    suspended.assertStatus(200)
    assert.equal(suspended.body().status, 'suspended')
    // The cached school context is invalidated: the suspension applies on the next request.
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(adminToken)).assertStatus(
      404
    )

    const [row] = await asOwner((trx) => trx.from('schools').where('id', school.id))
    assert.include(row, { name: 'Renamed School', status: 'suspended' })
    const audit = await asOwner((trx) =>
      trx.from('audit_events').where({ action: 'school.updated', target_id: school.id })
    )
    assert.lengthOf(audit, 2)
    ;(
      await client
        .patch(`/v1/platform/schools/${school.id}`)
        .bearerToken(accessToken)
        .json({ status: 'deleted' })
    ).assertStatus(422)
  })

  test('admins rename and archive a cohort and remove a member; learners may not', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('cohort-ops')
    const admin = await createUser('admin@cohort-ops.test')
    await addMember(school.id, admin.id, 'school_admin')
    const learnerUser = await createUser('learner@cohort-ops.test')
    const learner = await addMember(school.id, learnerUser.id, 'learner')
    const cohortId = await createCohort(school.id, 'Autumn')
    await asOwner((trx) =>
      trx.table('cohort_members').insert({
        school_id: school.id,
        cohort_id: cohortId,
        membership_id: learner,
        cohort_role: 'learner',
      })
    )
    const adminToken = (await login(admin.email)).accessToken
    const learnerToken = (await login(learnerUser.email)).accessToken
    const cohortPath = `/v1/schools/${school.id}/cohorts/${cohortId}`

    ;(
      await client.patch(cohortPath).bearerToken(learnerToken).json({ name: 'Mine now' })
    ).assertStatus(403)
    ;(
      await client.delete(`${cohortPath}/members/${learner}`).bearerToken(learnerToken)
    ).assertStatus(403)

    const renamed = await client
      .patch(cohortPath)
      .bearerToken(adminToken)
      .json({ name: 'Autumn 2027', term: 'fall', archived: true })
    renamed.assertStatus(200)
    assert.equal(renamed.body().name, 'Autumn 2027')
    const [cohortRow] = await asOwner((trx) => trx.from('cohorts').where('id', cohortId))
    assert.include(cohortRow, { name: 'Autumn 2027', term: 'fall' })
    assert.isNotNull(cohortRow.archived_at)

    ;(await client.delete(`${cohortPath}/members/${learner}`).bearerToken(adminToken)).assertStatus(
      204
    )
    const left = await asOwner((trx) => trx.from('cohort_members').where('cohort_id', cohortId))
    assert.lengthOf(left, 0)
    ;(await client.delete(`${cohortPath}/members/${learner}`).bearerToken(adminToken)).assertStatus(
      404
    )

    const actions = await asOwner((trx) =>
      trx.from('audit_events').where('school_id', school.id).select('action')
    )
    assert.includeMembers(
      actions.map((row) => row.action),
      ['cohort.updated', 'cohort.member_removed']
    )
  })

  test('school admins replace and reset a role permission set through the API', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('roles')
    const admin = await createUser('admin@roles.test')
    const staff = await createUser('staff@roles.test')
    const mentor = await createUser('mentor@roles.test')
    await addMember(school.id, admin.id, 'school_admin')
    await addMember(school.id, staff.id, 'staff')
    await addMember(school.id, mentor.id, 'mentor')
    const adminToken = (await login(admin.email)).accessToken
    const staffToken = (await login(staff.email)).accessToken
    const mentorToken = (await login(mentor.email)).accessToken
    const base = `/v1/schools/${school.id}/roles`

    ;(
      await client
        .put(`${base}/mentor/permissions`)
        .bearerToken(staffToken)
        .json({ permissions: ['cohorts.manage'] })
    ).assertStatus(403)
    ;(
      await client
        .put(`${base}/school_admin/permissions`)
        .bearerToken(adminToken)
        .json({ permissions: ['audit.read'] })
    ).assertStatus(422)
    ;(
      await client
        .put(`${base}/nobody/permissions`)
        .bearerToken(adminToken)
        .json({ permissions: [] })
    ).assertStatus(404)
    ;(
      await client
        .put(`${base}/mentor/permissions`)
        .bearerToken(adminToken)
        .json({ permissions: ['not.a.permission'] })
    ).assertStatus(422)

    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(mentorToken)).assertStatus(
      403
    )
    const updated = await client
      .put(`${base}/mentor/permissions`)
      .bearerToken(adminToken)
      .json({ permissions: ['cohorts.manage', 'profiles.read_assigned'] })
    updated.assertStatus(200)
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(mentorToken)).assertStatus(
      200
    )

    const roles = await client.get(base).bearerToken(adminToken)
    const mentorRole = roles.body().data.find((row: { role: string }) => row.role === 'mentor')
    assert.deepEqual(mentorRole, {
      role: 'mentor',
      permissions: ['cohorts.manage', 'profiles.read_assigned'],
      overridden: true,
    })

    ;(await client.delete(`${base}/mentor/permissions`).bearerToken(adminToken)).assertStatus(204)
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(mentorToken)).assertStatus(
      403
    )
  })
})
