import { invalidateUserContext } from '#services/platform/cache_service'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import logger from '@adonisjs/core/services/logger'
import type { TenantContext } from '#services/platform/tenant_context'
import type { WorkflowsConfig } from '#config/workflows'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { sendOnce } from '#services/platform/notification_service'
import { MfaRecoveryMail, type RecoveryMailKind } from '#mails/platform/workflow_mails'
import { revokeFamilies } from '#services/identity/session_service'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import { SchoolIdKey, WorkflowKindKey } from '#workflows/search_attributes'
import {
  dispatchIds,
  dispatchSoon,
  enqueue,
  enqueueAndDispatch,
} from '#services/platform/workflow_outbox'
import { signalIntent, startIntent } from '#workflows/client'
import {
  mfaRecovery,
  recoveryApproved,
  recoveryCancelled,
  recoveryDenied,
  recoveryVerified,
} from '#workflows/mfa_recovery'

const TOKEN_PURPOSE = 'mfa-recovery-token'
export type { RecoveryMailKind } from '#mails/platform/workflow_mails'
export type RecoveryOutcome = 'completed' | 'cancelled' | 'denied' | 'expired' | 'failed'

/** A mailed token cannot be decrypted (app key rotated): retrying cannot help. */
export class RecoveryTokenUndecryptableError extends Error {}

export function recoveryWorkflowId(userId: string) {
  return `mfa-recovery:${userId}`
}

/** Records a signal for the recovery's workflow and delivers it now when Temporal answers. */
async function sendSignal(intent: ReturnType<typeof signalIntent>) {
  await enqueueAndDispatch(null, [intent])
}

/**
 * Starts a recovery for an active account with a confirmed TOTP factor and no open
 * recovery. The caller always answers 202: nothing here reveals whether the account exists.
 */
export async function requestRecovery(email: string) {
  const user = await db
    .from('users as u')
    .join('mfa_totp_factors as f', 'f.user_id', 'u.id')
    .where('u.email', email)
    .where('u.status', 'active')
    .whereNotNull('f.confirmed_at')
    .select('u.id')
    .first()
  if (!user) return
  const verify = newOpaqueToken('mfr_')
  const cancel = newOpaqueToken('mfc_')
  const workflowId = recoveryWorkflowId(user.id)
  const settings = app.config.get<WorkflowsConfig>('workflows').mfaRecovery
  const schools = await db
    .from('memberships')
    .where({ user_id: user.id, status: 'active' })
    .select('school_id')
  // The recovery row and the intent that starts its workflow commit together.
  const created = await db.transaction(async (trx) => {
    const inserted = await trx.rawQuery<{ rows: { id: string }[] }>(
      `insert into mfa_recoveries (user_id, workflow_id, verify_token_hash, cancel_token_hash)
       values (?, ?, ?, ?)
       on conflict (user_id) where status in ('requested', 'verified') do nothing
       returning id`,
      [user.id, workflowId, verify.hash, cancel.hash]
    )
    if (inserted.rows.length === 0) return null // one open recovery at a time
    const id = inserted.rows[0].id
    const outboxIds = await enqueue(trx, null, [
      startIntent(mfaRecovery, {
        workflowId,
        args: [
          {
            recoveryId: id,
            userId: user.id,
            verifyTokenEncrypted: encryption.encrypt(verify.value, undefined, TOKEN_PURPOSE),
            cancelTokenEncrypted: encryption.encrypt(cancel.value, undefined, TOKEN_PURPOSE),
            verifyWithin: settings.verifyWithin,
            coolingOff: settings.coolingOff,
          },
        ],
        searchAttributes: [
          { key: WorkflowKindKey, value: 'mfa-recovery' },
          ...(schools[0] ? [{ key: SchoolIdKey, value: schools[0].school_id as string }] : []),
        ],
      }),
    ])
    return { id, outboxIds }
  })
  if (!created) return
  const recoveryId = created.id
  await dispatchIds(created.outboxIds).catch(() => false)
  await recordAudit(null, {
    action: 'mfa.recovery_requested',
    actorUserId: user.id,
    targetType: 'mfa_recovery',
    targetId: recoveryId,
  })
}

function invalidLink(): never {
  throw ProblemException.gone('The link is invalid, used or expired.')
}

/** The recovery a mailed token belongs to, still open. */
async function byToken(column: 'verify_token_hash' | 'cancel_token_hash', token: string) {
  const row = await db
    .from('mfa_recoveries')
    .where(column, hashToken(token))
    .select('id', 'user_id', 'workflow_id', 'status')
    .first()
  if (!row || !['requested', 'verified'].includes(row.status)) invalidLink()
  return row as { id: string; user_id: string; workflow_id: string; status: string }
}

export async function verifyRecovery(token: string) {
  const row = await byToken('verify_token_hash', token)
  if (row.status !== 'requested') invalidLink()
  await sendSignal(signalIntent(row.workflow_id, recoveryVerified))
  return { id: row.id, status: 'verified' as const }
}

