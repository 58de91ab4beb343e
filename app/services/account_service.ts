import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as limiterErrors } from '@adonisjs/limiter'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { appUrl } from '#config/app'
import { ProblemException } from '#exceptions/problem_exception'
import { hashToken, newOpaqueToken } from '#services/token_hash'
import { recordAudit } from '#services/audit_service'
import { startSession, type TokenPair } from '#services/session_service'
import { findPresentedDevice, isTrusted, knownDevice } from '#services/device_service'
import { createChallenge, hasConfirmedTotp, passChallenge } from '#services/mfa_service'
import { secondFactorRequired } from '#services/admin_mfa'
import { withTenant } from '#services/tenant_context'
import { profileNudgesIntent } from '#services/profile_nudges_service'
import { dispatchIds, enqueue } from '#services/workflow_outbox'
import { loginFailures } from '#start/limiter'
import { clearAttempts, countAttempt } from '#services/rate_limit'

const VERIFY_EMAIL_TTL_HOURS = 24

async function createUserToken(
  userId: string,
  purpose: 'verify_email' | 'reset_password',
  ttl: object
) {
  const token = newOpaqueToken('pwv_')
  await db.table('user_tokens').insert({
    user_id: userId,
    purpose,
    token_hash: token.hash,
    expires_at: DateTime.now().plus(ttl).toSQL(),
  })
  return token.value
}

/** Marks a single-use token used and returns its user id, or null when unknown/used/expired. */
async function consumeUserToken(value: string, purpose: 'verify_email' | 'reset_password') {
  const [row] = await db
    .from('user_tokens')
    .where({ token_hash: hashToken(value), purpose })
    .whereNull('used_at')
    .where('expires_at', '>', DateTime.now().toSQL())
    .update({ used_at: DateTime.now().toSQL() })
    .returning('user_id')
  return (row?.user_id as string | undefined) ?? null
}

/**
 * Registration answers identically whether or not the e-mail is taken: a new
 * account gets a verification link, an existing one a "you already have an
 * account" notice. Both paths hash a password so their timing matches.
 */
export async function register(
  ctx: HttpContext,
  input: { email: string; password: string; fullName?: string }
) {
  const passwordHash = await hash.use('argon').make(input.password)
  const inserted = await db
    .table('users')
    .insert({ email: input.email, password: passwordHash, full_name: input.fullName ?? null })
    .onConflict('email')
    .ignore()
    .returning('id')

  if (inserted.length === 0) {
    await mail.send((message) => {
      message
        .to(input.email)
        .subject('Pathways: you already have an account')
        .text(
          `Someone tried to create a Pathways account with this address. You already have one: sign in, or reset your password at ${appUrl}/forgot-password. If this was not you, ignore this message.`
        )
    })
    return
  }

  const userId = inserted[0].id as string
  const token = await createUserToken(userId, 'verify_email', { hours: VERIFY_EMAIL_TTL_HOURS })
  await mail.send((message) => {
    message
      .to(input.email)
      .subject('Pathways: confirm your e-mail address')
      .text(
        `Welcome to Pathways. Confirm your address with this link (valid ${VERIFY_EMAIL_TTL_HOURS} hours, once):\n${appUrl}/verify-email?token=${token}\n\nVerification token: ${token}`
      )
  })
  await recordAudit(ctx, {
    action: 'auth.registered',
    actorUserId: userId,
    targetType: 'user',
    targetId: userId,
  })
}

/**
 * Confirms an e-mail address, then joins the schools whose allowed e-mail
 * domains include it, as a learner.
 */
