import * as OTPAuth from 'otpauth'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import hash from '@adonisjs/core/services/hash'
import type { SchoolRole } from '#services/tenancy/permissions'
import { callApi } from '#tests/helpers/api_client'

export const TEST_PASSWORD = 'a-long enough passphrase 42'

/**
 * Fixtures are written through the owner connection in platform scope: tenant
 * tables force row-level security even for their owner.
 */
export async function asOwner<T>(work: (trx: TransactionClientContract) => Promise<T>): Promise<T> {
  return db.connection('owner').transaction(async (trx) => {
    await trx.rawQuery(`select set_config('app.platform_scope', 'on', true)`)
    return work(trx)
  })
}

let passwordHash: string | undefined

export async function createUser(
  email: string,
  options: { platformAdmin?: boolean; verified?: boolean } = {}
) {
  passwordHash ??= await hash.use('argon').make(TEST_PASSWORD)
  const [row] = await asOwner((trx) =>
    trx
      .table('users')
      .insert({
        email,
        password: passwordHash,
        full_name: email.split('@')[0],
        email_verified_at: options.verified === false ? null : new Date(),
        is_platform_admin: options.platformAdmin ?? false,
      })
      .returning(['id', 'email'])
  )
  return row as { id: string; email: string }
}

export async function createSchool(slug: string, extra: Record<string, unknown> = {}) {
  const [row] = await asOwner((trx) =>
    trx
      .table('schools')
      .insert({ slug, name: `School ${slug}`, ...extra })
      .returning(['id', 'slug'])
  )
  return row as { id: string; slug: string }
}

export async function addMember(schoolId: string, userId: string, role: SchoolRole) {
  const [row] = await asOwner((trx) =>
    trx.table('memberships').insert({ school_id: schoolId, user_id: userId, role }).returning('id')
  )
  return row.id as string
}

export async function createCohort(schoolId: string, name = 'Cohort') {
  const [row] = await asOwner((trx) =>
    trx.table('cohorts').insert({ school_id: schoolId, name }).returning('id')
  )
  return row.id as string
}

export function totpOf(secret: string) {
  return new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  })
}

/**
 * A TOTP code the server will accept now: the current step, or the next one (one
 * step of drift is allowed) when the current step was already used. When both are
 * used, the stored last step is moved back — this stands in for waiting 30 seconds
 * for the next step, and never happens in the replay assertions themselves.
 */
export async function freshCode(userId: string, secret: string) {
  const current = Math.floor(Date.now() / 30_000)
  const row = await asOwner((trx) =>
    trx.from('mfa_totp_factors').where('user_id', userId).select('last_used_step').first()
  )
  const last =
    row?.last_used_step === null || row?.last_used_step === undefined
      ? null
      : Number(row.last_used_step)
  if (last === null || last < current) return totpOf(secret).generate({ timestamp: Date.now() })
  if (last === current) return totpOf(secret).generate({ timestamp: (current + 1) * 30_000 + 1 })
  await asOwner((trx) =>
    trx
      .from('mfa_totp_factors')
      .where('user_id', userId)
      .update({ last_used_step: current - 1 })
  )
  return totpOf(secret).generate({ timestamp: Date.now() })
}

/** TOTP secrets of accounts `login` enrolled, by e-mail (like the user's authenticator app). */
const authenticators = new Map<string, string>()

/** A sign-in step through the generated client (answers checked against the document). */
async function post(path: string, body: unknown, token?: string) {
  const { status, body: answer } = await callApi('POST', path, { body, token })
  if (status !== 200) throw new Error(`${path} answered ${status}`)
  return answer as Record<string, any>
}

async function userIdOf(email: string) {
  const row = await asOwner((trx) => trx.from('users').where('email', email).first())
  return row.id as string
}

/**
 * Signs in through the real endpoint and returns the token pair. Accounts that
 * need a second factor (platform admins, admins of schools requiring MFA) cannot
 * sign in with a password alone: on first sign-in the helper enrolls TOTP
 * through the API, and later answers the challenge with a fresh code.
 */
export async function login(email: string, password = TEST_PASSWORD) {
  let body = await post('/v1/auth/login', { email, password })
  if (body.mfaEnrollmentRequired) {
    const enrolled = await post('/v1/me/mfa/totp', {}, body.enrollmentToken)
    authenticators.set(email, enrolled.secret)
    body = await post(
      '/v1/me/mfa/totp/confirm',
      { code: await freshCode(await userIdOf(email), enrolled.secret) },
      body.enrollmentToken
    )
  } else if (body.mfaRequired) {
    const secret = authenticators.get(email)
    if (!secret) throw new Error(`login ${email}: MFA challenge, but the helper has no secret`)
    body = await post('/v1/auth/mfa/challenge', {
      challengeToken: body.challengeToken,
      code: await freshCode(await userIdOf(email), secret),
    })
  }
  return body as { accessToken: string; refreshToken: string }
}
