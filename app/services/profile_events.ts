import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { WorkflowNotFoundError } from '@temporalio/client'
import { signalWorkflow } from '#workflows/client'
import { profileChanged } from '#workflows/profile_nudges'
import { nudgesWorkflowId } from '#services/profile_nudges_service'

/**
 * Best effort: tells the running profileNudges workflow of this member that the
 * profile changed. No workflow (not started, finished) or no Temporal -> ignored.
 */
export async function signalProfileChanged(schoolId: string, userId: string) {
  try {
    const client = await app.container.make('temporal.client')
    await client.connection.withDeadline(Date.now() + 2000, () =>
      signalWorkflow(client, nudgesWorkflowId(schoolId, userId), profileChanged)
    )
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return
    logger.warn({ err: error, schoolId }, 'profileChanged signal not delivered')
  }
}
