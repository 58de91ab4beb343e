import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import { type Client, WorkflowNotFoundError } from '@temporalio/client'
import { msToNumber } from '@temporalio/common'
import type { WorkflowsConfig } from '#config/workflows'
import { withTenant } from '#services/platform/tenant_context'

/*
| Repairs rows whose workflow is gone: an open row past its business deadline, with
| no outbox row still to deliver and no running workflow, moves to its final state
| (rows written before the outbox existed, or a workflow terminated by an operator).
*/
const GRACE_MS = 5 * 60_000

async function running(client: Client, workflowId: string) {
  try {
    const described = await client.workflow.getHandle(workflowId).describe()
    return described.status.name === 'RUNNING'
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false
    throw error
  }
}

const noPendingIntent = `not exists (select 1 from workflow_outbox o
  where o.workflow_id = t.workflow_id and o.status = 'pending')`

export async function reconcileInvitations(client: Client, limit = 50) {
  const stale = await withTenant({ platformScope: true }, (trx) =>
    trx
      .from('invitations as t')
      .where('t.status', 'pending')
      .where('t.expires_at', '<', new Date(Date.now() - GRACE_MS))
      .whereRaw(noPendingIntent)
      .select('t.id', 't.school_id', 't.workflow_id')
      .limit(limit)
  )
  let repaired = 0
  for (const row of stale) {
    if (await running(client, row.workflow_id)) continue
    const { setStatus } = await import('#services/tenancy/invitation_delivery_service')
    if ((await setStatus(row.id, row.school_id, 'expired')) === 'expired') repaired += 1
  }
  return repaired
}

export async function reconcileRecoveries(client: Client, limit = 50) {
  const settings = app.config.get<WorkflowsConfig>('workflows').mfaRecovery
  const window =
    msToNumber(settings.verifyWithin as '1 hour') + msToNumber(settings.coolingOff as '1 hour')
  const stale = await withTenant({ platformScope: true }, (trx) =>
    trx
      .from('mfa_recoveries as t')
      .whereIn('t.status', ['requested', 'verified'])
      .where('t.created_at', '<', new Date(Date.now() - window - GRACE_MS))
      .whereRaw(noPendingIntent)
      .select('t.id', 't.workflow_id')
      .limit(limit)
  )
  let repaired = 0
  for (const row of stale) {
    if (await running(client, row.workflow_id)) continue
    // Conditional: only an open recovery moves, and nothing about the account changes.
    const changed = await db
      .from('mfa_recoveries')
      .where('id', row.id)
      .whereIn('status', ['requested', 'verified'])
      .update({ status: 'expired', completed_at: new Date(), updated_at: new Date() })
    if (Number(changed) > 0) {
      repaired += 1
      logger.info({ recoveryId: row.id }, 'stale mfa recovery expired by the reconciler')
    }
  }
  return repaired
}
