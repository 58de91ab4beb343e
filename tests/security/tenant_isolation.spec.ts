import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import redis from '@adonisjs/redis/services/main'
import { resetDatabase } from '#tests/helpers/database'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  login,
} from '#tests/helpers/fixtures'

/** A snapshot of school B's tenant rows, compared before and after every attack. */
async function schoolSnapshot(schoolId: string) {
  return asOwner(async (trx) => {
    const snapshot: Record<string, unknown[]> = {}
    for (const table of ['memberships', 'cohorts', 'cohort_members', 'mentor_assignments']) {
      snapshot[table] = await trx.from(table).where('school_id', schoolId).orderBy('id')
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
    await resetDatabase()
    await redis.flushdb()
  })

  test("no route of school B answers or changes anything for school A's admin", async ({
    client,
    assert,
  }) => {
    const fx = await twoSchools()
    const { accessToken } = await login('admin-a@a.test')
    const before = await schoolSnapshot(fx.schoolB.id)

    const schoolRoutes = Object.values(router.toJSON())
      .flat()
      .filter((route) => route.pattern.startsWith('/v1/schools/:schoolId'))
    assert.isAbove(schoolRoutes.length, 5)

    const idsOfB: Record<string, string> = {
      schoolId: fx.schoolB.id,
      cohortId: fx.cohortB,
      membershipId: fx.learnerBMembership,
    }
    const body = {
      school_id: fx.schoolB.id,
      schoolId: fx.schoolB.id,
      membershipId: fx.learnerBMembership,
      mentorMembershipId: fx.adminBMembership,
      learnerMembershipId: fx.learnerBMembership,
      cohortRole: 'learner',
      name: 'hijacked',
      role: 'school_admin',
      status: 'suspended',
      permissions: ['audit.read'],
    }

    for (const route of schoolRoutes) {
      for (const method of route.methods.filter((m) => m !== 'HEAD')) {
        // 1. school B in the path; 2. school A in the path with B's ids nested in it.
        for (const schoolId of [fx.schoolB.id, fx.schoolA.id]) {
          const path = route.pattern.replace(/:([A-Za-z]+)/g, (_, name) =>
            name === 'schoolId' ? schoolId : (idsOfB[name] ?? crypto.randomUUID())
          )
          const response = await client
            .request(`${path}?school_id=${fx.schoolB.id}&cohortId=${fx.cohortB}`, method as 'GET')
            .bearerToken(accessToken)
            .json(body)
          // In B's path: refused outright. In A's own path (a forged school_id, B's ids
          // nested): may succeed on A's data, but never with or on B's (checked below).
          const hasNestedIdOfB = /:(cohortId|membershipId)/.test(route.pattern)
          if (schoolId === fx.schoolB.id || hasNestedIdOfB) {
            assert.oneOf(
              response.status(),
              [401, 403, 404, 422], // 401: machine-client routes refuse user tokens
              `${method} ${path} -> ${response.status()}`
            )
          } else {
            assert.isBelow(response.status(), 500, `${method} ${path} -> ${response.status()}`)
          }
          // `instance` echoes the attacker's own URL; everything else must be free of B's data.
          const answer = JSON.stringify({ ...response.body(), instance: undefined })
          assert.notInclude(answer, fx.learnerBMembership, `${method} ${path} leaked B's data`)
          assert.notInclude(answer, 'learner-b@b.test', `${method} ${path} leaked B's data`)
        }
      }
    }

    assert.deepEqual(await schoolSnapshot(fx.schoolB.id), before, "school B's rows are unchanged")
  }).timeout(60_000)

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
