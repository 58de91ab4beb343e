import app from '@adonisjs/core/services/app'
import { NativeConnection, Worker } from '@temporalio/worker'
import type { TemporalConfig } from '#config/temporal'
import { createActivities } from '#workflows/activities/index'
import { startOutboxRelay } from '#services/platform/outbox_relay'

/**
 * A real worker on a test-unique task queue against the dev server, so tests do not
 * race a `bin/dev` worker polling `pathways`. Call `stop()` in a cleanup.
 */
export async function startTestWorker(
  taskQueue = `test-${crypto.randomUUID()}`,
  options: { relay?: boolean } = {}
) {
  const config = app.config.get<TemporalConfig>('temporal')
  const connection = await NativeConnection.connect({ address: config.address })
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue,
    workflowsPath: app.makePath('tests/helpers/test_workflows.ts'),
    activities: createActivities(app),
  })
  const running = worker.run()
  // Like the worker process, it runs the outbox relay (intents the API could not deliver).
  const relay =
    options.relay === false
      ? null
      : startOutboxRelay(await app.container.make('temporal.client'), { intervalMs: 200 })
  return {
    taskQueue,
    worker,
    async stop() {
      await relay?.stop()
      if (worker.getState() === 'RUNNING') worker.shutdown()
      await running
      await connection.close()
    },
  }
}

/**
 * Ends what this run left in the test namespace: running workflows and schedules on this
 * run's task queues (one per test database, so a parallel run's work is left alone).
 * Bounded: at most `limit` of each.
 */
export async function cleanTestTemporal(limit = 500) {
  const config = app.config.get<TemporalConfig>('temporal')
  if (!app.inTest) throw new Error('cleanTestTemporal runs in tests only')
  const client = await app.container.make('temporal.client')
  const queues = [...new Set([config.taskQueue, config.ingestionTaskQueue])]
  let workflows = 0
  let schedules = 0
  for (const queue of queues) {
    const running = client.workflow.list({
      query: `ExecutionStatus = 'Running' AND TaskQueue = '${queue}'`,
    })
    for await (const execution of running) {
      if (workflows >= limit) break
      await client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .terminate('test run finished')
        .catch(() => {})
      workflows += 1
    }
  }
  for await (const summary of client.schedule.list()) {
    if (schedules >= limit) break
    const handle = client.schedule.getHandle(summary.scheduleId)
    const described = await handle.describe().catch(() => null)
    const action = described?.action as { taskQueue?: string } | undefined
    if (action?.taskQueue && queues.includes(action.taskQueue)) {
      await handle.delete().catch(() => {})
      schedules += 1
    }
  }
  return { workflows, schedules }
}
