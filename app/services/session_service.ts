import { DateTime } from 'luxon'
import { invalidateTokens } from '#services/cache_service'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import { hashToken, newOpaqueToken } from '#services/token_hash'
import { recordAudit } from '#services/audit_service'
import { mfaEnrollmentPending } from '#services/admin_mfa'
import { createChallenge } from '#services/mfa_service'
import {
  createDevice,
  findPresentedDevice,
  touchDevice,
  type KnownDevice,
} from '#services/device_service'

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60
const REFRESH_TOKEN_TTL_DAYS = 30

export interface TokenPair {
  accessToken: string
  refreshToken: string
  expiresIn: number
  tokenType: 'Bearer'
  /** The device this session belongs to; send it back with `deviceToken` on later sign-ins. */
  deviceId?: string
  /** Only when a new device was recorded: its secret, shown once. */
  deviceToken?: string
}

/** A readable device name from the user agent ("Firefox on Linux"). */
export function deviceName(userAgent: string | undefined) {
  if (!userAgent) return 'Unknown device'
  const browser = /Edg\//.test(userAgent)
    ? 'Edge'
    : /Firefox\//.test(userAgent)
      ? 'Firefox'
      : /Chrome\//.test(userAgent)
        ? 'Chrome'
        : /Safari\//.test(userAgent)
          ? 'Safari'
          : userAgent.split(/[ /]/)[0].slice(0, 40)
  const os = /Windows/.test(userAgent)
    ? 'Windows'
    : /Android/.test(userAgent)
      ? 'Android'
      : /iPhone|iPad|iOS/.test(userAgent)
        ? 'iOS'
        : /Mac OS X|Macintosh/.test(userAgent)
          ? 'macOS'
          : /Linux/.test(userAgent)
            ? 'Linux'
            : undefined
  return os ? `${browser} on ${os}` : browser
}

async function issueAccessToken(user: User, familyId: string) {
  const token = await User.accessTokens.create(user, ['*'], { name: `session:${familyId}` })
  return token.value!.release()
}

async function issueRefreshToken(familyId: string, client = db.connection()) {
  const token = newOpaqueToken('pwr_')
  await client.table('refresh_tokens').insert({
    family_id: familyId,
    token_hash: token.hash,
    expires_at: DateTime.now().plus({ days: REFRESH_TOKEN_TTL_DAYS }).toSQL(),
  })
  return token.value
}

/**
 * Starts a session: a refresh family bound to a device, and a token pair. The
 * device is the one the client proved (`deviceId` + `deviceToken` from an earlier
 * sign-in, see device_service) or a new record whose secret is returned once.
 * Pass `device` when the caller already resolved it (the MFA challenge did).
 */
export async function startSession(
  ctx: HttpContext,
  user: User,
  device?: KnownDevice | null
): Promise<TokenPair> {
  const known = device === undefined ? await findPresentedDevice(ctx, user.id) : device
  const signedInDevice = known ? await touchDevice(ctx, known.id) : await createDevice(ctx, user)
  const [family] = await db
    .table('refresh_token_families')
    .insert({ user_id: user.id, device_id: signedInDevice.id })
    .returning('id')

  return {
    accessToken: await issueAccessToken(user, family.id),
    refreshToken: await issueRefreshToken(family.id),
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    tokenType: 'Bearer',
    deviceId: signedInDevice.id,
    ...(signedInDevice.deviceToken ? { deviceToken: signedInDevice.deviceToken } : {}),
  }
}