export async function cancelRecovery(token: string) {
  const row = await byToken('cancel_token_hash', token)
  await sendSignal(signalIntent(row.workflow_id, recoveryCancelled))
  return { id: row.id, status: 'cancelling' as const }
}

/**
 * Approving early (school.manage) skips the cooling-off; denying (members.manage) stops the
 * recovery. The user must be a member of the deciding school. Both are audited with the user.
 */
export async function decideRecovery(
  meta: RequestMeta,
  tenant: TenantContext,
  id: string,
  decision: 'approve' | 'deny'
) {
  const row = await db
    .from('mfa_recoveries')
    .where('id', id)
    .whereIn('status', ['requested', 'verified'])
    .select('id', 'user_id', 'workflow_id', 'status')
    .first()
  const member =
    row &&
    (await tenant.trx
      .from('memberships')
      .where({ school_id: tenant.schoolId, user_id: row.user_id })
      .whereIn('status', ['active', 'suspended'])
      .first())
  if (!row || !member) throw ProblemException.notFound()
  if (decision === 'approve' && row.status !== 'verified') {
    throw ProblemException.conflict('The user has not verified the recovery request yet.')
  }
  if (row.user_id === meta.userId) {
    throw ProblemException.forbidden('You cannot decide your own recovery.')
  }
  const signal = decision === 'approve' ? recoveryApproved : recoveryDenied
  const intents = await enqueue(tenant.trx, tenant.schoolId, [
    signalIntent(row.workflow_id, signal, { byUserId: meta.userId }),
  ])
  dispatchSoon(tenant.trx, intents)
  await recordAudit(
    meta,
    {
      action: `mfa.recovery_${decision === 'approve' ? 'approved' : 'denied'}`,
      schoolId: tenant.schoolId,
      targetType: 'mfa_recovery',
      targetId: id,
      changes: { userId: row.user_id, skippedCoolingOff: decision === 'approve' },
    },
    tenant.trx
  )
  return { id, decision }
}

/* ---- activity side ---- */

export async function sendRecoveryMail(
  recoveryId: string,
  tokenEncrypted: string | null,
  idempotencyKey: string,
  kind: RecoveryMailKind
) {
  const row = await db
    .from('mfa_recoveries as r')
    .join('users as u', 'u.id', 'r.user_id')
    .where('r.id', recoveryId)
    .select('u.email', 'r.status')
    .first()
  if (!row) return false
  const token = tokenEncrypted ? encryption.decrypt<string>(tokenEncrypted, TOKEN_PURPOSE) : null
  if (tokenEncrypted && !token) {
    throw new RecoveryTokenUndecryptableError('the recovery token cannot be decrypted')
  }
  if (kind !== 'confirmation' && !['requested', 'verified'].includes(row.status)) return false
  return sendOnce(idempotencyKey, new MfaRecoveryMail(row.email, kind, token))
}

export async function markVerified(recoveryId: string) {
  await db
    .from('mfa_recoveries')
    .where({ id: recoveryId, status: 'requested' })
    .update({ status: 'verified', verified_at: new Date(), updated_at: new Date() })
}

/**
 * Closes an open recovery (conditional, so a retry is a no-op and returns the stored
 * outcome). `completed` removes the TOTP factor and recovery codes in the same
 * transaction, then revokes every session. Other outcomes leave the account untouched.
 */
export async function finish(
  recoveryId: string,
  outcome: RecoveryOutcome,
  byUserId: string | null
): Promise<RecoveryOutcome> {
  const result = await db.transaction(async (trx) => {
    const row = await trx.from('mfa_recoveries').where('id', recoveryId).forUpdate().first()
    if (!row) return { outcome: 'cancelled' as RecoveryOutcome, userId: null, changed: false }
    if (!['requested', 'verified'].includes(row.status)) {
      return {
        outcome: row.status as RecoveryOutcome,
        userId: row.user_id as string,
        changed: false,
      }
    }
    await trx.from('mfa_recoveries').where('id', recoveryId).update({
      status: outcome,
      decided_by: byUserId,
      completed_at: new Date(),
      updated_at: new Date(),
    })
    if (outcome === 'completed') {
      await trx.from('mfa_totp_factors').where('user_id', row.user_id).delete()
      await invalidateUserContext(row.user_id, trx)
      await trx.from('mfa_recovery_codes').where('user_id', row.user_id).delete()
    }
    await recordAudit(
      null,
      {
        action: `mfa.recovery_${outcome}`,
        actorUserId: byUserId ?? row.user_id,
        actorService: 'temporal:mfaRecovery',
        targetType: 'user',
        targetId: row.user_id,
        changes: { recoveryId },
      },
      trx
    )
    return { outcome, userId: row.user_id as string, changed: true }
  })
  // Idempotent: revoking again on a retry changes nothing.
  if (result.outcome === 'completed' && result.userId) {
    await revokeFamilies({ userId: result.userId }, 'mfa_recovery')
    if (result.changed) logger.info({ userId: result.userId }, 'mfa recovery completed')
  }
  return result.outcome
}
