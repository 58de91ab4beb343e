import app from '@adonisjs/core/services/app'
import { BaseCheck, Result } from '@adonisjs/health'

/** Ready when the Temporal frontend answers a cheap RPC on our namespace. */
export class TemporalCheck extends BaseCheck {
  name = 'Temporal'

  async run() {
    try {
      const client = await app.container.make('temporal.client')
      await client.connection.withDeadline(Date.now() + 3000, () =>
        client.connection.workflowService.describeNamespace({ namespace: client.options.namespace })
      )
      return Result.ok('Temporal frontend is reachable')
    } catch (error) {
      return Result.failed('Temporal frontend is unreachable', error as Error)
    }
  }
}
