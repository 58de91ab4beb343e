import app from '@adonisjs/core/services/app'
import { BaseCheck, Result } from '@adonisjs/health'
import { CHECK_TIMEOUT_MS } from '#services/platform/health/bounded_check'

/** Ready when the Temporal frontend answers a cheap RPC on our namespace. */
export class TemporalCheck extends BaseCheck {
  name = 'Temporal'

  async run() {
    try {
      const client = await app.container.make('temporal.client')
      // Ends (retries included) before the readiness bound gives up on it: no RPC outlives the probe.
      await client.connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS - 250, () =>
        client.connection.workflowService.describeNamespace({ namespace: client.options.namespace })
      )
      return Result.ok('Temporal frontend is reachable')
    } catch (error) {
      return Result.failed('Temporal frontend is unreachable', error as Error)
    }
  }
}
