import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { freshState } from '#tests/helpers/database'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  login,
} from '#tests/helpers/fixtures'

async function schoolWithAdmin(slug: string) {
  const school = await createSchool(slug)
  const admin = await createUser(`admin@${slug}.test`)
  await addMember(school.id, admin.id, 'school_admin')
  return { school, token: (await login(admin.email)).accessToken }
}

test.group('Machine clients: client credentials and roster sync', (group) => {
  freshState(group)

  test('an admin creates a client; it gets a token and syncs the roster idempotently', async ({
    client,
    assert,
  }) => {
    const { school, token } = await schoolWithAdmin('sis')
    const cohort = await createCohort(school.id, 'Class of 2027')
    const created = await client
      .post(`/v1/schools/${school.id}/oauth-clients`)
      .bearerToken(token)
      .json({ name: 'SIS', scopes: ['roster.write'] })
    created.assertStatus(201)
    const { clientId } = created.body().client
    const { clientSecret } = created.body()

    // The list shows the client but never its secret.
    const listed = await client.get(`/v1/schools/${school.id}/oauth-clients`).bearerToken(token)
    listed.assertStatus(200)
    assert.deepEqual(
      listed.body().data.map((row: any) => [row.clientId, row.name]),
      [[clientId, 'SIS']]
    )
    assert.notInclude(JSON.stringify(listed.body()), clientSecret)

    const stored = await asOwner((trx) =>
      trx.from('machine_clients').where('client_id', clientId).first()
    )
    assert.notInclude(stored.secret_hash.toString('hex'), Buffer.from(clientSecret).toString('hex'))

    const issued = await client
      .post('/v1/oauth/token')
      .json({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret })
    issued.assertStatus(200)
    assert.equal(issued.body().expires_in, 600)
    assert.equal(issued.header('cache-control'), 'no-store')
    const machineToken = issued.body().access_token

    const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64')
    const viaBasic = await client
      .post('/v1/oauth/token')
      .header('authorization', `Basic ${basic}`)
      .json({ grant_type: 'client_credentials' })
    viaBasic.assertStatus(200)

    const existing = await createUser('known@sis.test')
    const body = {
      learners: [
        { email: 'new1@sis.test', fullName: 'New One', cohortIds: [cohort] },
        { email: 'Known@sis.test', cohortIds: [cohort] },
        { email: 'bad-cohort@sis.test', cohortIds: [crypto.randomUUID()] },
      ],
    }
    const first = await client
      .post(`/v1/schools/${school.id}/roster/sync`)
      .bearerToken(machineToken)
      .json(body)
    first.assertStatus(200)
    assert.deepEqual(first.body().summary, { created: 2, updated: 0, unchanged: 0, failed: 1 })
    assert.deepEqual(
      first.body().results.map((r: { status: string }) => r.status),
      ['created', 'created', 'failed']
    )
    assert.isUndefined(first.body().results[2].membershipId)

    const second = await client
      .post(`/v1/schools/${school.id}/roster/sync`)
      .bearerToken(machineToken)
      .json(body)
    assert.deepEqual(second.body().summary, { created: 0, updated: 0, unchanged: 2, failed: 1 })

    const members = await asOwner((trx) =>
      trx.from('cohort_members').where({ school_id: school.id, cohort_id: cohort }).count('* as n')
    )
    assert.equal(Number(members[0].n), 2)
    const knownMembership = await asOwner((trx) =>
      trx.from('memberships').where('user_id', existing.id).first()
    )
    assert.equal(knownMembership.role, 'learner')
    ;(
      await client
        .post('/v1/auth/login')
        .json({ email: 'new1@sis.test', password: 'whatever password 1' })
    ).assertStatus(401)
  })

  test('wrong secret, wrong scope, rotation and revocation are refused', async ({ client }) => {
    const { school, token } = await schoolWithAdmin('rotate')
    const created = await client
      .post(`/v1/schools/${school.id}/oauth-clients`)
      .bearerToken(token)
      .json({ name: 'SIS', scopes: ['roster.read'] })
    const { clientId, id } = created.body().client
    const secret = created.body().clientSecret

    ;(
      await client
        .post('/v1/oauth/token')
        .json({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'pws_wrong' })
    ).assertStatus(401)
    ;(
      await client
        .post('/v1/oauth/token')
        .json({ grant_type: 'client_credentials', client_id: 'pwc_unknown', client_secret: secret })
    ).assertStatus(401)
    ;(
      await client
        .post('/v1/oauth/token')
        .json({ grant_type: 'password', client_id: clientId, client_secret: secret })
    ).assertStatus(422)
    ;(
      await client.post('/v1/oauth/token').json({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
        scope: 'roster.write',
      })
    ).assertStatus(400)

    const readOnly = (
      await client
        .post('/v1/oauth/token')
        .json({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret })
    ).body().access_token
    const sync = await client
      .post(`/v1/schools/${school.id}/roster/sync`)
      .bearerToken(readOnly)
      .json({ learners: [{ email: 'x@rotate.test' }] })
    sync.assertStatus(403)

    const rotated = await client
      .post(`/v1/schools/${school.id}/oauth-clients/${id}/rotate`)
      .bearerToken(token)
    rotated.assertStatus(200)
    ;(
      await client
        .post('/v1/oauth/token')
        .json({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret })
    ).assertStatus(401)
    const fresh = await client.post('/v1/oauth/token').json({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: rotated.body().clientSecret,
    })
    fresh.assertStatus(200)

    ;(
      await client.delete(`/v1/schools/${school.id}/oauth-clients/${id}`).bearerToken(token)
    ).assertStatus(204)
    ;(
      await client
        .post(`/v1/schools/${school.id}/roster/sync`)
        .bearerToken(fresh.body().access_token)
        .json({ learners: [{ email: 'x@rotate.test' }] })
    ).assertStatus(401)
    ;(
      await client.post('/v1/oauth/token').json({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: rotated.body().clientSecret,
      })
    ).assertStatus(401)
  })

  test('a client of school A cannot sync school B, and user tokens are not client tokens', async ({
    client,
    assert,
  }) => {
    const a = await schoolWithAdmin('school-a')
    const b = await schoolWithAdmin('school-b')
    const created = await client
      .post(`/v1/schools/${a.school.id}/oauth-clients`)
      .bearerToken(a.token)
      .json({ name: 'SIS', scopes: ['roster.write'] })
    const machineToken = (
      await client.post('/v1/oauth/token').json({
        grant_type: 'client_credentials',
        client_id: created.body().client.clientId,
        client_secret: created.body().clientSecret,
      })
    ).body().access_token

    const attack = await client
      .post(`/v1/schools/${b.school.id}/roster/sync`)
      .bearerToken(machineToken)
      .json({ learners: [{ email: 'intruder@b.test' }] })
    attack.assertStatus(404)
    ;(
      await client
        .post(`/v1/schools/${a.school.id}/roster/sync`)
        .bearerToken(a.token)
        .json({ learners: [{ email: 'x@a.test' }] })
    ).assertStatus(401)
    assert.isNull(await db.from('users').where('email', 'intruder@b.test').first())

    const listB = await client.get(`/v1/schools/${b.school.id}/oauth-clients`).bearerToken(b.token)
    assert.deepEqual(listB.body().data, [])
  })
})
