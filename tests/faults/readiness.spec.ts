import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import testUtils from '@adonisjs/core/services/test_utils'
import type { TemporalConfig } from '#config/temporal'
import { createTemporalClient } from '#providers/temporal_provider'
import {
  pointDatabaseAt,
  pointRedisAt,
  startPrivatePostgres,
  startPrivateRedis,
  waitFor,
} from '#tests/helpers/faults'
import { startPrivateTemporal } from '#tests/helpers/processes'

const FLIP_MS = 5_000

const probe = async (path: string) =>
  (
    await fetch(`http://${process.env.HOST}:${process.env.PORT}${path}`, {
      signal: AbortSignal.timeout(10_000),
    })
  ).status

/**
 * Stops a dependency and starts it again: /health/ready turns 503 within 5 s, and 200
 * within 5 s of the dependency being back; /health/live stays 200 throughout.
 */
async function measureFlip(
  name: string,
  server: { stop: () => Promise<unknown>; start: () => Promise<unknown> },
  assert: import('@japa/assert').Assert
) {
  await waitFor(async () => (await probe('/health/ready')) === 200, 20_000, `${name}: ready`)
  await server.stop()
  const stoppedAt = Date.now()
  await waitFor(async () => (await probe('/health/ready')) === 503, 15_000, `${name}: not ready`)
  const downIn = Date.now() - stoppedAt
  assert.equal(await probe('/health/live'), 200, `${name}: liveness while down`)
  await server.start()
  const backAt = Date.now()
  await waitFor(async () => (await probe('/health/ready')) === 200, 15_000, `${name}: ready again`)
  const upIn = Date.now() - backAt
  console.log(`[measure] readiness with ${name}: 503 after ${downIn} ms, 200 ${upIn} ms after back`)
  assert.isAtMost(downIn, FLIP_MS, `${name}: 503 within 5 s`)
  assert.isAtMost(upIn, FLIP_MS, `${name}: 200 within 5 s of being back`)
}

test.group('faults: readiness flips within 5 s both ways', (group) => {
  group.setup(() => testUtils.httpServer().start())

  test('PostgreSQL', async ({ assert, cleanup }) => {
    const postgres = await startPrivatePostgres()
    cleanup(() => postgres.dispose())
    cleanup(await pointDatabaseAt(postgres, { migrate: false }))
    await measureFlip('PostgreSQL', postgres, assert)
  }).timeout(120_000)

  test('Redis', async ({ assert, cleanup }) => {
    const server = await startPrivateRedis()
    cleanup(() => server.stop())
    cleanup(await pointRedisAt(server.port))
    await measureFlip('Redis', server, assert)
  }).timeout(120_000)

  test('Temporal', async ({ assert, cleanup }) => {
    const config = app.config.get<TemporalConfig>('temporal')
    const temporal = await startPrivateTemporal(config.namespace)
    cleanup(() => temporal.dispose())
    const privateClient = await createTemporalClient({ ...config, address: temporal.address })
    const real = await app.container.make('temporal.client')
    app.container.bindValue('temporal.client', privateClient)
    cleanup(async () => {
      app.container.bindValue('temporal.client', real)
      await privateClient.connection.close().catch(() => {})
    })
    await measureFlip('Temporal', temporal, assert)
  }).timeout(180_000)
})
