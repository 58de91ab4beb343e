import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import logger from '@adonisjs/core/services/logger'
import { ProblemException } from '#exceptions/problem_exception'
import { PasswordChangedMail, PasswordResetMail } from '#mails/identity/account_mails'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import { assertAcceptablePassword } from '#services/identity/password_policy'
import { revokeFamilies } from '#services/identity/session_service'
import { clearDeviceTrust } from '#services/identity/device_service'

export const RESET_TOKEN_TTL_MINUTES = 30

/**
 * Sends the reset mail when the address belongs to an active account. Runs after
 * the response (the caller does not await it), so the answer — always 202 with
 * one body — and its timing are the same for known and unknown addresses.
 */
async function sendResetMail(meta: RequestMeta, email: string) {
  const user = await db.from('users').where('email', email).select('id', 'email', 'status').first()
  if (!user || user.status !== 'active') return
  const token = newOpaqueToken('pwp_')
  await db.table('user_tokens').insert({
    user_id: user.id,
    purpose: 'reset_password',
    token_hash: token.hash,
    expires_at: DateTime.now().plus({ minutes: RESET_TOKEN_TTL_MINUTES }).toSQL(),
  })
  await mail.send(new PasswordResetMail(user.email, token.value, RESET_TOKEN_TTL_MINUTES))
  await recordAudit(meta, {
    action: 'auth.password_reset_requested',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
}

/** Starts the reset-mail work; the controller does not await it, tests do to observe its end. */
export function requestPasswordReset(meta: RequestMeta, email: string) {
  return sendResetMail(meta, email).catch((error) =>
    logger.error({ err: error, requestId: meta.requestId }, 'password reset mail failed')
  )
}

const invalidToken = () =>
  new ProblemException(
    400,
    'invalid-token',
    'Invalid Token',
    'The link is invalid, used or expired.'
  )

/**
 * Sets a new password with a single-use, 30-minute token. Every session of the
 * account is revoked, device trust ends, other reset links die, and the owner
 * gets a notice. The token is burned only when the new password is acceptable.
 */
export async function resetPassword(meta: RequestMeta, token: string, password: string) {
  const row = await db
    .from('user_tokens as t')
    .join('users as u', 'u.id', 't.user_id')
    .where({ 't.token_hash': hashToken(token), 't.purpose': 'reset_password' })
    .whereNull('t.used_at')
    .where('t.expires_at', '>', DateTime.now().toSQL())
    .select('t.id', 'u.id as user_id', 'u.email', 'u.full_name', 'u.status')
    .first()
  if (!row || row.status !== 'active') {
    await recordAudit(meta, {
      action: 'auth.password_reset',
      outcome: 'failure',
      changes: { reason: 'invalid_token' },
    })
    throw invalidToken()
  }
  assertAcceptablePassword(password, { email: row.email, name: row.full_name })
  const passwordHash = await hash.use('argon').make(password)
  const done = await db.transaction(async (trx) => {
    const [used] = await trx
      .from('user_tokens')
      .where('id', row.id)
      .whereNull('used_at')
      .update({ used_at: DateTime.now().toSQL() })
      .returning('id')
    if (!used) return false
    await trx
      .from('user_tokens')
      .where({ user_id: row.user_id, purpose: 'reset_password' })
      .whereNull('used_at')
      .update({ used_at: DateTime.now().toSQL() })
    await trx
      .from('users')
      .where('id', row.user_id)
      .update({
        password: passwordHash,
        // Receiving the mail proves the address.
        email_verified_at: trx.raw('coalesce(email_verified_at, now())'),
        updated_at: DateTime.now().toSQL(),
      })
    return true
  })
  if (!done) throw invalidToken()

  await revokeFamilies({ userId: row.user_id }, 'password_reset')
  await clearDeviceTrust(row.user_id)
  await recordAudit(meta, {
    action: 'auth.password_reset',
    actorUserId: row.user_id,
    targetType: 'user',
    targetId: row.user_id,
  })
  await sendPasswordChangedNotice(meta, row.email, 'reset')
}

/** Tells the owner their password changed (best effort: the change itself has happened). */
export async function sendPasswordChangedNotice(
  meta: RequestMeta,
  email: string,
  how: 'changed' | 'reset'
) {
  try {
    await mail.send(new PasswordChangedMail(email, how))
  } catch (error) {
    logger.warn(
      { err: error, requestId: meta.requestId },
      'password change notice could not be sent'
    )
  }
}
