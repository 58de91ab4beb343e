import { test } from '@japa/runner'
import { closedPort } from '#tests/helpers/faults'
import { spawnWorkerProcess, until } from '#tests/helpers/processes'

/* `node ace temporal:worker` as a real process: probes, metrics, drain, exit codes. */
test.group('faults: worker process', () => {
  test('health and Prometheus metrics on their ports; SIGTERM drains and exits 0', async ({
    assert,
    cleanup,
  }) => {
    const metricsPort = await closedPort()
    const healthPort = await closedPort()
    const worker = spawnWorkerProcess({
      TEMPORAL_TASK_QUEUE: `fault-worker-${crypto.randomUUID()}`,
      TEMPORAL_INGESTION_TASK_QUEUE: `fault-ingest-${crypto.randomUUID()}`,
      WORKER_METRICS_PORT: String(metricsPort),
      WORKER_HEALTH_PORT: String(healthPort),
      WORKER_SHUTDOWN_GRACE_SECONDS: '5',
      OUTBOX_POLL_MS: '1000',
    })
    cleanup(() => worker.kill())
    const get = (port: number, path: string) => fetch(`http://127.0.0.1:${port}${path}`)

    await until(
      async () => (await get(healthPort, '/health/ready')).status === 200,
      90_000,
      'ready'
    )
    assert.equal((await get(healthPort, '/health/live')).status, 200)
    const metrics = await (await get(metricsPort, '/metrics')).text()
    assert.match(metrics, /temporal_/)

    const stopping = Date.now()
    worker.child.kill('SIGTERM')
    assert.equal(await worker.exit, 0, worker.output())
    console.log(`[measure] worker drained and exited ${Date.now() - stopping} ms after SIGTERM`)
  }).timeout(150_000)

  test('a worker that cannot run exits non-zero (the pod restarts instead of idling)', async ({
    assert,
    cleanup,
  }) => {
    const worker = spawnWorkerProcess({
      TEMPORAL_NAMESPACE: `missing-${crypto.randomUUID().slice(0, 8)}`,
      TEMPORAL_TASK_QUEUE: `fault-worker-${crypto.randomUUID()}`,
      WORKER_METRICS_PORT: String(await closedPort()),
      WORKER_HEALTH_PORT: String(await closedPort()),
    })
    cleanup(() => worker.kill())
    const code = await worker.exit
    assert.notEqual(code, 0, worker.output())
  }).timeout(150_000)
})
