import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { makeTemporalUnreachable } from '#tests/helpers/faults'
import { startApiQueueWorker, unique, withWorkflowConfig } from '#tests/helpers/workflows_helpers'
import { dispatchPending } from '#services/platform/workflow_outbox'
import { InviteStatusKey } from '#workflows/search_attributes'

test.group('failures end in a visible state (real Temporal dev server)', (group) => {
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('an undecryptable invitation token is not retried: the invitation ends failed (API, InviteStatus) and the address can be invited again', async ({
    client,
    assert,
    cleanup,
  }) => {
    cleanup(
      withWorkflowConfig({
        'invitation.reminderAfter': '1 hour',
        'invitation.expiresAfter': '2 hours',
      })
    )
    const school = await createSchool('fail-token')
    const admin = await createUser(unique('admin-fail'))
    await addMember(school.id, admin.id, 'school_admin')
    const { accessToken: token } = await login(admin.email)
    const email = unique('undecryptable')

    // Recorded while Temporal is unreachable, then its token made undecryptable (as after
    // an app-key rotation) before the relay delivers it.
    const restore = await makeTemporalUnreachable()
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    await restore()
    created.assertStatus(202)
    await asOwner((trx) =>
      trx.rawQuery(
        `update workflow_outbox set payload = jsonb_set(payload, '{args,0,tokenEncrypted}', '"not-a-token"')
          where workflow_id = ?`,
        [created.body().workflowId]
      )
    )
    const worker = await startApiQueueWorker({ relay: false })
    cleanup(() => worker.stop())
    const temporal = await app.container.make('temporal.client')
    await dispatchPending(temporal)

    const started = Date.now()
    const handle = temporal.workflow.getHandle(created.body().workflowId)
    assert.equal(await handle.result(), 'failed')
    assert.isBelow(Date.now() - started, 15_000)
    assert.equal((await handle.describe()).typedSearchAttributes.get(InviteStatusKey), 'failed')

    const listed = await client
      .get(`/v1/schools/${school.id}/invitations?status=failed`)
      .bearerToken(token)
    listed.assertStatus(200)
    assert.deepEqual(
      listed.body().data.map((row: { id: string }) => row.id),
      [created.body().id]
    )

    const again = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    again.assertStatus(201)
    assert.notEqual(again.body().id, created.body().id)
    await temporal.workflow
      .getHandle(again.body().workflowId)
      .terminate()
      .catch(() => {})
  }).timeout(60_000)
})
