import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import type { TemporalConfig } from '#config/temporal'
import { createTemporalClient } from '#providers/temporal_provider'
import { closedPort, makeTemporalUnreachable, startTcpProxy } from '#tests/helpers/faults'
import { eventually } from '#tests/helpers/workflows_helpers'

test.group('Temporal connection (lazy, reconnecting)', (group) => {
  group.setup(() => testUtils.httpServer().start())

  test('a client created while the frontend is down works once it is back, without a restart', async ({
    assert,
    cleanup,
  }) => {
    const config = app.config.get<TemporalConfig>('temporal')
    const port = await closedPort()
    // Creating the client dials nothing: no failure can be cached.
    const client = await createTemporalClient({ ...config, address: `127.0.0.1:${port}` })
    cleanup(() => client.connection.close())
    const describe = () =>
      client.connection.withDeadline(Date.now() + 1000, () =>
        client.connection.workflowService.describeNamespace({ namespace: config.namespace })
      )
    await assert.rejects(describe)
    await assert.rejects(describe)

    const [host, targetPort] = config.address.split(':')
    const proxy = await startTcpProxy(port, { host, port: Number(targetPort) })
    cleanup(() => proxy.close())
    const back = Date.now()
    await eventually(
      () =>
        describe().then(
          () => true,
          () => false
        ),
      {
        timeoutMs: 10_000,
        intervalMs: 100,
        what: 'the same client to reconnect',
      }
    )
    const reconnectedInMs = Date.now() - back
    console.log(
      `[measure] Temporal client reconnected ${reconnectedInMs} ms after the frontend returned`
    )
    assert.isBelow(reconnectedInMs, 5000)
  }).timeout(30_000)

  test('readiness reports Temporal down (503) while liveness stays 200; ready again when it is back', async ({
    client,
    assert,
    cleanup,
  }) => {
    const restore = await makeTemporalUnreachable()
    let restored = false
    cleanup(async () => {
      if (!restored) await restore()
    })
    const live = await client.get('/health/live')
    live.assertStatus(200)
    const ready = await client.get('/health/ready')
    ready.assertStatus(503)
    const temporal = ready
      .body()
      .checks.find((check: { name: string }) => check.name === 'Temporal')
    assert.equal(temporal.status, 'error')

    await restore()
    restored = true
    const again = await client.get('/health/ready')
    const check = again.body().checks.find((c: { name: string }) => c.name === 'Temporal')
    assert.equal(check.status, 'ok')
  }).timeout(30_000)
})
