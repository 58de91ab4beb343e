import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { signalIntent } from '#workflows/client'
import { profileChanged } from '#workflows/profile_nudges'
import { nudgesWorkflowId } from '#services/profiles/profile_nudges_service'
import { dispatchSoon, enqueue } from '#services/platform/workflow_outbox'

/**
 * Tells this member's profileNudges workflow that the profile changed: the signal is
 * written with the change and delivered once it commits (the workflow reads the
 * profile). A workflow that is not running (never started, finished) is fine.
 */
export async function signalProfileChanged(
  trx: TransactionClientContract,
  schoolId: string,
  userId: string
) {
  const ids = await enqueue(trx, schoolId, [
    signalIntent(nudgesWorkflowId(schoolId, userId), profileChanged),
  ])
  dispatchSoon(trx, ids)
}
