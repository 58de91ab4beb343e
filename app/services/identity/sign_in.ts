import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as limiterErrors } from '@adonisjs/limiter'
import User from '#models/identity/user'
import { ProblemException } from '#exceptions/problem_exception'
import {
  recordAudit,
  type AuditInput,
  type DeviceProof,
  type RequestMeta,
} from '#services/platform/audit_service'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import {
  createDevice,
  findPresentedDevice,
  isTrusted,
  knownDevice,
  touchDevice,
  type KnownDevice,
} from '#services/identity/device_service'
import { hasConfirmedTotp, verifySecondFactor } from '#services/identity/mfa_service'
import { mfaEnrollmentPending, secondFactorRequired } from '#services/identity/admin_mfa'
import {
  accessPair,
  revokeFamilies,
  rotateRefreshToken,
  startSession,
  type TokenPair,
} from '#services/identity/session_service'
import { clearAttempts, countAttempt } from '#services/platform/rate_limit'
import { loginFailures, mfaFailures } from '#start/limiter'

/*
| The multi-step sign-in, one flow with named states (Ory Kratos' login flow as the model):
|
|   password_verified ──┬──────────────────────────────> session_issued
|   (password, provider, │  (no second factor needed, or a trusted device)
|    refresh)            ├─> mfa_required ─────────────> session_issued  (challenge passed)
|                        └─> mfa_enrollment_required ──> session_issued  (factor confirmed)
|
| The two waiting states are rows of `auth_challenges` (purpose `mfa` / `mfa_enrollment`),
| each with a single-use token. A row is used once: when its sign-in moves on to
| session_issued, or when 5 wrong codes burn it. A refresh whose user must now have a
| second factor ends its session and lands in mfa_enrollment_required too.
*/

export type SignInState =
  'password_verified' | 'mfa_required' | 'mfa_enrollment_required' | 'session_issued'

type WaitingState = 'mfa_required' | 'mfa_enrollment_required'

const WAITING: Record<WaitingState, { purpose: string; prefix: string; ttlMinutes: number }> = {
  mfa_required: { purpose: 'mfa', prefix: 'pwc_', ttlMinutes: 5 },
  mfa_enrollment_required: { purpose: 'mfa_enrollment', prefix: 'pwe_', ttlMinutes: 15 },
}
export const MFA_CHALLENGE_MAX_FAILURES = 5

export type SignInResult =
  | TokenPair
  | { mfaRequired: true; challengeToken: string; expiresIn: number }
  | { mfaEnrollmentRequired: true; enrollmentToken: string; expiresIn: number }

interface ChallengeRow {
  id: string
  user_id: string
  device_id: string | null
  method: string
}

/* ---------------------------- the waiting states ---------------------------- */

async function enterWaitingState(
  state: WaitingState,
  userId: string,
  method: string,
  deviceId: string | null
) {
  const { purpose, prefix, ttlMinutes } = WAITING[state]
  const token = newOpaqueToken(prefix)
  await db.table('auth_challenges').insert({
    user_id: userId,
    purpose,
    token_hash: token.hash,
    method,
    device_id: deviceId,
    expires_at: DateTime.now().plus({ minutes: ttlMinutes }).toSQL(),
  })
  return { token: token.value, expiresIn: ttlMinutes * 60 }
}

/** The live (unused, unexpired) sign-in waiting in `state` for this token, or null. */
async function waitingSignIn(token: string, state: WaitingState): Promise<ChallengeRow | null> {
  if (token.length > 200) return null
  const row = await db
    .from('auth_challenges')
    .where({ token_hash: hashToken(token), purpose: WAITING[state].purpose })
    .whereNull('used_at')
    .where('expires_at', '>', DateTime.now().toSQL())
    .first()
  return row ?? null
}

/** Leaves a waiting state (used once); false when another request left it first. */
async function leaveWaitingState(id: string) {
  const [row] = await db
    .from('auth_challenges')
    .where('id', id)
    .whereNull('used_at')
    .update({ used_at: DateTime.now().toSQL() })
    .returning('id')
  return Boolean(row)
}

/** Counts one attempt; a lockout (429) is audited before it is thrown. */
async function countAttemptOrAuditLockout(
  meta: RequestMeta,
  limiter: Parameters<typeof countAttempt>[0],
  key: string,
  lockout: AuditInput
) {
  await countAttempt(limiter, key).catch(async (error) => {
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) await recordAudit(meta, lockout)
    throw error
  })
}

