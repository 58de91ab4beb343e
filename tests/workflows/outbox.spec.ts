import { test } from '@japa/runner'
import { staffInvitation } from '#workflows/staff_invitation'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { messagesTo } from '#tests/helpers/mailpit'
import {
  eventually,
  mailsTo,
  startApiQueueWorker,
  unique,
  withWorkflowConfig,
} from '#tests/helpers/workflows_helpers'
import { makeTemporalUnreachable, runsOf } from '#tests/helpers/faults'
import { startOutboxRelay } from '#services/platform/outbox_relay'
import { dispatchIds, dispatchPending, enqueue } from '#services/platform/workflow_outbox'
import { ping } from '#workflows/ping'
import { withTenant } from '#services/platform/tenant_context'
import { signalIntent, startIntent } from '#workflows/client'
import { noop, noopDone } from '#workflows/noop'
import { apiTaskQueue } from '#tests/helpers/workflows_helpers'

async function temporal() {
  return app.container.make('temporal.client')
}

/** The Temporal client, with these workflows terminated when the test ends (whatever it left). */
async function temporalTerminatingAfter(
  cleanup: (handler: () => Promise<void>) => void,
  workflowIds: string[]
) {
  const client = await temporal()
  cleanup(async () => {
    for (const workflowId of workflowIds) {
      await client.workflow
        .getHandle(workflowId)
        .terminate()
        .catch(() => {})
    }
  })
  return client
}

async function outboxRows(workflowId: string) {
  return asOwner((trx) =>
    trx.from('workflow_outbox').where('workflow_id', workflowId).orderBy('seq')
  )
}

async function adminOf(slug: string) {
  const school = await createSchool(slug)
  const admin = await createUser(unique(`admin-${slug}`))
  await addMember(school.id, admin.id, 'school_admin')
  const { accessToken } = await login(admin.email)
  return { school, token: accessToken }
}

