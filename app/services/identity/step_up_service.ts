import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import type User from '#models/identity/user'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { assertAcceptablePassword } from '#services/identity/password_policy'
import { sendPasswordChangedNotice } from '#services/identity/password_reset_service'
import { countedPasswordCheck } from '#services/identity/sign_in'
import { requireFreshProof } from '#services/identity/mfa_service'
import { currentFamilyId, revokeFamilies, sessionLimits } from '#services/identity/session_service'

/*
| Step-up: sensitive changes (second factors, recovery codes, device trust, password)
| need the session to have proved its user recently — signed in, or re-authenticated
| with POST /v1/me/reauthenticate, within the re-authentication window (10 minutes by
| default, config/session.ts). The time is kept on the refresh family, so it belongs
| to this sign-in only and survives token refreshes without being extended by them.
*/

export const REAUTHENTICATION_REQUIRED = 'reauthentication-required'

function reauthenticationRequired() {
  const minutes = Math.round(sessionLimits().reauthenticationSeconds / 60)
  return new ProblemException(
    403,
    REAUTHENTICATION_REQUIRED,
    'Re-authentication Required',
    `This change needs a sign-in within the last ${minutes} minutes: confirm your password or an authenticator code with POST /v1/me/reauthenticate, then retry.`
  )
}

async function authenticatedAt(user: User) {
  const familyId = currentFamilyId(user)
  if (!familyId) return null
  const row = await db
    .from('refresh_token_families')
    .where({ id: familyId, user_id: user.id })
    .whereNull('revoked_at')
    .select('authenticated_at')
    .first()
  return row ? new Date(row.authenticated_at) : null
}

/** 403 `reauthentication-required` unless the caller's session authenticated recently. */
export async function requireRecentAuthentication(user: User) {
  const at = await authenticatedAt(user)
  const windowMs = sessionLimits().reauthenticationSeconds * 1000
  if (!at || at.getTime() + windowMs <= Date.now()) throw reauthenticationRequired()
}

/** The stored password hash, read fresh (the token cache may hold an older user row). */
async function storedPassword(userId: string) {
  const row = await db.from('users').where('id', userId).select('password').first()
  return (row?.password as string | null | undefined) ?? null
}

/**
 * Checks a password of the caller against the per-account counter shared with
 * login (5 failures lock both for 15 minutes). Wrong → 422 on `field`.
 */
async function checkPassword(meta: RequestMeta, user: User, password: string, field: string) {
  await countedPasswordCheck(meta, user.email, async () => {
    const stored = await storedPassword(user.id)
    if (stored && (await hash.use('argon').verify(stored, password))) return
    await recordAudit(meta, {
      action: 'auth.password_check_failed',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      outcome: 'failure',
      changes: { field },
    })
    throw new ProblemException(
      422,
      'invalid-password',
      'Invalid Password',
      'The password is wrong.',
      [{ field, message: 'The password is wrong.', rule: 'password' }]
    )
  })
}

async function markAuthenticated(user: User) {
  const familyId = currentFamilyId(user)
  if (!familyId) throw reauthenticationRequired()
  const now = DateTime.now()
  await db
    .from('refresh_token_families')
    .where({ id: familyId, user_id: user.id })
    .whereNull('revoked_at')
    .update({ authenticated_at: now.toSQL() })
  return now
}

/**
 * POST /v1/me/reauthenticate: the password, or a TOTP code (replay-protected,
 * counted per account), renews this session's authentication time.
 */
export async function reauthenticate(
  meta: RequestMeta,
  user: User,
  input: { password?: string; code?: string }
) {
  if (input.code) {
    await requireFreshProof(meta, user, { code: input.code }, 'auth.reauthentication_failed')
  } else {
    await checkPassword(meta, user, input.password ?? '', 'password')
  }
  const at = await markAuthenticated(user)
  await recordAudit(meta, {
    action: 'auth.reauthenticated',
    actorUserId: user.id,
    targetType: 'session',
    targetId: currentFamilyId(user),
    changes: { method: input.code ? 'totp' : 'password' },
  })
  return {
    authenticatedAt: at.toUTC().toISO()!,
    validUntil: at.plus({ seconds: sessionLimits().reauthenticationSeconds }).toUTC().toISO()!,
  }
}

/**
 * Authenticated password change. `currentPassword` proves the user now; without it
 * the session must have authenticated recently (accounts made by a provider have no
 * password they know). Every other session ends, pending reset links die, the owner
 * gets a notice.
 */
export async function changePassword(
  meta: RequestMeta,
  user: User,
  input: { currentPassword?: string; newPassword: string }
) {
  if (input.currentPassword !== undefined) {
    await checkPassword(meta, user, input.currentPassword, 'currentPassword')
  } else {
    await requireRecentAuthentication(user)
  }
  assertAcceptablePassword(
    input.newPassword,
    { email: user.email, name: user.fullName },
    'newPassword'
  )
  const passwordHash = await hash.use('argon').make(input.newPassword)
  await db.transaction(async (trx) => {
    await trx
      .from('users')
      .where('id', user.id)
      .update({ password: passwordHash, updated_at: DateTime.now().toSQL() })
    await trx
      .from('user_tokens')
      .where({ user_id: user.id, purpose: 'reset_password' })
      .whereNull('used_at')
      .update({ used_at: DateTime.now().toSQL() })
  })
  const familyId = currentFamilyId(user)
  await revokeFamilies({ userId: user.id, exceptFamilyId: familyId }, 'password_changed')
  if (input.currentPassword !== undefined) await markAuthenticated(user)
  await recordAudit(meta, {
    action: 'auth.password_changed',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
  await sendPasswordChangedNotice(meta, user.email, 'changed')
}