export async function verifyEmail(ctx: HttpContext, token: string) {
  const userId = await consumeUserToken(token, 'verify_email')
  if (!userId) {
    throw new ProblemException(
      400,
      'invalid-token',
      'Invalid Token',
      'The link is invalid, used or expired.'
    )
  }
  const user = await User.findOrFail(userId)
  user.emailVerifiedAt = DateTime.now()
  await user.save()

  await joinSchoolsAllowingDomain(user)
  await recordAudit(ctx, {
    action: 'auth.email_verified',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
}

/**
 * A verified address joins, as learner, every active school that allows its
 * domain (e-mail verification and provider sign-in share this rule); each new
 * learner's profile-completion nudges start.
 */
export async function joinSchoolsAllowingDomain(user: User) {
  const domain = user.email.split('@')[1]
  const schools = await db
    .from('schools')
    .where('status', 'active')
    .whereRaw('? = any(allowed_email_domains)', [domain])
    .select('id')
  for (const school of schools) {
    const outboxIds = await withTenant({ schoolId: school.id, userId: user.id }, async (trx) => {
      const joined = await trx.rawQuery<{ rows: { id: string }[] }>(
        `insert into memberships (school_id, user_id, role) values (?, ?, 'learner')
         on conflict (school_id, user_id) do nothing returning id`,
        [school.id, user.id]
      )
      if (!joined.rows[0]) return []
      return enqueue(trx, school.id, [profileNudgesIntent(school.id, user.id, joined.rows[0].id)])
    })
    await dispatchIds(outboxIds).catch(() => false)
  }
}

/**
 * Password sign-in. Attempts count per account in Redis (a success clears them):
 * after 5 failures within 15 minutes the account is locked for 15 minutes (429 +
 * Retry-After), whether or not it exists, so lockout does not reveal accounts either.
 */
export async function login(ctx: HttpContext, email: string, password: string) {
  const key = `login_${email}`
  // Counted before the check, atomically: parallel guesses cannot exceed the limit.
  await countAttempt(loginFailures(), key).catch(async (error) => {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      await recordAudit(ctx, { action: 'auth.lockout', changes: { email }, outcome: 'denied' })
    }
    throw error
  })
  const user = await User.verifyCredentials(email, password).catch((failure) => {
    // Accounts without a password (roster-created, provider-only) fail like a wrong password.
    if (failure instanceof authErrors.E_INVALID_CREDENTIALS) throw failure
    throw new authErrors.E_INVALID_CREDENTIALS('Invalid user credentials')
  })
  await clearAttempts(loginFailures(), key)
  if (user.status !== 'active' || !user.emailVerifiedAt) {
    await recordAudit(ctx, { action: 'auth.login', actorUserId: user.id, outcome: 'denied' })
    throw new ProblemException(
      403,
      'account-not-active',
      'Forbidden',
      'Confirm your e-mail address before signing in.'
    )
  }
  await recordAudit(ctx, {
    action: 'auth.login',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
  return completeSignIn(ctx, user, 'password')
}

export type SignInResult =
  | TokenPair
  | { mfaRequired: true; challengeToken: string; expiresIn: number }
  | { mfaEnrollmentRequired: true; enrollmentToken: string; expiresIn: number }

/**
 * The last step of every sign-in (password, OAuth), after the first factor:
 * - a confirmed TOTP factor and a device that is not trusted → an MFA challenge
 *   (`{ mfaRequired, challengeToken }`, 5 minutes, single use);
 * - no factor but one is required (a platform admin, or a school requires MFA
 *   for the user's admin role) → an enrollment token (`{ mfaEnrollmentRequired,
 *   enrollmentToken }`, 15 minutes) that only opens POST /v1/me/mfa/totp and
 *   /confirm; confirming yields tokens;
 * - otherwise a session (token pair).
 */
export async function completeSignIn(
  ctx: HttpContext,
  user: User,
  method: string
): Promise<SignInResult> {
  const device = await findPresentedDevice(ctx, user.id)
  if (await hasConfirmedTotp(user.id)) {
    if (isTrusted(device)) {
      await recordAudit(ctx, {
        action: 'auth.mfa.skipped_trusted_device',
        actorUserId: user.id,
        targetType: 'device',
        targetId: device!.id,
        changes: { method },
      })
      return startSession(ctx, user, device)
    }
    const challenge = await createChallenge(user.id, 'mfa', method, device?.id ?? null)
    return { mfaRequired: true, challengeToken: challenge.token, expiresIn: challenge.expiresIn }
  }
  if (await secondFactorRequired(user)) {
    const enrollment = await createChallenge(user.id, 'mfa_enrollment', method, device?.id ?? null)
    await recordAudit(ctx, {
      action: 'auth.mfa.enrollment_required',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      changes: { method },
    })
    return {
      mfaEnrollmentRequired: true,
      enrollmentToken: enrollment.token,
      expiresIn: enrollment.expiresIn,
    }
  }
  return startSession(ctx, user, device)
}

/** Finishes a sign-in held by an MFA challenge (POST /v1/auth/mfa/challenge). */
export async function completeMfaChallenge(
  ctx: HttpContext,
  input: { challengeToken: string; code?: string; recoveryCode?: string }
) {
  const challenge = await passChallenge(ctx, input)
  const user = await User.findOrFail(challenge.user_id)
  const device = challenge.device_id ? await knownDevice(challenge.device_id) : null
  return startSession(ctx, user, device)
}