/**
 * A password check counted per account in Redis (shared by sign-in and step-up):
 * counted before the check, atomically, so parallel guesses cannot exceed the limit;
 * after 5 failures within 15 minutes the account is locked for 15 minutes (429 +
 * Retry-After), whether or not it exists. `check` throws on a wrong password; a
 * success clears the count.
 */
export async function countedPasswordCheck<T>(
  meta: RequestMeta,
  email: string,
  check: () => Promise<T>
): Promise<T> {
  const key = `login_${email}`
  await countAttemptOrAuditLockout(meta, loginFailures(), key, {
    action: 'auth.lockout',
    changes: { email },
    outcome: 'denied',
  })
  const result = await check()
  await clearAttempts(loginFailures(), key)
  return result
}

/* ------------------------------- transitions ------------------------------- */

/** → session_issued: the proven (or a new) device, a refresh family and a token pair. */
async function issueSession(meta: RequestMeta, user: User, device: KnownDevice | null) {
  const signedIn = device ? await touchDevice(meta, device.id) : await createDevice(meta, user)
  return startSession(user, signedIn)
}

/** → mfa_enrollment_required: a token that only opens TOTP enrollment and confirmation. */
async function requireEnrollment(
  meta: RequestMeta,
  user: User,
  method: string,
  deviceId: string | null
) {
  const enrollment = await enterWaitingState('mfa_enrollment_required', user.id, method, deviceId)
  await recordAudit(meta, {
    action: 'auth.mfa.enrollment_required',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
    changes: { method },
  })
  return {
    mfaEnrollmentRequired: true as const,
    enrollmentToken: enrollment.token,
    expiresIn: enrollment.expiresIn,
  }
}

/**
 * From password_verified (password or provider sign-in):
 * - a confirmed TOTP factor and a device that is not trusted → mfa_required
 *   (`{ mfaRequired, challengeToken }`, 5 minutes, single use);
 * - no factor but one is required (a platform admin, or a school requires MFA for
 *   the user's admin role) → mfa_enrollment_required (`{ mfaEnrollmentRequired,
 *   enrollmentToken }`, 15 minutes) that only opens POST /v1/me/mfa/totp and
 *   /confirm; confirming issues the session;
 * - otherwise → session_issued (token pair).
 */
export async function firstFactorVerified(
  meta: RequestMeta,
  proof: DeviceProof,
  user: User,
  method: string
): Promise<SignInResult> {
  const device = await findPresentedDevice(proof, user.id)
  if (await hasConfirmedTotp(user.id)) {
    if (isTrusted(device)) {
      await recordAudit(meta, {
        action: 'auth.mfa.skipped_trusted_device',
        actorUserId: user.id,
        targetType: 'device',
        targetId: device!.id,
        changes: { method },
      })
      return issueSession(meta, user, device)
    }
    const challenge = await enterWaitingState('mfa_required', user.id, method, device?.id ?? null)
    return { mfaRequired: true, challengeToken: challenge.token, expiresIn: challenge.expiresIn }
  }
  if (await secondFactorRequired(user)) {
    return requireEnrollment(meta, user, method, device?.id ?? null)
  }
  return issueSession(meta, user, device)
}

/**
 * Password sign-in (see countedPasswordCheck for the lockout). Accounts without a
 * password (roster-created, provider-only) fail like a wrong password.
 */
