import { once } from 'node:events'
import { createServer } from 'node:net'
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

  test('closing the client while a call waits to retry neither throws later nor leaves the call hanging', async ({
    assert,
    cleanup,
  }) => {
    // A frontend that accepts and drops every connection: each attempt fails as UNAVAILABLE,
    // which the default policy retries (for ~20 s without a deadline).
    const frontend = createServer((socket) => socket.destroy())
    frontend.listen(0, '127.0.0.1')
    await once(frontend, 'listening')
    cleanup(() => new Promise<void>((resolve) => frontend.close(() => resolve())))
    const uncaught: unknown[] = []
    const record = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', record)
    cleanup(() => {
      process.off('uncaughtException', record)
    })

    const config = app.config.get<TemporalConfig>('temporal')
    const { port } = frontend.address() as { port: number }
    const client = await createTemporalClient({ ...config, address: `127.0.0.1:${port}` })
    // Two dropped connections: the first attempt has failed and the retries are under way
    // (the channel reconnects after its own 250 ms backoff, the call retries after ~170 ms).
    let connections = 0
    const retrying = new Promise<void>((resolve) =>
      frontend.on('connection', () => ++connections === 2 && resolve())
    )
    const call = client.connection.workflowService.getSystemInfo({}).then(
      () => null,
      (error: { code?: number }) => error
    )
    await retrying
    await client.connection.close()

    // Before the fix the retry timer fired on the closed channel: "Channel has been shut
    // down" was thrown from the timer and the call never settled (this test timed out).
    const failure = await call
    assert.equal(failure?.code, 14) // UNAVAILABLE
    assert.deepEqual(uncaught, [])
  }).timeout(20_000)

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
