import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import hash from '@adonisjs/core/services/hash'
import mail from '@adonisjs/mail/services/main'
import User from '#models/identity/user'
import { ProblemException } from '#exceptions/problem_exception'
import { AccountExistsMail, VerifyEmailMail } from '#mails/identity/account_mails'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { withTenant } from '#services/platform/tenant_context'
import { joinSchool } from '#services/tenancy/membership_service'
import { dispatchIds } from '#services/platform/workflow_outbox'

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
  meta: RequestMeta,
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
    await mail.send(new AccountExistsMail(input.email))
    return
  }

  const userId = inserted[0].id as string
  const token = await createUserToken(userId, 'verify_email', { hours: VERIFY_EMAIL_TTL_HOURS })
  await mail.send(new VerifyEmailMail(input.email, token, VERIFY_EMAIL_TTL_HOURS))
  await recordAudit(meta, {
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
export async function verifyEmail(meta: RequestMeta, token: string) {
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
  await recordAudit(meta, {
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
    const { outboxIds } = await withTenant({ schoolId: school.id, userId: user.id }, (trx) =>
      joinSchool(trx, { schoolId: school.id, userId: user.id, role: 'learner', existing: 'keep' })
    )
    await dispatchIds(outboxIds).catch(() => false)
  }
}