test.group('transactional outbox (real Temporal dev server)', (group) => {
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('Temporal unreachable: the invitation answers 202 with its intent stored; the relay starts the workflow exactly once when Temporal is back', async ({
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
    const { school, token } = await adminOf('outbox-down')
    const email = unique('down')
    const workflowId = `invitation:${school.id}:${email}`

    const restore = await makeTemporalUnreachable()
    let restored = false
    cleanup(async () => {
      if (!restored) await restore()
    })
    const started = Date.now()
    const created = await client
      .post(`/v1/schools/${school.id}/invitations`)
      .bearerToken(token)
      .json({ email, role: 'staff' })
    const answeredInMs = Date.now() - started
    created.assertStatus(202)
    assert.equal(created.body().status, 'pending')
    assert.isBelow(answeredInMs, 5000)

    // The row and its intent were committed together; nothing reached Temporal.
    const [invitation] = await asOwner((trx) => trx.from('invitations').where('email', email))
    assert.equal(invitation.status, 'pending')
    const [intent] = await outboxRows(workflowId)
    assert.deepInclude(intent, {
      kind: 'start',
      workflow_type: staffInvitation.name,
      status: 'pending',
    })
    assert.isAtLeast(intent.attempts, 1)
    assert.isNotNull(intent.last_error)
    await restore()
    restored = true
    await assert.rejects(() => temporal().then((c) => c.workflow.getHandle(workflowId).describe()))

    // Temporal answers again: the worker's relay delivers the intent.
    const worker = await startApiQueueWorker({ relay: false })
    cleanup(() => worker.stop())
    const relay = startOutboxRelay(await temporal(), { intervalMs: 100 })
    cleanup(() => relay.stop())
    await eventually(async () => (await outboxRows(workflowId))[0].status === 'done', {
      what: 'the intent delivered',
    })
    const described = await (await temporal()).workflow.getHandle(workflowId).describe()
    assert.equal((described.memo as { outboxId?: string }).outboxId, intent.id)
    await mailsTo(email, 'You are invited')

    // Another relay round (as after a crash) finds the intent done: no second start, no second mail.
    await dispatchPending(await temporal())
    assert.equal(await runsOf(await temporal(), workflowId), 1)
    const invites = (await messagesTo(email)).filter((m) => m.Subject.includes('You are invited'))
    assert.lengthOf(invites, 1)
  }).timeout(60_000)

  test('a relay that died after starting the workflow redelivers without a second run', async ({
    assert,
    cleanup,
  }) => {
    const workflowId = `noop:${crypto.randomUUID()}`
    const [id] = await withTenant({ platformScope: true }, (trx) =>
      enqueue(trx, null, [startIntent(noop, { workflowId, args: [], taskQueue: apiTaskQueue() })])
    )
    const client = await temporal()
    // The crash: the workflow was started with this row's memo, the row never marked done,
    // and its lease has run out.
    const first = await client.workflow.start(noop, {
      workflowId,
      taskQueue: apiTaskQueue(),
      memo: { outboxId: id },
    })
    cleanup(async () => {
      await first.terminate().catch(() => {})
    })
    await asOwner((trx) =>
      trx
        .from('workflow_outbox')
        .where('id', id)
        .update({ attempts: 1, next_attempt_at: new Date(Date.now() - 1000) })
    )

    const round = await dispatchPending(client)
    assert.equal(round.delivered, 1)
    const [row] = await outboxRows(workflowId)
    assert.equal(row.status, 'done')
    assert.equal(
      (await client.workflow.getHandle(workflowId).describe()).runId,
      first.firstExecutionRunId
    )
  })

  test('rows enqueued for the fast path are reserved: the relay leaves them and the fast path delivers them', async ({
    assert,
    cleanup,
  }) => {
    const workflowId = `ping:${crypto.randomUUID()}`
    const [id] = await withTenant({ platformScope: true }, (trx) =>
      enqueue(trx, null, [
        startIntent(ping, { workflowId, args: ['reserved'], taskQueue: apiTaskQueue() }),
      ])
    )
    const client = await temporalTerminatingAfter(cleanup, [workflowId])
    // The worker's relay runs between the commit and the API's own delivery: it takes nothing.
    const round = await dispatchPending(client)
    assert.equal(round.claimed, 0)
    assert.isTrue(await dispatchIds([id]))
    const [row] = await outboxRows(workflowId)
    assert.equal(row.status, 'done')
    assert.equal(row.attempts, 1)
  }).timeout(30_000)

  test('a signal the fast path cannot send yet (its start is pending) goes to the relay without waiting out the reservation', async ({
    assert,
    cleanup,
  }) => {
    const workflowId = `noop:${crypto.randomUUID()}`
    const [startId, signalId] = await withTenant({ platformScope: true }, (trx) =>
      enqueue(trx, null, [
        startIntent(noop, { workflowId, args: [], taskQueue: apiTaskQueue() }),
        signalIntent(workflowId, noopDone),
      ])
    )
    const client = await temporalTerminatingAfter(cleanup, [workflowId])
    assert.isFalse(await dispatchIds([signalId]))
    assert.isTrue(await dispatchIds([startId]))
    const round = await dispatchPending(client)
    assert.equal(round.delivered, 1)
    const rows = await outboxRows(workflowId)
    assert.deepEqual(
      rows.map((row) => row.status),
      ['done', 'done']
    )
  }).timeout(30_000)

  test('the API fast path counts intents the relay delivered first (rows written for the relay) as delivered', async ({
    assert,
    cleanup,
  }) => {
    const workflowId = `ping:${crypto.randomUUID()}`
    const [id] = await withTenant({ platformScope: true }, (trx) =>
      enqueue(
        trx,
        null,
        [startIntent(ping, { workflowId, args: ['raced'], taskQueue: apiTaskQueue() })],
        { forRelay: true }
      )
    )
    const client = await temporalTerminatingAfter(cleanup, [workflowId])
    // The worker's relay wins the race between commit and the API's own delivery.
    const round = await dispatchPending(client)
    assert.equal(round.delivered, 1)
    assert.isTrue(await dispatchIds([id]))
  }).timeout(30_000)

  test('two relays racing over the same rows deliver each intent once (FOR UPDATE SKIP LOCKED), a signal after its start', async ({
    assert,
    cleanup,
  }) => {
    const ids = Array.from({ length: 12 }, () => `noop:${crypto.randomUUID()}`)
    await withTenant({ platformScope: true }, (trx) =>
      enqueue(
        trx,
        null,
        ids.flatMap((workflowId) => [
          startIntent(noop, { workflowId, args: [], taskQueue: apiTaskQueue() }),
          signalIntent(workflowId, noopDone),
        ]),
        { forRelay: true }
      )
    )
    const client = await temporalTerminatingAfter(cleanup, ids)
    const worker = await startApiQueueWorker({ relay: false })
    cleanup(() => worker.stop())

    let delivered = 0
    for (let round = 0; round < 10 && delivered < ids.length * 2; round++) {
      const results = await Promise.all([dispatchPending(client), dispatchPending(client)])
      delivered += results.reduce((sum, result) => sum + result.delivered, 0)
    }
    assert.equal(delivered, ids.length * 2)
    const rows = await asOwner((trx) => trx.from('workflow_outbox').select('status', 'attempts'))
    assert.isTrue(rows.every((row) => row.status === 'done' && row.attempts === 1))
    // Each signal reached its run: every noop completes.
    for (const workflowId of ids) {
      assert.equal(await client.workflow.getHandle(workflowId).result(), 'done')
    }
  }).timeout(60_000)
})
