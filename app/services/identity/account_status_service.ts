import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { ProblemException } from '#exceptions/problem_exception'
import { clearDeviceTrust } from '#services/identity/device_service'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { revokeFamilies } from '#services/identity/session_service'
import { invalidateUserContext } from '#services/platform/cache_service'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Ends everything a sign-in left behind: refresh families and access tokens (their
 * cached lookups are tombstoned, so the 60 s token cache does not keep them alive),
 * pending sign-in challenges and enrollment tokens, and device trust.
 */
async function endAllAccess(userId: string, reason: string) {
  await revokeFamilies({ userId }, reason)
  await db
    .from('auth_challenges')
    .where('user_id', userId)
    .whereNull('used_at')
    .update({ used_at: DateTime.now().toSQL() })
  await clearDeviceTrust(userId)
}

/**
 * An account registered but never confirmed is taken over by whoever proves the
 * mailbox (invitation acceptance, provider sign-in): nothing the registrant set up
 * may survive — sessions, devices (and their trust), second factors (without a
 * session none can be confirmed, so any factor is the registrant's), challenges.
 * The caller replaces the password.
 */
export async function reclaimUnprovenAccount(
  meta: RequestMeta | null,
  userId: string,
  via: string
) {
  await endAllAccess(userId, 'unproven_account_reclaimed')
  await db
    .from('devices')
    .where('user_id', userId)
    .whereNull('revoked_at')
    .update({ revoked_at: DateTime.now().toSQL(), device_token_hash: null })
  await db.from('mfa_totp_factors').where('user_id', userId).delete()
  await db.from('mfa_recovery_codes').where('user_id', userId).delete()
  await invalidateUserContext(userId)
  await recordAudit(meta, {
    action: 'auth.unproven_account_reclaimed',
    actorUserId: userId,
    targetType: 'user',
    targetId: userId,
    changes: { via },
  })
}

async function setStatus(userId: string, status: 'active' | 'disabled') {
  if (!UUID.test(userId)) throw ProblemException.notFound()
  const [row] = await db
    .from('users')
    .where('id', userId)
    .update({ status, updated_at: DateTime.now().toSQL() })
    .returning(['id', 'status'])
  if (!row) throw ProblemException.notFound()
  await invalidateUserContext(userId)
  return row as { id: string; status: 'active' | 'disabled' }
}

/**
 * Platform admins disable an account: sign-in, refresh and every live token stop at
 * once. School admins do not (an account may belong to other schools, with more
 * power there); they suspend the membership in their school instead.
 */
export async function disableUser(meta: RequestMeta, userId: string, reason?: string) {
  if (userId === meta.userId) {
    throw ProblemException.forbidden('You cannot disable your own account.')
  }
  const row = await setStatus(userId, 'disabled')
  await endAllAccess(userId, 'user_disabled')
  await recordAudit(meta, {
    action: 'user.disabled',
    targetType: 'user',
    targetId: userId,
    changes: { reason: reason ?? null },
  })
  return row
}

export async function enableUser(meta: RequestMeta, userId: string) {
  const row = await setStatus(userId, 'active')
  await recordAudit(meta, { action: 'user.enabled', targetType: 'user', targetId: userId })
  return row
}
