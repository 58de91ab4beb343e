import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { Client, Connection, WorkflowExecutionAlreadyStartedError } from '@temporalio/client'
import type { TemporalConfig } from '#config/temporal'
import { noop } from '#workflows/noop'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'

const SECRET_REASON = 'terminated by ops: db-7.internal.pathways:5432 incident 4711'

/** Words of Temporal's own error text that must never reach a client. */
function assertGeneric(assert: any, body: Record<string, any>) {
  const text = JSON.stringify(body)
  for (const leak of [
    SECRET_REASON,
    'workflow',
    'Workflow',
    'execution',
    'UNAVAILABLE',
    '127.0.0.1',
    'ECONNREFUSED',
    'grpc',
  ]) {
    assert.notInclude(text, leak)
  }
}

async function pendingInvitation() {
  const school = await createSchool('temporal-errors')
  const admin = await createUser('admin@temporal-errors.test')
  await addMember(school.id, admin.id, 'school_admin')
  const { accessToken } = await login(admin.email)
  const email = 'invitee@temporal-errors.test'
  return { school, accessToken, email }
}

test.group('Temporal error text is never returned to clients', (group) => {
  freshState(group)

  test('resend of an invitation whose workflow has ended: 409 with a generic detail; revoke never echoes Temporal', async ({
    client,
    assert,
  }) => {
    const { school, accessToken, email } = await pendingInvitation()
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(accessToken)
      .json({ email, role: 'staff' })
    created.assertStatus(201)
    const [row] = await asOwner((trx) =>
      trx.from('invitations').where('id', created.body().id).select('workflow_id', 'status')
    )
    assert.equal(row.status, 'pending')

    // the workflow ends behind the API's back (operator terminated it) while the row is pending
    const temporal = await app.container.make('temporal.client')
    await temporal.workflow
      .start(noop, {
        workflowId: row.workflow_id,
        taskQueue: `ended-${crypto.randomUUID()}`,
      })
      .catch((error) => {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error
      })
    await temporal.workflow.getHandle(row.workflow_id).terminate(SECRET_REASON)

    const resend = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/resend`)
      .bearerToken(accessToken)
    resend.assertStatus(409)
    assert.equal(resend.header('content-type'), 'application/problem+json; charset=utf-8')
    assert.equal(resend.body().detail, 'The invitation can no longer be resent.')
    assertGeneric(assert, resend.body())

    // revoke goes through the outbox (202); nothing of Temporal's answer reaches the client
    const revoke = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/revoke`)
      .bearerToken(accessToken)
    revoke.assertStatus(202)
    assert.notInclude(JSON.stringify(revoke.body()), SECRET_REASON)
  }).timeout(30_000)

  test('Temporal unreachable: resend is 503 problem+json with Retry-After, revoke is accepted for later; no connection details', async ({
    client,
    assert,
    cleanup,
  }) => {
    const { school, accessToken, email } = await pendingInvitation()
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(accessToken)
      .json({ email, role: 'staff' })
    created.assertStatus(201)

    const real = await app.container.make('temporal.client')
    const config = app.config.get<TemporalConfig>('temporal')
    const dead = new Client({
      // no gRPC retry interceptor: fail at once instead of retrying for ~20 s
      connection: Connection.lazy({
        address: '127.0.0.1:1',
        connectTimeout: '1s',
        interceptors: [],
      }),
      namespace: config.namespace,
    })
    app.container.bindValue('temporal.client', dead)
    cleanup(() => app.container.bindValue('temporal.client', real))

    // resend waits for the workflow's answer: without Temporal that is a 503
    const resent = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/resend`)
      .bearerToken(accessToken)
    resent.assertStatus(503)
    assert.equal(resent.header('content-type'), 'application/problem+json; charset=utf-8')
    assert.isAtLeast(Number(resent.header('retry-after')), 1)
    assertGeneric(assert, resent.body())

    // revoke is recorded and delivered by the outbox once Temporal is back: accepted
    const revoked = await client
      .post(`/v1/schools/${school.id}/invitations/${created.body().id}/revoke`)
      .bearerToken(accessToken)
    revoked.assertStatus(202)
    assert.notMatch(JSON.stringify(revoked.body()), /127\.0\.0\.1|grpc|ECONNREFUSED|UNAVAILABLE/i)
  }).timeout(30_000)
})
