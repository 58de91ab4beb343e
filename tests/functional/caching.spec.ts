import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import { resetState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { deadRedis } from '#tests/helpers/cache_helpers'
import { useCacheRedis } from '#services/platform/cache_store'

async function setup() {
  const school = await createSchool('cache')
  const admin = await createUser('admin@cache.test')
  await addMember(school.id, admin.id, 'school_admin')
  const staff = await createUser('staff@cache.test')
  const staffMembership = await addMember(school.id, staff.id, 'staff')
  return {
    school,
    base: `/v1/schools/${school.id}`,
    adminToken: (await login(admin.email)).accessToken,
    staff,
    staffMembership,
    staffToken: (await login(staff.email)).accessToken,
  }
}

const cachedTokenKeys = () => redis.keys('pathways:auth:at:*')

test.group('Redis caching of tokens and school context', (group) => {
  group.each.setup(async () => {
    await resetState()
    return () => useCacheRedis(null)
  })

  test('a warm cache answers without the token table and school lookup', async ({
    client,
    assert,
  }) => {
    const { base, staffToken } = await setup()
    ;(await client.get(`${base}/me/profile`).bearerToken(staffToken)).assertStatus(200)
    assert.lengthOf(await cachedTokenKeys(), 1)
    assert.lengthOf(await redis.keys('pathways:school:ctx:*'), 1)
    // Proof that the second request does not read the token row: remove it behind the app's back.
    await asOwner((trx) => trx.from('auth_access_tokens').delete())
    ;(await client.get(`${base}/me/profile`).bearerToken(staffToken)).assertStatus(200)
    // A cold cache goes to the database, which no longer has the token.
    await redis.flushdb()
    ;(await client.get(`${base}/me/profile`).bearerToken(staffToken)).assertStatus(401)
  })

  test('a revoked token is refused on the next request (logout and logout-all)', async ({
    client,
    assert,
  }) => {
    const { base, staff, staffToken } = await setup()
    ;(await client.get(`${base}/me/profile`).bearerToken(staffToken)).assertStatus(200)
    ;(await client.get(`${base}/me/profile`).bearerToken(staffToken)).assertStatus(200)
    assert.lengthOf(await cachedTokenKeys(), 1)
    ;(await client.post('/v1/auth/logout').bearerToken(staffToken)).assertStatus(204)
    const refused = await client.get(`${base}/me/profile`).bearerToken(staffToken)
    refused.assertStatus(401)
    assert.lengthOf(await cachedTokenKeys(), 0)

    const second = (await login(staff.email)).accessToken
    const third = (await login(staff.email)).accessToken
    ;(await client.get(`${base}/me/profile`).bearerToken(second)).assertStatus(200)
    ;(await client.get(`${base}/me/profile`).bearerToken(third)).assertStatus(200)
    ;(await client.post('/v1/auth/logout-all').bearerToken(second)).assertStatus(204)
    ;(await client.get(`${base}/me/profile`).bearerToken(third)).assertStatus(401)
    ;(await client.get(`${base}/me/profile`).bearerToken(second)).assertStatus(401)
  })

  test('role permission and membership changes apply on the next request', async ({ client }) => {
    const { base, adminToken, staffToken, staffMembership } = await setup()
    ;(await client.get(`${base}/analytics/overview`).bearerToken(staffToken)).assertStatus(200)
    ;(await client.get(`${base}/analytics/overview`).bearerToken(staffToken)).assertStatus(200)
    ;(
      await client
        .put(`${base}/roles/staff/permissions`)
        .bearerToken(adminToken)
        .json({ permissions: ['members.manage'] })
    ).assertStatus(200)
    ;(await client.get(`${base}/analytics/overview`).bearerToken(staffToken)).assertStatus(403)
    ;(await client.delete(`${base}/roles/staff/permissions`).bearerToken(adminToken)).assertStatus(
      204
    )
    ;(await client.get(`${base}/analytics/overview`).bearerToken(staffToken)).assertStatus(200)

    ;(
      await client
        .patch(`${base}/members/${staffMembership}`)
        .bearerToken(adminToken)
        .json({ role: 'learner' })
    ).assertStatus(200)
    ;(await client.get(`${base}/analytics/overview`).bearerToken(staffToken)).assertStatus(403)
    ;(
      await client
        .patch(`${base}/members/${staffMembership}`)
        .bearerToken(adminToken)
        .json({ status: 'suspended' })
    ).assertStatus(200)
    ;(await client.get(`${base}/me/profile`).bearerToken(staffToken)).assertStatus(404)
  })

  test('with Redis down, authentication falls back to the database', async ({ client, assert }) => {
    const { base, staffToken } = await setup()
    const dead = await deadRedis()
    useCacheRedis(dead)
    try {
      const ok = await client.get(`${base}/me/profile`).bearerToken(staffToken)
      ok.assertStatus(200)
      ;(await client.get(`${base}/me/profile`).bearerToken('pwa_bogus.token')).assertStatus(401)
      ;(await client.post('/v1/auth/logout').bearerToken(staffToken)).assertStatus(204)
      ;(await client.get(`${base}/me/profile`).bearerToken(staffToken)).assertStatus(401)
      const analytics = await client.get(`${base}/analytics/overview`).bearerToken(staffToken)
      analytics.assertStatus(401)
    } finally {
      useCacheRedis(null)
      dead.disconnect()
    }
    assert.lengthOf(await cachedTokenKeys(), 0)
  })
})
