import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import { resetDatabase, resetState } from '#tests/helpers/database'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  login,
} from '#tests/helpers/fixtures'
import { seedSkills } from '#tests/helpers/profiles_helpers'
import { seedSchoolEverywhere } from '#tests/helpers/tenant_seed'
import { deleteSchedule } from '#services/jobs/schedule_service'

/** A snapshot of school B's tenant rows, compared before and after every attack. */
async function schoolSnapshot(schoolId: string, tables: string[]) {
  return asOwner(async (trx) => {
    const snapshot: Record<string, unknown[]> = {}
    for (const table of tables) {
      snapshot[table] = await trx.from(table).where('school_id', schoolId).orderByRaw('1')
    }
    return snapshot
  })
}

async function twoSchools() {
  const schoolA = await createSchool('school-a')
  const schoolB = await createSchool('school-b')
  const adminA = await createUser('admin-a@a.test')
  const adminB = await createUser('admin-b@b.test')
  const learnerB = await createUser('learner-b@b.test')
  await addMember(schoolA.id, adminA.id, 'school_admin')
  const adminBMembership = await addMember(schoolB.id, adminB.id, 'school_admin')
  const learnerBMembership = await addMember(schoolB.id, learnerB.id, 'learner')
  const cohortB = await createCohort(schoolB.id, 'B cohort')
  return { schoolA, schoolB, adminA, adminB, adminBMembership, learnerBMembership, cohortB }
}

test.group('Tenant isolation (database)', (group) => {
  group.each.setup(() => resetDatabase())

  test('the app role sees no tenant rows without school context, and only its school with one', async ({
    assert,
  }) => {
    const { schoolA, schoolB } = await twoSchools()
    await createCohort(schoolA.id, 'A cohort')

    const bare = await db.from('cohorts').count('* as n')
    assert.equal(Number(bare[0].n), 0)
    const bareMembers = await db.from('memberships').count('* as n')
    assert.equal(Number(bareMembers[0].n), 0)

    await db.transaction(async (trx) => {
      await trx.rawQuery(`select set_config('app.school_id', ?, true)`, [schoolA.id])
      const rows = await trx.from('cohorts').select('school_id')
      assert.isAbove(rows.length, 0)
      assert.isTrue(rows.every((row) => row.school_id === schoolA.id))
      const fromB = await trx.from('memberships').where('school_id', schoolB.id)
      assert.lengthOf(fromB, 0)
    })
  })

  test('the database refuses cross-school references and RLS bypass', async ({ assert }) => {
    const { schoolA, learnerBMembership } = await twoSchools()
    const cohortA = await createCohort(schoolA.id, 'A cohort')
    const error = await asOwner((trx) =>
      trx.table('cohort_members').insert({
        school_id: schoolA.id,
        cohort_id: cohortA,
        membership_id: learnerBMembership,
        cohort_role: 'learner',
      })
    ).catch((e) => e)
    assert.equal(error.code, '23503', 'composite foreign key rejects a member of another school')

    const role = await db.rawQuery(
      `select rolbypassrls, rolsuper from pg_roles where rolname = current_user`
    )
    assert.deepEqual(role.rows[0], { rolbypassrls: false, rolsuper: false })

    // The app role may never rewrite the audit log; a row exists, so a silent no-op would not pass.
    await asOwner((trx) => trx.table('audit_events').insert({ action: 'existing' }))
    const update = await db
      .from('audit_events')
      .update({ action: 'x' })
      .catch((e) => e)
    assert.instanceOf(update, Error, 'UPDATE on audit_events must be refused')
    assert.equal(update.code, '42501', 'the app role has no UPDATE grant on audit_events')
    const kept = await asOwner((trx) => trx.from('audit_events').where('action', 'existing'))
    assert.lengthOf(kept, 1)
    const trigger = await asOwner(async (trx) => {
      await trx.table('audit_events').insert({ action: 'probe' })
      return trx
        .from('audit_events')
        .delete()
        .catch((e: Error) => e)
    })
    assert.match(String(trigger), /append-only/)
  })
})

