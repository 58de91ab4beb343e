import encryption from '@adonisjs/core/services/encryption'
import { recordAudit } from '#services/platform/audit_service'
import { withTenant } from '#services/platform/tenant_context'
import { sendOnce } from '#services/platform/notification_service'
import { InvitationMail } from '#mails/platform/workflow_mails'

import {
  TOKEN_PURPOSE,
  TokenUndecryptableError,
  type InvitationStatus,
} from '#services/tenancy/invitation_service'

/* The staffInvitation workflow's side effects (called from workflows/activities/invitations.ts). */

/** Conditional status change: only a pending row moves; returns the row's final status. */
export async function setStatus(
  invitationId: string,
  schoolId: string,
  status: InvitationStatus,
  extra: { expiresAt?: string; byUserId?: string | null; failure?: string } = {}
): Promise<InvitationStatus> {
  return withTenant({ schoolId }, async (trx) => {
    const row = await trx
      .from('invitations')
      .where({ id: invitationId, school_id: schoolId })
      .forUpdate()
      .select('status')
      .first()
    if (!row) return 'revoked'
    if (row.status !== 'pending') return row.status
    const changes: Record<string, unknown> = { status, updated_at: new Date() }
    if (extra.expiresAt) changes.expires_at = new Date(extra.expiresAt)
    if (extra.failure) changes.failure = extra.failure.slice(0, 500)
    await trx.from('invitations').where('id', invitationId).update(changes)
    if (status !== 'pending') {
      await recordAudit(
        null,
        {
          action: `invitation.${status}`,
          schoolId,
          actorUserId: extra.byUserId ?? null,
          actorService: 'temporal:staffInvitation',
          targetType: 'invitation',
          targetId: invitationId,
        },
        trx
      )
    }
    return status
  })
}

export async function sendInvitationMail(
  invitationId: string,
  schoolId: string,
  tokenEncrypted: string,
  idempotencyKey: string,
  kind: 'invitation' | 'reminder'
) {
  const token = encryption.decrypt<string>(tokenEncrypted, TOKEN_PURPOSE)
  if (!token) throw new TokenUndecryptableError('the invitation token cannot be decrypted')
  const row = await withTenant({ schoolId }, (trx) =>
    trx
      .from('invitations as i')
      .join('schools as s', 's.id', 'i.school_id')
      .where('i.id', invitationId)
      .select('i.email', 'i.role', 'i.status', 'i.expires_at', 's.name as school_name')
      .first()
  )
  if (!row || row.status !== 'pending') return false
  const sent = await sendOnce(
    idempotencyKey,
    new InvitationMail(row.email, {
      kind,
      schoolName: row.school_name,
      role: row.role,
      expiresAt: new Date(row.expires_at),
      token,
    })
  )
  if (sent && kind === 'reminder') {
    await withTenant({ schoolId }, (trx) =>
      trx.from('invitations').where('id', invitationId).update({ reminded_at: new Date() })
    )
  }
  return sent
}
