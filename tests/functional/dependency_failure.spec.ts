import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import { freshState } from '#tests/helpers/database'
import { addMember, createSchool, createUser, login } from '#tests/helpers/fixtures'
import {
  makeDatabaseUnreachable,
  makeTemporalUnreachable,
  pointRedisAt,
  startPrivateRedis,
} from '#tests/helpers/faults'
import { unique } from '#tests/helpers/workflows_helpers'

/*
| A failing dependency is a 503 problem+json with Retry-After: never a 500, and never a
| 401 that would sign the client out. Real failures: connections to closed ports and a
| private Redis server this test starts and kills (the shared services are never touched).
*/
function assertUnavailable(response: any, assert: any) {
  response.assertStatus(503)
  assert.include(response.header('content-type'), 'application/problem+json')
  assert.match(response.header('retry-after'), /^\d+$/)
  assert.equal(response.body().type, 'https://pathways.dev/problems/dependency-unavailable')
}

async function adminOf(slug: string) {
  const school = await createSchool(slug)
  const admin = await createUser(unique(`admin-${slug}`))
  await addMember(school.id, admin.id, 'school_admin')
  const { accessToken } = await login(admin.email)
  return { school, admin, token: accessToken }
}

test.group('API under dependency failure', (group) => {
  freshState(group)

  test('PostgreSQL down: an authenticated request answers 503 + Retry-After, not 401', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { token } = await adminOf('dep-db-auth')
    // No cached token: the guard must reach the database.
    await redis.flushdb()
    const restore = await makeDatabaseUnreachable()
    cleanup(restore)
    const response = await client.get('/v1/me').bearerToken(token)
    assertUnavailable(response, assert)
    assert.notExists(response.header('www-authenticate'))

    await restore()
    const healed = await client.get('/v1/me').bearerToken(token)
    healed.assertStatus(200)
  })

  test('PostgreSQL down with a cached token: a school read answers 503, not 500', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { school, token } = await adminOf('dep-db-tenant')
    ;(await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(token)).assertStatus(200)
    const restore = await makeDatabaseUnreachable()
    cleanup(restore)
    const response = await client.get(`/v1/schools/${school.id}/cohorts`).bearerToken(token)
    assertUnavailable(response, assert)
  })

  test('Temporal down: invitation 202 (outbox), revoke 202, resend 503 within its update deadline', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { school, token } = await adminOf('dep-temporal')
    const restore = await makeTemporalUnreachable()
    cleanup(restore)
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email: unique('dep'), role: 'staff' })
    created.assertStatus(202)
    const revoke = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/revoke`)
      .bearerToken(token)
    revoke.assertStatus(202)

    const other = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email: unique('dep2'), role: 'staff' })
    other.assertStatus(202)
    process.env.WORKFLOW_UPDATE_DEADLINE_MS = '1500'
    cleanup(() => {
      delete process.env.WORKFLOW_UPDATE_DEADLINE_MS
    })
    const started = Date.now()
    const resend = await client
      .post(`/v1/schools/${school.id}/invitations/${other.body().id}/resend`)
      .bearerToken(token)
    assertUnavailable(resend, assert)
    assert.isBelow(Date.now() - started, 5000)
  })

  test('a running invitation with no worker: resend answers 503 at its deadline instead of hanging', async ({
    client,
    assert,
    cleanup,
  }) => {
    // The workflow starts on the test queue, where no worker polls in this suite.
    const { school, token } = await adminOf('dep-update')
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email: unique('noworker'), role: 'staff' })
    created.assertStatus(201)
    const app = (await import('@adonisjs/core/services/app')).default
    const temporal = await app.container.make('temporal.client')
    cleanup(async () => {
      await temporal.workflow
        .getHandle(created.body().workflowId)
        .terminate()
        .catch(() => {})
    })
    process.env.WORKFLOW_UPDATE_DEADLINE_MS = '1500'
    cleanup(() => {
      delete process.env.WORKFLOW_UPDATE_DEADLINE_MS
    })
    const started = Date.now()
    const resend = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/resend`)
      .bearerToken(token)
    assertUnavailable(resend, assert)
    assert.isBelow(Date.now() - started, 5000)
  })

  test('Redis down: sign-in and authenticated reads keep working (token cache falls back to the database, rate limits fail open); a restart heals', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { admin } = await adminOf('dep-redis')
    const privateRedis = await startPrivateRedis()
    cleanup(() => privateRedis.stop())
    const restore = await pointRedisAt(privateRedis.port)
    cleanup(restore)
    const { accessToken } = await login(admin.email)
    ;(await client.get('/v1/me').bearerToken(accessToken)).assertStatus(200)

    await privateRedis.stop()
    const signIn = await client
      .post('/v1/auth/login')
      .json({ email: admin.email, password: 'a-long enough passphrase 42' })
    signIn.assertStatus(200)
    const me = await client.get('/v1/me').bearerToken(signIn.body().accessToken)
    me.assertStatus(200)
    assert.equal(me.body().email, admin.email)

    await privateRedis.start()
    const healed = await client.get('/v1/me').bearerToken(accessToken)
    healed.assertStatus(200)
    assert.exists(healed.header('ratelimit-limit'))
  }).timeout(60_000)
})