/** Revokes refresh families and deletes their access tokens: effective on the next request. */
export async function revokeFamilies(
  where: { familyId?: string; userId?: string; deviceId?: string },
  reason: string
) {
  const revokedTokens: { id: string; hash: string }[] = []
  await db.transaction(async (trx) => {
    const query = trx.from('refresh_token_families').whereNull('revoked_at')
    if (where.familyId) query.where('id', where.familyId)
    if (where.userId) query.where('user_id', where.userId)
    if (where.deviceId) query.where('device_id', where.deviceId)
    const families: { id: string }[] = await query
      .update({ revoked_at: DateTime.now().toSQL(), revoked_reason: reason })
      .returning('id')
    const names = families.map((family) => `session:${family.id}`)
    if (where.familyId) names.push(`session:${where.familyId}`)
    if (names.length) {
      revokedTokens.push(
        ...(await trx
          .from('auth_access_tokens')
          .whereIn('name', names)
          .delete()
          .returning(['id', 'hash']))
      )
    }
    if (where.userId && !where.familyId) {
      revokedTokens.push(
        ...(await trx
          .from('auth_access_tokens')
          .where('tokenable_id', where.userId)
          .delete()
          .returning(['id', 'hash']))
      )
    }
  })
  await invalidateTokens(revokedTokens) // cached lookups (Redis) end with the rows
}

/**
 * Rotates a refresh token. A token is good once: presenting a used one means it
 * was copied, so the whole family (every token of that sign-in) is revoked.
 */
export async function rotateRefreshToken(ctx: HttpContext, presented: string) {
  const outcome = await db.transaction(async (trx) => {
    const row = await trx
      .from('refresh_tokens as t')
      .join('refresh_token_families as f', 'f.id', 't.family_id')
      .where('t.token_hash', hashToken(presented))
      .forUpdate()
      .select('t.id', 't.used_at', 't.expires_at', 'f.id as family_id', 'f.user_id', 'f.revoked_at')
      .first()

    if (!row || row.revoked_at || new Date(row.expires_at) <= new Date())
      return { kind: 'invalid' as const }
    if (row.used_at)
      return { kind: 'reused' as const, familyId: row.family_id, userId: row.user_id }

    await trx.from('refresh_tokens').where('id', row.id).update({ used_at: DateTime.now().toSQL() })
    await trx
      .from('refresh_token_families')
      .where('id', row.family_id)
      .update({ last_used_at: DateTime.now().toSQL() })
    const refreshToken = await issueRefreshToken(row.family_id, trx)
    return { kind: 'rotated' as const, familyId: row.family_id, userId: row.user_id, refreshToken }
  })

  if (outcome.kind === 'invalid') return null
  if (outcome.kind === 'reused') {
    await revokeFamilies({ familyId: outcome.familyId }, 'refresh_token_reuse')
    await recordAudit(ctx, {
      action: 'auth.refresh_token_reused',
      actorUserId: outcome.userId,
      targetType: 'session',
      targetId: outcome.familyId,
      outcome: 'denied',
    })
    return null
  }

  const user = await User.find(outcome.userId)
  if (!user || user.status !== 'active') return null
  if (await mfaEnrollmentPending(user)) return enrollInstead(ctx, user, outcome.familyId)
  return {
    accessToken: await issueAccessToken(user, outcome.familyId),
    refreshToken: outcome.refreshToken,
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
    tokenType: 'Bearer' as const,
  }
}

/**
 * A second factor became required since this session began (promoted to an admin
 * role, made platform admin, factor removed): the password-only session ends and
 * the refresh answers like a sign-in that needs enrollment.
 */
async function enrollInstead(ctx: HttpContext, user: User, familyId: string) {
  const family = await db
    .from('refresh_token_families')
    .where('id', familyId)
    .select('device_id')
    .first()
  await revokeFamilies({ familyId }, 'mfa_enrollment_required')
  const enrollment = await createChallenge(
    user.id,
    'mfa_enrollment',
    'refresh',
    family?.device_id ?? null
  )
  await recordAudit(ctx, {
    action: 'auth.mfa.enrollment_required',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
    changes: { method: 'refresh' },
  })
  return {
    mfaEnrollmentRequired: true as const,
    enrollmentToken: enrollment.token,
    expiresIn: enrollment.expiresIn,
  }
}

/** The refresh family the current access token belongs to. */
export function currentFamilyId(user: User) {
  const name = user.currentAccessToken?.name ?? ''
  return name.startsWith('session:') ? name.slice('session:'.length) : undefined
}