export async function signInWithPassword(
  meta: RequestMeta,
  proof: DeviceProof,
  email: string,
  password: string
) {
  const user = await countedPasswordCheck(meta, email, () =>
    User.verifyCredentials(email, password).catch(async (failure) => {
      await recordAudit(meta, { action: 'auth.login', changes: { email }, outcome: 'failure' })
      if (failure instanceof authErrors.E_INVALID_CREDENTIALS) throw failure
      throw new authErrors.E_INVALID_CREDENTIALS('Invalid user credentials')
    })
  )
  if (user.status !== 'active' || !user.emailVerifiedAt) {
    await recordAudit(meta, { action: 'auth.login', actorUserId: user.id, outcome: 'denied' })
    throw new ProblemException(
      403,
      'account-not-active',
      'Forbidden',
      'Confirm your e-mail address before signing in.'
    )
  }
  await recordAudit(meta, {
    action: 'auth.login',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
  return firstFactorVerified(meta, proof, user, 'password')
}

/**
 * mfa_required → session_issued (POST /v1/auth/mfa/challenge). A wrong code counts
 * against the challenge (5 burn it: sign in again) and against the account, so a
 * new sign-in does not reset the guesses.
 */
export async function passMfaChallenge(
  meta: RequestMeta,
  input: { challengeToken: string; code?: string; recoveryCode?: string }
) {
  const challenge = await waitingSignIn(input.challengeToken, 'mfa_required')
  const refused = (detail: string) =>
    new ProblemException(401, 'invalid-mfa-challenge', 'Unauthorized', detail)
  if (!challenge) {
    await recordAudit(meta, {
      action: 'auth.mfa.challenge_failed',
      outcome: 'failure',
      changes: { reason: 'unknown_used_or_expired_challenge' },
    })
    throw refused('The challenge is invalid, used or expired. Sign in again.')
  }
  const userId = challenge.user_id
  const audited = { actorUserId: userId, targetType: 'user', targetId: userId }
  const user = await User.find(userId)
  await countAttemptOrAuditLockout(meta, mfaFailures(), `mfa_${userId}`, {
    action: 'auth.mfa.lockout',
    ...audited,
    outcome: 'denied',
  })
  const ok = user?.status === 'active' ? await verifySecondFactor(user, input) : false
  if (!ok) {
    const [row] = await db
      .from('auth_challenges')
      .where('id', challenge.id)
      .increment('failed_attempts', 1)
      .returning('failed_attempts')
    const attempts = Number(row?.failed_attempts ?? MFA_CHALLENGE_MAX_FAILURES)
    if (attempts >= MFA_CHALLENGE_MAX_FAILURES) await leaveWaitingState(challenge.id)
    await recordAudit(meta, {
      action: 'auth.mfa.challenge_failed',
      ...audited,
      outcome: 'failure',
      changes: { reason: input.code ? 'wrong_totp_code' : 'wrong_recovery_code', attempts },
    })
    throw refused('The code is wrong or was already used.')
  }
  await clearAttempts(mfaFailures(), `mfa_${userId}`)
  if (!(await leaveWaitingState(challenge.id))) {
    throw refused('The challenge is invalid, used or expired. Sign in again.')
  }
  if (input.recoveryCode) {
    await recordAudit(meta, { action: 'auth.mfa.recovery_code_used', ...audited })
  }
  await recordAudit(meta, {
    action: 'auth.mfa.challenge_passed',
    ...audited,
    changes: { method: challenge.method, factor: input.code ? 'totp' : 'recovery_code' },
  })
  const device = challenge.device_id ? await knownDevice(challenge.device_id) : null
  return issueSession(meta, user!, device)
}

/** The sign-in waiting in mfa_enrollment_required for an enrollment token (`pwe_...`), or null. */
export async function pendingEnrollment(token: string) {
  const enrollment = await waitingSignIn(token, 'mfa_enrollment_required')
  const user = enrollment ? await User.find(enrollment.user_id) : null
  if (!enrollment || !user || user.status !== 'active') return null
  return { user, enrollment }
}

/** mfa_enrollment_required → session_issued, once the new factor is confirmed. */
export async function finishEnrollment(meta: RequestMeta, user: User, enrollment: ChallengeRow) {
  if (!(await leaveWaitingState(enrollment.id))) {
    throw ProblemException.unauthorized('The enrollment token was already used. Sign in again.')
  }
  const device = enrollment.device_id ? await knownDevice(enrollment.device_id) : null
  return issueSession(meta, user, device)
}

/**
 * A refresh: a new token pair for the session, or — when a second factor became
 * required since it began (promoted to an admin role, made platform admin, factor
 * removed) — the password-only session ends and the refresh answers like a sign-in
 * that needs enrollment. Null when the token is invalid, reused or expired.
 */
export async function refreshSession(meta: RequestMeta, presented: string) {
  const rotated = await rotateRefreshToken(meta, presented)
  if (!rotated) return null
  if (await mfaEnrollmentPending(rotated.user)) {
    await revokeFamilies({ familyId: rotated.familyId }, 'mfa_enrollment_required')
    return requireEnrollment(meta, rotated.user, 'refresh', rotated.deviceId)
  }
  return accessPair(rotated)
}
