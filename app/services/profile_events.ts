import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import { WorkflowNotFoundError } from '@temporalio/client'

/**
 * Best effort: tells the running profileNudges workflow of this member that the
 * profile changed. No workflow (not started, finished) or no Temporal -> ignored.
 */
export async function signalProfileChanged(schoolId: string, userId: string) {
  try {
    const client = await app.container.make('temporal.client')
    await client.workflow.getHandle(`nudges:${schoolId}:${userId}`).signal('profileChanged')
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return
    logger.warn({ err: error, schoolId }, 'profileChanged signal not delivered')
  }
}
