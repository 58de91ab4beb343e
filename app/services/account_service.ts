import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { appUrl } from '#config/app'
import { ProblemException } from '#exceptions/problem_exception'
import { hashToken, newOpaqueToken } from '#services/token_hash'
import { recordAudit } from '#services/audit_service'
import { startSession } from '#services/session_service'
import { withTenant } from '#services/tenant_context'
import { loginFailures } from '#start/limiter'

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

  const domain = user.email.split('@')[1]
  const schools = await db
    .from('schools')
    .where('status', 'active')
    .whereRaw('? = any(allowed_email_domains)', [domain])
    .select('id')
  for (const school of schools) {
    await withTenant({ schoolId: school.id, userId: user.id }, (trx) =>
      trx.rawQuery(
        `insert into memberships (school_id, user_id, role) values (?, ?, 'learner')
         on conflict (school_id, user_id) do nothing`,
        [school.id, user.id]
      )
    )
  }
  await recordAudit(ctx, {
    action: 'auth.email_verified',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
}

/**
 * Password sign-in. Failures count per account in Redis: after 5 within 15
 * minutes the account is locked for 15 minutes (429 + Retry-After), whether or
 * not it exists, so lockout does not reveal accounts either.
 */
export async function login(ctx: HttpContext, email: string, password: string) {
  const key = `login_${email}`
  const [error, user] = await loginFailures().penalize(key, () =>
    User.verifyCredentials(email, password)
  )
  if (error) {
    await recordAudit(ctx, { action: 'auth.lockout', changes: { email }, outcome: 'denied' })
    throw error
  }
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
  return startSession(ctx, user)
}
