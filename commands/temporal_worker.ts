import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { NativeConnection, Runtime, Worker } from '@temporalio/worker'
import type { TemporalConfig } from '#config/temporal'
import { temporalTls } from '#providers/temporal_provider'
import { workflowBundlePath, workflowCodeOptions } from '#workflows/entry'

/**
 * Runs a Temporal worker on the `pathways` task queue. SIGTERM/SIGINT drain it:
 * no new tasks are polled, running activities finish, then the app terminates.
 * Never run it under `node --watch` (SDK crash on Node 24.18+).
 */
export default class TemporalWorker extends BaseCommand {
  static commandName = 'temporal:worker'
  static description = 'Run the Temporal worker (workflows + activities) on the pathways task queue'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Max concurrent activity executions', default: 20 })
  declare maxActivities: number

  async run() {
    // Activities pull in the services (and the environment): only when the worker runs, so
    // commands that need no environment (temporal:bundle in the image build) still load.
    const { createActivities } = await import('#workflows/activities/index')
    const config = this.app.config.get<TemporalConfig>('temporal')
    // Adonis owns the process signals; we drain the worker from its terminating hook.
    Runtime.install({ shutdownSignals: [] })

    const connection = await NativeConnection.connect({
      address: config.address,
      tls: await temporalTls(config),
    })
    const workflowCode = workflowCodeOptions(this.app)
    if ('workflowBundle' in workflowCode) {
      this.logger.info(`using prebuilt workflow bundle ${workflowBundlePath(this.app)}`)
    }
    const worker = await Worker.create({
      connection,
      namespace: config.namespace,
      taskQueue: config.taskQueue,
      ...workflowCode,
      activities: createActivities(this.app),
      maxConcurrentActivityTaskExecutions: this.maxActivities,
      shutdownGraceTime: '30 seconds',
    })

    const running = worker.run()
    this.app.terminating(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown()
      await running.catch(() => {})
    })
    this.logger.info(`temporal worker polling "${config.taskQueue}" on ${config.address}`)

    try {
      await running
    } finally {
      await connection.close()
      this.logger.info('temporal worker stopped')
    }
    await this.terminate()
  }
}
