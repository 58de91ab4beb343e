import app from '@adonisjs/core/services/app'
import { NativeConnection, Worker } from '@temporalio/worker'
import type { TemporalConfig } from '#config/temporal'
import { createActivities } from '#workflows/activities/index'
import { workflowsEntry } from '#workflows/entry'

/**
 * A real worker on a test-unique task queue against the dev server, so tests do not
 * race a `bin/dev` worker polling `pathways`. Call `stop()` in a cleanup.
 */
export async function startTestWorker(taskQueue = `test-${crypto.randomUUID()}`) {
  const config = app.config.get<TemporalConfig>('temporal')
  const connection = await NativeConnection.connect({ address: config.address })
  const worker = await Worker.create({
    connection,
    namespace: config.namespace,
    taskQueue,
    workflowsPath: workflowsEntry(app),
    activities: createActivities(app),
  })
  const running = worker.run()
  return {
    taskQueue,
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown()
      await running
      await connection.close()
    },
  }
}
