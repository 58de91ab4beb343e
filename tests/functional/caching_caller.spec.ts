import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { enableTotp, freshCode } from '#tests/helpers/identity_helpers'

/*
| The caller's context (memberships, role permission overrides, confirmed second factor) is
| cached in Redis per user; every change that affects it must show on the very next request.
*/
const callerKeys = () => redis.keys('pathways:user:ctx:*')

async function staffSetup() {
  const school = await createSchool('caller')
  const admin = await createUser('admin@caller.test')
  await addMember(school.id, admin.id, 'school_admin')
  const staff = await createUser('staff@caller.test')
  const staffMembership = await addMember(school.id, staff.id, 'staff')
  return {
    school,
    base: `/v1/schools/${school.id}`,
    adminToken: (await login(admin.email)).accessToken,
    staffToken: (await login(staff.email)).accessToken,
    staffMembership,
  }
}

test.group('Redis caching of the caller context', (group) => {
  freshState(group)

  test('/v1/me is cached and follows role, suspension and reactivation on the next request', async ({
    client,
    assert,
  }) => {
    const { base, adminToken, staffToken, staffMembership } = await staffSetup()
    const me = async () => {
      const response = await client.get('/v1/me').bearerToken(staffToken)
      response.assertStatus(200)
      return response.body().schools as { role: string; permissions: string[] }[]
    }
    assert.equal((await me())[0].role, 'staff')
    assert.equal((await me())[0].role, 'staff')
    assert.lengthOf(await callerKeys(), 1)
    // Proof that the answer comes from the cache: a change behind the app's back is not seen.
    await asOwner((trx) =>
      trx.from('memberships').where('id', staffMembership).update({ role: 'mentor' })
    )
    assert.equal((await me())[0].role, 'staff')

    const update = (json: Record<string, unknown>) =>
      client.patch(`${base}/members/${staffMembership}`).bearerToken(adminToken).json(json)
    ;(await update({ role: 'learner' })).assertStatus(200)
    assert.equal((await me())[0].role, 'learner')
    ;(await update({ status: 'suspended' })).assertStatus(200)
    assert.lengthOf(await me(), 0)
    // The entry now lists no school: reactivation must invalidate it through the user.
    ;(await update({ status: 'active' })).assertStatus(200)
    assert.equal((await me())[0].role, 'learner')
  })

  test("a school's role permission override reaches /v1/me on the next request", async ({
    client,
    assert,
  }) => {
    const { base, adminToken, staffToken } = await staffSetup()
    const permissions = async () =>
      (await client.get('/v1/me').bearerToken(staffToken)).body().schools[0].permissions
    assert.include(await permissions(), 'cohorts.manage')
    assert.include(await permissions(), 'cohorts.manage')
    ;(
      await client
        .put(`${base}/roles/staff/permissions`)
        .bearerToken(adminToken)
        .json({ permissions: ['members.manage'] })
    ).assertStatus(200)
    assert.deepEqual(await permissions(), ['members.manage'])
    ;(await client.delete(`${base}/roles/staff/permissions`).bearerToken(adminToken)).assertStatus(
      204
    )
    assert.include(await permissions(), 'cohorts.manage')
  })

  test('a membership created by roster sync appears in /v1/me on the next request', async ({
    client,
    assert,
  }) => {
    const { school, base, adminToken } = await staffSetup()
    const learner = await createUser('learner@caller.test')
    const { accessToken } = await login(learner.email)
    const schools = async () =>
      (await client.get('/v1/me').bearerToken(accessToken)).body().schools as unknown[]
    assert.lengthOf(await schools(), 0)
    assert.lengthOf(await schools(), 0)

    const created = await client
      .post(`${base}/oauth-clients`)
      .bearerToken(adminToken)
      .json({ name: 'SIS', scopes: ['roster.write'] })
    created.assertStatus(201)
    const machineToken = (
      await client.post('/v1/oauth/token').json({
        grant_type: 'client_credentials',
        client_id: created.body().client.clientId,
        client_secret: created.body().clientSecret,
      })
    ).body().access_token
    ;(
      await client
        .post(`/v1/schools/${school.id}/roster/sync`)
        .bearerToken(machineToken)
        .json({ learners: [{ email: learner.email }] })
    ).assertStatus(200)
    assert.lengthOf(await schools(), 1)
  })

  test('removing the second factor withholds admin permissions on the next request', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('strict-cache', { mfa_required_for_admins: true })
    const admin = await createUser('admin@strict-cache.test')
    // Enrolled while not yet an admin (a plain sign-in), then made one.
    const { secret, accessToken } = await enableTotp(admin)
    await addMember(school.id, admin.id, 'school_admin')
    const members = () => client.get(`/v1/schools/${school.id}/members`).bearerToken(accessToken)
    ;(await members()).assertStatus(200)
    ;(await members()).assertStatus(200)
    assert.lengthOf(await callerKeys(), 1)

    ;(
      await client
        .delete('/v1/me/mfa/totp')
        .bearerToken(accessToken)
        .json({ code: await freshCode(admin.id, secret) })
    ).assertStatus(204)
    const refused = await members()
    refused.assertStatus(403)
    assert.match(refused.body().type, /mfa-enrollment-required/)
  })
})
