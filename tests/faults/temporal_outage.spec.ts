import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import { NativeConnection, Worker } from '@temporalio/worker'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { runsOf, usePrivateStack } from '#tests/helpers/faults'
import { until } from '#tests/helpers/processes'
import { unique, withWorkflowConfig } from '#tests/helpers/workflows_helpers'
import { startOutboxRelay } from '#services/platform/outbox_relay'
import { createActivities } from '#workflows/activities/index'
import { workflowsEntry } from '#workflows/entry'

const INVITATIONS = 20

test.group('faults: Temporal stopped while invitations are created', (group) => {
  group.setup(() => testUtils.httpServer().start())
  freshState(group)

  test('every request answers 202; every workflow starts exactly once when Temporal is back', async ({
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
    // The app, its worker and its relay all talk to the private server.
    const { config, temporal, client: privateClient } = await usePrivateStack(cleanup)

    const school = await createSchool('fault-temporal')
    const admin = await createUser(unique('admin-fault'))
    await addMember(school.id, admin.id, 'school_admin')
    const { accessToken } = await login(admin.email)

    await temporal.stop()
    const emails = Array.from({ length: INVITATIONS }, (_, i) => unique(`outage-${i}`))
    const latencies: number[] = []
    for (const email of emails) {
      const started = Date.now()
      const response = await client
        .post(`/v1/schools/${school.id}/invitations`)
        .bearerToken(accessToken)
        .json({ email, role: 'staff' })
      latencies.push(Date.now() - started)
      response.assertStatus(202)
    }
    const pending = await asOwner((trx) =>
      trx.from('workflow_outbox').where('status', 'pending').count('* as n')
    )
    assert.equal(Number(pending[0].n), INVITATIONS)

    await temporal.start()
    const back = Date.now()
    const connection = await NativeConnection.connect({ address: temporal.address })
    const worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      workflowsPath: workflowsEntry(app),
      activities: createActivities(app),
    })
    const running = worker.run()
    cleanup(async () => {
      worker.shutdown()
      await running.catch(() => {})
      await connection.close()
    })
    const relay = startOutboxRelay(privateClient, { intervalMs: 200 })
    cleanup(() => relay.stop())

    await until(
      async () => {
        const [row] = await asOwner((trx) =>
          trx.from('workflow_outbox').where('status', 'pending').count('* as n')
        )
        return Number(row.n) === 0
      },
      60_000,
      'every intent delivered'
    )
    const deliveredInMs = Date.now() - back
    for (const email of emails) {
      const workflowId = `invitation:${school.id}:${email}`
      await privateClient.workflow.getHandle(workflowId).describe()
      assert.equal(await runsOf(privateClient, workflowId), 1)
    }
    console.log(
      `[measure] Temporal down: ${INVITATIONS} invitations answered 202 (max ${Math.max(...latencies)} ms); ` +
        `all workflows started ${deliveredInMs} ms after Temporal was back, none twice`
    )
  }).timeout(240_000)
})
