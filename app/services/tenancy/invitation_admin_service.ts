import app from '@adonisjs/core/services/app'
import encryption from '@adonisjs/core/services/encryption'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client'
import { msToNumber } from '@temporalio/common'
import type { WorkflowsConfig } from '#config/workflows'
import { ProblemException } from '#exceptions/problem_exception'
import { DependencyUnavailableError } from '#exceptions/dependency_unavailable_error'
import { isWorkflowGone } from '#exceptions/temporal_problem'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { newOpaqueToken } from '#services/identity/token_hash'
import type { TenantContext } from '#services/platform/tenant_context'
import type { SchoolRole } from '#services/tenancy/permissions'
import { assertWithinCeiling } from '#services/tenancy/role_ceiling'
import { dispatchIds, dispatchSoon, enqueue } from '#services/platform/workflow_outbox'
import { updateDeadlineMs } from '#config/workflows'
import { signalIntent, startIntent, updateWorkflow } from '#workflows/client'
import { resendInvitation, revokeInvitation, staffInvitation } from '#workflows/staff_invitation'
import {
  InviteEmailKey,
  InviteStatusKey,
  SchoolIdKey,
  WorkflowKindKey,
} from '#workflows/search_attributes'

import {
  COLUMNS,
  invitationWorkflowId,
  TOKEN_PURPOSE,
  type InvitationRow,
} from '#services/tenancy/invitation_service'

async function temporal() {
  return app.container.make('temporal.client')
}

function settings() {
  return app.config.get<WorkflowsConfig>('workflows').invitation
}

/**
 * Creates the invitation row and, in the same transaction, the outbox intent that starts
 * `staffInvitation`; 409 with the pending one on a duplicate. `started` tells whether the
 * workflow already runs (false while Temporal is unreachable: the relay starts it later).
 */
export async function invite(
  meta: RequestMeta,
  tenant: TenantContext,
  input: { email: string; role: SchoolRole; cohortIds?: string[] }
) {
  const schoolId = tenant.schoolId
  await assertWithinCeiling(tenant.trx, schoolId, tenant.permissions, { role: input.role })
  const email = input.email.toLowerCase()
  type Written = { duplicate: InvitationRow } | { created: InvitationRow; intents: string[] }
  // Written in the request's transaction: a second transaction per request would hold two
  // pool connections each, and concurrent invitations would starve the pool (503s).
  const result = await (async (trx): Promise<Written> => {
    const existing = await trx
      .from('invitations')
      .where({ school_id: schoolId, email, status: 'pending' })
      .select(COLUMNS)
      .first()
    if (existing) return { duplicate: existing as InvitationRow }

    const cohortIds = [...new Set(input.cohortIds ?? [])]
    if (cohortIds.length > 0) {
      const found = await trx
        .from('cohorts')
        .where('school_id', schoolId)
        .whereIn('id', cohortIds)
        .whereNull('archived_at')
        .count('* as n')
      if (Number(found[0].n) !== cohortIds.length) {
        throw new ProblemException(
          422,
          'validation-error',
          'Unprocessable Content',
          'Unknown cohort.',
          [
            {
              field: 'cohortIds',
              message: 'Every cohort must exist in this school',
              rule: 'exists',
            },
          ]
        )
      }
    }

    const { reminderAfter, expiresAfter } = settings()
    const workflowId = invitationWorkflowId(schoolId, email)
    const token = newOpaqueToken('inv_')
    const [row] = await trx
      .table('invitations')
      .insert({
        school_id: schoolId,
        email,
        role: input.role,
        cohort_ids: cohortIds,
        token_hash: token.hash,
        workflow_id: workflowId,
        invited_by: meta.userId,
        expires_at: new Date(Date.now() + msToNumber(expiresAfter as '1 second')),
      })
      .returning(COLUMNS)
    await recordAudit(
      meta,
      {
        action: 'invitation.created',
        schoolId,
        targetType: 'invitation',
        targetId: row.id,
        changes: { email, role: input.role, cohortIds },
      },
      trx
    )
    const intents = await enqueue(trx, schoolId, [
      startIntent(staffInvitation, {
        workflowId,
        args: [
          {
            invitationId: row.id,
            schoolId,
            email,
            // Encrypted with the app key: the history and the outbox show no usable token.
            tokenEncrypted: encryption.encrypt(token.value, undefined, TOKEN_PURPOSE),
            reminderAfter,
            expiresAfter,
          },
        ],
        searchAttributes: [
          { key: SchoolIdKey, value: schoolId },
          { key: WorkflowKindKey, value: 'invitation' },
          { key: InviteEmailKey, value: email },
          { key: InviteStatusKey, value: 'pending' },
        ],
      }),
    ])
    return { created: row as InvitationRow, intents }
  })(tenant.trx)
  if ('duplicate' in result) return result
  // The workflow's first activity reads the row: deliver once it is committed.
  await tenant.trx.commit()
  const started = await dispatchIds(result.intents).catch(() => false)
  return { created: result.created, started }
}

async function pendingInvitation(trx: TransactionClientContract, schoolId: string, id: string) {
  const row = (await trx
    .from('invitations')
    .where({ school_id: schoolId, id })
    .select(COLUMNS)
    .first()) as InvitationRow | null
  if (!row) throw ProblemException.notFound()
  if (row.status !== 'pending') throw ProblemException.conflict(`The invitation is ${row.status}.`)
  return row
}

export async function revoke(meta: RequestMeta, tenant: TenantContext, id: string) {
  const row = await pendingInvitation(tenant.trx, tenant.schoolId, id)
  const intents = await enqueue(tenant.trx, tenant.schoolId, [
    signalIntent(row.workflow_id, revokeInvitation, { byUserId: meta.userId }),
  ])
  dispatchSoon(tenant.trx, intents)
  await recordAudit(
    meta,
    {
      action: 'invitation.revoked',
      schoolId: tenant.schoolId,
      targetType: 'invitation',
      targetId: id,
    },
    tenant.trx
  )
  return row
}

export async function resend(meta: RequestMeta, tenant: TenantContext, id: string) {
  const row = await pendingInvitation(tenant.trx, tenant.schoolId, id)
  const client = await temporal()
  const result = await updateWorkflow(client, row.workflow_id, resendInvitation, {
    args: [],
    deadlineMs: updateDeadlineMs(),
  }).catch((error) => {
    if (isWorkflowGone(error)) {
      // the workflow refused or has ended: a generic conflict (Temporal's text stays in the log)
      throw ProblemException.conflict('The invitation can no longer be resent.')
    }
    // No worker or no Temporal before the deadline: a dependency failure, not a conflict.
    if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
      throw new DependencyUnavailableError('temporal', error)
    throw error
  })
  await recordAudit(
    meta,
    {
      action: 'invitation.resent',
      schoolId: tenant.schoolId,
      targetType: 'invitation',
      targetId: id,
    },
    tenant.trx
  )
  return { id, expiresAt: result.expiresAt }
}
