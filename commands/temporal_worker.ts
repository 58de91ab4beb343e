import { createServer, type Server } from 'node:http'
import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { NativeConnection, Runtime, Worker } from '@temporalio/worker'
import type { TemporalConfig } from '#config/temporal'
import { temporalTls } from '#providers/temporal_provider'
import { workflowBundlePath, workflowCodeOptions } from '#workflows/entry'

/** Worker process settings (config/temporal.ts). */
export function workerSettings(config: TemporalConfig) {
  const graceSeconds = config.worker.shutdownGraceSeconds
  return {
    metricsPort: config.worker.metricsPort,
    healthPort: config.worker.healthPort,
    /** running activities get this long to finish after SIGTERM */
    graceSeconds,
    /** then the SDK cancels what is left and waits this much more */
    forceSeconds: graceSeconds + 60,
  }
}

/**
 * Runs the Temporal workers: `pathways` (interactive work: invitations, nudges, MFA
 * recovery, reports) and `pathways-ingestion` (job boards), plus the outbox relay.
 * Prometheus metrics (SDK runtime telemetry) on WORKER_METRICS_PORT `/metrics`;
 * `/health/live` and `/health/ready` on WORKER_HEALTH_PORT. SIGTERM/SIGINT drain:
 * no new tasks are polled, running activities get WORKER_SHUTDOWN_GRACE_SECONDS.
 * Exits non-zero when a worker fails. Never run it under `node --watch` (SDK crash on
 * Node 24.18+).
 */
export default class TemporalWorker extends BaseCommand {
  static commandName = 'temporal:worker'
  static description =
    'Run the Temporal workers (pathways + pathways-ingestion task queues) and the outbox relay'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Max concurrent activity executions', default: 20 })
  declare maxActivities: number

  async run() {
    // Activities pull in the services (and the environment): only when the worker runs, so
    // commands that need no environment (temporal:bundle in the image build) still load.
    const { createActivities } = await import('#workflows/activities/index')
    const config = this.app.config.get<TemporalConfig>('temporal')
    const settings = workerSettings(config)
    // Adonis owns the process signals; we drain the workers from its terminating hook.
    Runtime.install({
      shutdownSignals: [],
      telemetryOptions: {
        metrics: { prometheus: { bindAddress: `0.0.0.0:${settings.metricsPort}` } },
      },
    })

    const connection = await NativeConnection.connect({
      address: config.address,
      tls: await temporalTls(config),
    })
    // A missing namespace would leave the pollers retrying for ever: fail fast instead.
    try {
      await connection.workflowService.describeNamespace({ namespace: config.namespace })
    } catch (error) {
      this.logger.error(
        `temporal worker cannot start: namespace "${config.namespace}" (${(error as Error).message})`
      )
      await connection.close()
      this.exitCode = 1
      process.exitCode = 1
      return this.terminate()
    }
    const workflows = workflowCodeOptions(this.app)
    if ('workflowBundle' in workflows) {
      this.logger.info(`using prebuilt workflow bundle ${workflowBundlePath(this.app)}`)
    }
    const activities = createActivities(this.app)
    const queues = [...new Set([config.taskQueue, config.ingestionTaskQueue])]
    const workers = await Promise.all(
      queues.map((taskQueue) =>
        Worker.create({
          connection,
          namespace: config.namespace,
          taskQueue,
          ...workflows,
          activities,
          maxConcurrentActivityTaskExecutions: this.maxActivities,
          shutdownGraceTime: `${settings.graceSeconds} seconds`,
          shutdownForceTime: `${settings.forceSeconds} seconds`,
        })
      )
    )

    const health = await startHealthServer(settings.healthPort, () =>
      workers.every((worker) => worker.getState() === 'RUNNING')
    )

    const { startOutboxRelay } = await import('#services/platform/outbox_relay')
    const relay = startOutboxRelay(await this.app.container.make('temporal.client'))

    // If one worker fails, stop the others too: the process must not limp on.
    const running = workers.map((worker) =>
      worker.run().catch((error) => {
        for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown()
        throw error
      })
    )
    this.app.terminating(async () => {
      for (const worker of workers) if (worker.getState() === 'RUNNING') worker.shutdown()
      await relay.stop()
      await Promise.allSettled(running)
    })
    this.logger.info(
      `temporal worker polling ${queues.map((q) => `"${q}"`).join(', ')} on ${config.address}` +
        ` (metrics :${settings.metricsPort}/metrics, health :${settings.healthPort})`
    )

    const results = await Promise.allSettled(running)
    await relay.stop()
    health.close()
    await connection.close()
    const failed = results.find((result) => result.status === 'rejected')
    if (failed) {
      this.logger.error(
        `temporal worker failed: ${(failed.reason as Error)?.message ?? failed.reason}`
      )
      this.exitCode = 1
      // A worker that cannot run must take the pod down, so Kubernetes restarts it.
      process.exitCode = 1
    } else {
      this.logger.info('temporal workers stopped')
    }
    await this.terminate()
  }
}

/** `/health/live`: 200 while the process runs; `/health/ready`: 200 while every worker runs. */
function startHealthServer(port: number, ready: () => boolean): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0]
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end()
    } else if (path === '/health/live') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}')
    } else if (path === '/health/ready') {
      const ok = ready()
      response
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: ok ? 'ok' : 'unavailable' }))
    } else {
      response.writeHead(404).end()
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, () => resolve(server))
  })
}
