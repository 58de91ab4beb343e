import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit } from '#services/platform/audit_service'
import { requestMeta } from '#middleware/request_meta'
import { freshState } from '#tests/helpers/database'
import { asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'

/* Test-only routes (kept out of the OpenAPI document by their `/__test` prefix). */
router.post('/__test/audit/plain', ({ response }) => response.created({ ok: true }))
router.delete('/__test/audit/denied', () => {
  throw ProblemException.forbidden()
})
router.post('/__test/audit/domain', async (ctx) => {
  await recordAudit(requestMeta(ctx), { action: 'test.domain_event' })
  return { ok: true }
})
router.get('/__test/audit/read', () => ({ ok: true }))

async function events() {
  return asOwner((trx) => trx.from('audit_events').orderBy('id'))
}

test.group('Request auditing', (group) => {
  freshState(group)

  test('a mutating request is recorded with redacted fields, ip, user agent, request id and outcome', async ({
    client,
    assert,
  }) => {
    const response = await client
      .post('/__test/audit/plain')
      .header('user-agent', 'audit-test/1.0')
      .header('x-request-id', 'audit-req-1')
      .json({ name: 'Ada', password: 'hunter2-secret', nested: { apiToken: 'abc' } })

    response.assertStatus(201)
    const [event] = await events()
    assert.equal(event.action, 'http.POST /__test/audit/plain')
    assert.equal(event.outcome, 'success')
    assert.equal(event.request_id, 'audit-req-1')
    assert.equal(event.user_agent, 'audit-test/1.0')
    assert.equal(event.ip, '127.0.0.1')
    assert.isNull(event.school_id)
    assert.equal(event.changes.status, 201)
    assert.equal(event.changes.request.name, 'Ada')
    assert.equal(event.changes.request.password, '[redacted]')
    assert.equal(event.changes.request.nested.apiToken, '[redacted]')
    assert.notInclude(JSON.stringify(event), 'hunter2-secret')
  })

  test('a refused request is recorded as denied', async ({ client, assert }) => {
    ;(await client.delete('/__test/audit/denied')).assertStatus(403)
    const [event] = await events()
    assert.equal(event.action, 'http.DELETE /__test/audit/denied')
    assert.equal(event.outcome, 'denied')
    assert.equal(event.changes.status, 403)
    assert.isNull(event.target_id)
  })

  test('a request domain code already audited is not recorded twice; reads are not recorded', async ({
    client,
    assert,
  }) => {
    ;(await client.post('/__test/audit/domain').json({})).assertStatus(200)
    ;(await client.get('/__test/audit/read')).assertStatus(200)
    const all = await events()
    assert.deepEqual(
      all.map((event: { action: string }) => event.action),
      ['test.domain_event']
    )
  })

  test("platform admins list every school's events with filters and a cursor; others get 403", async ({
    client,
    assert,
  }) => {
    const school = await createSchool('audit-a')
    await asOwner((trx) =>
      trx.table('audit_events').multiInsert([
        {
          school_id: school.id,
          action: 'cohort.created',
          outcome: 'success',
          target_type: 'cohort',
          target_id: 'c1',
        },
        {
          school_id: school.id,
          action: 'cohort.created',
          outcome: 'denied',
          target_type: 'cohort',
          target_id: 'c2',
        },
        {
          school_id: null,
          action: 'auth.login',
          outcome: 'failure',
          actor_service: 'spiffe://pathways/analytics',
        },
      ])
    )
    await createUser('root@audit.test', { platformAdmin: true })
    await createUser('plain@audit.test')
    const root = await login('root@audit.test')
    const plain = await login('plain@audit.test')

    const refused = await client.get('/v1/platform/audit-events').bearerToken(plain.accessToken)
    refused.assertStatus(403)

    const denied = await client
      .get('/v1/platform/audit-events')
      .qs({ outcome: 'denied', schoolId: school.id })
      .bearerToken(root.accessToken)
    denied.assertStatus(200)
    assert.deepEqual(
      denied.body().data.map((event: { targetId: string }) => event.targetId),
      ['c2']
    )

    const service = await client
      .get('/v1/platform/audit-events')
      .qs({ actorService: 'spiffe://pathways/analytics' })
      .bearerToken(root.accessToken)
    assert.deepEqual(
      service.body().data.map((event: { action: string }) => event.action),
      ['auth.login']
    )

    const first = await client
      .get('/v1/platform/audit-events')
      .qs({ action: 'cohort.created', limit: 1 })
      .bearerToken(root.accessToken)
    assert.equal(first.body().data[0].targetId, 'c2')
    assert.isString(first.body().nextCursor)
    const second = await client
      .get('/v1/platform/audit-events')
      .qs({ action: 'cohort.created', limit: 1, cursor: first.body().nextCursor })
      .bearerToken(root.accessToken)
    assert.equal(second.body().data[0].targetId, 'c1')

    const future = await client
      .get('/v1/platform/audit-events')
      .qs({ from: '2999-01-01T00:00:00Z' })
      .bearerToken(root.accessToken)
    assert.lengthOf(future.body().data, 0)
  })
})