test.group('Tenant isolation (every school route, attacked from another school)', (group) => {
  group.each.setup(async () => {
    await resetState()
    await seedSkills()
  })

  test("no route of school B answers or changes anything for school A's admin", async ({
    client,
    assert,
    cleanup,
  }) => {
    const fx = await twoSchools()
    const seedB = await seedSchoolEverywhere(fx.schoolB.id, 'b-seed')
    await seedSchoolEverywhere(fx.schoolA.id, 'a-seed')
    cleanup(async () => {
      // Sources the sweep created in school A own Temporal schedules: remove them.
      const sources = await asOwner((trx) => trx.from('job_sources').select('id'))
      for (const { id } of sources) await deleteSchedule(id).catch(() => undefined)
    })
    const { accessToken } = await login('admin-a@a.test')
    const tables = seedB.tables
    const before = await schoolSnapshot(fx.schoolB.id, tables)

    const schoolRoutes = Object.values(router.toJSON())
      .flat()
      .filter((route) => route.pattern.startsWith('/v1/schools/:schoolId'))
    assert.isAbove(schoolRoutes.length, 5)

    /** Ids of school B's rows, by the path segment that precedes the parameter. */
    const idOfB: Record<string, string> = {
      'members': fx.learnerBMembership,
      'learners': seedB.learnerMembershipId,
      'cohorts': fx.cohortB,
      'roles': 'mentor',
      'job-sources': seedB.jobSourceId,
      'jobs': seedB.jobId,
      'applications': seedB.applicationId,
      'education': seedB.educationId,
      'experience': seedB.experienceId,
      'skills': seedB.skillEntryId,
      'resumes': seedB.resumeId,
      'reports': seedB.reportId,
      'invitations': seedB.invitationId,
      'oauth-clients': seedB.machineClientId,
    }
    /*
     * A body each route accepts, naming school B's rows wherever it takes an id, so the
     * request gets past validation into the handler. Every route that takes a body
     * needs an entry: a new route fails here until it has one.
     */
    const validBodies: Record<string, Record<string, unknown>> = {
      'PATCH members/:membershipId': { role: 'school_admin', status: 'suspended' },
      'POST cohorts': { name: 'hijacked' },
      'PATCH cohorts/:cohortId': { name: 'hijacked', archived: true },
      'POST cohorts/:cohortId/members': {
        membershipId: fx.learnerBMembership,
        cohortRole: 'learner',
      },
      'POST cohorts/:cohortId/mentor-assignments': {
        mentorMembershipId: seedB.mentorMembershipId,
        learnerMembershipId: seedB.learnerMembershipId,
      },
      'PUT roles/:role/permissions': { permissions: ['audit.read'] },
      'POST job-sources': {
        name: 'hijacked',
        kind: 'json_feed',
        url: 'https://feed.example/jobs.json',
        paused: true,
      },
      'PATCH job-sources/:id': { name: 'hijacked' },
      'POST job-sources/:id/run': {},
      'POST job-sources/:id/pause': {},
      'POST job-sources/:id/resume': {},
      'POST me/applications': { jobId: seedB.jobId },
      'PATCH me/applications/:id': { status: 'applied', note: 'hijacked' },
      'PATCH me/profile': { headline: 'hijacked' },
      'POST me/profile/education': { institution: 'hijacked' },
      'PUT me/profile/education/order': { ids: [seedB.educationId] },
      'PATCH me/profile/education/:id': { institution: 'hijacked' },
      'POST me/profile/experience': { organization: 'hijacked', title: 'hijacked' },
      'PUT me/profile/experience/order': { ids: [seedB.experienceId] },
      'PATCH me/profile/experience/:id': { title: 'hijacked' },
      'POST me/profile/skills': { skill: 'go' },
      'PUT me/profile/skills/order': { ids: [seedB.skillEntryId] },
      'PATCH me/profile/skills/:id': { level: 'expert' },
      'POST me/resumes': { filename: 'cv.pdf', contentType: 'application/pdf' },
      'POST me/resumes/:id/complete': {},
      'POST me/resumes/:id/default': {},
      'POST reports': { cohortId: fx.cohortB },
      'POST invitations': {
        email: 'new-staff@a.test',
        role: 'school_admin',
        cohortIds: [fx.cohortB],
      },
      'POST invitations/:id/revoke': {},
      'POST invitations/:id/resend': {},
      'POST mfa-recoveries/:id/approve': {},
      'POST mfa-recoveries/:id/deny': {},
      'POST oauth-clients': { name: 'hijacked', scopes: ['roster.write'] },
      'POST oauth-clients/:clientId/rotate': {},
      'POST roster/sync': {
        learners: [{ email: 'learner-b@b.test', cohortIds: [fx.cohortB] }],
      },
    }
    /* Values of school B that no answer to school A's admin may contain. */
    const secretsOfB = [
      fx.learnerBMembership,
      'learner-b@b.test',
      seedB.learnerEmail,
      seedB.learnerMembershipId,
      seedB.applicationId,
      seedB.educationId,
      seedB.experienceId,
      seedB.resumeId,
      seedB.reportId,
      seedB.invitationId,
      seedB.machineClientId,
      'b-seed',
    ]

    for (const route of schoolRoutes) {
      const relative = route.pattern.replace('/v1/schools/:schoolId/', '')
      for (const method of route.methods.filter((m) => m !== 'HEAD')) {
        const key = `${method} ${relative}`
        const body = method === 'GET' || method === 'DELETE' ? undefined : validBodies[key]
        if (method !== 'GET' && method !== 'DELETE') {
          assert.isDefined(body, `${key}: add a valid body to the sweep`)
        }
        // 1. school B in the path; 2. school A in the path with B's ids nested in it.
        for (const schoolId of [fx.schoolB.id, fx.schoolA.id]) {
          const path = route.pattern.replace(/\/([^/]+)\/:([A-Za-z]+)/g, (_, segment, name) =>
            name === 'schoolId'
              ? `/${segment}/${schoolId}`
              : `/${segment}/${idOfB[segment] ?? crypto.randomUUID()}`
          )
          let request = client
            .request(`${path}?school_id=${fx.schoolB.id}&cohortId=${fx.cohortB}`, method as 'GET')
            .bearerToken(accessToken)
          if (body) request = request.json(body)
          const response = await request
          // In B's path: refused outright. In A's own path with B's ids nested: not found.
          // Without nested ids A's admin acts on A's data, never with or on B's (checked below).
          // (`:role` names a role of the school in the path, not a row of B.)
          const hasNestedIdOfB = /:(?!schoolId\b|role\b)[A-Za-z]+/.test(route.pattern)
          if (schoolId === fx.schoolB.id || hasNestedIdOfB) {
            assert.oneOf(
              response.status(),
              [401, 403, 404], // 401: machine-client routes refuse user tokens
              `${method} ${path} -> ${response.status()} ${JSON.stringify(response.body())}`
            )
          } else {
            assert.isBelow(response.status(), 500, `${method} ${path} -> ${response.status()}`)
          }
          // `instance` echoes the attacker's own URL; everything else must be free of B's data.
          const answer = JSON.stringify({ ...response.body(), instance: undefined })
          for (const secret of secretsOfB) {
            assert.notInclude(answer, secret, `${method} ${path} leaked B's data`)
          }
        }
      }
    }

    assert.deepEqual(
      await schoolSnapshot(fx.schoolB.id, tables),
      before,
      "school B's rows are unchanged"
    )
  }).timeout(120_000)

  test('a school that does not exist and one you are not in look the same', async ({
    client,
    assert,
  }) => {
    const fx = await twoSchools()
    const { accessToken } = await login('admin-a@a.test')
    const other = await client.get(`/v1/schools/${fx.schoolB.id}/cohorts`).bearerToken(accessToken)
    const missing = await client
      .get(`/v1/schools/${crypto.randomUUID()}/cohorts`)
      .bearerToken(accessToken)
    assert.equal(other.status(), 404)
    assert.equal(missing.status(), 404)
    assert.equal(other.body().detail, missing.body().detail)
  })
})
