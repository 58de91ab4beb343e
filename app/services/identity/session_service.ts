import { DateTime } from 'luxon'
import { invalidateTokens } from '#services/platform/cache_service'
import app from '@adonisjs/core/services/app'
import string from '@adonisjs/core/helpers/string'
import db from '@adonisjs/lucid/services/db'
import User from '#models/identity/user'
import type { SessionConfig } from '#config/session'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60

/** Session limits in seconds (config/session.ts, read on every use). */
export function sessionLimits() {
  const config = app.config.get<SessionConfig>('session')
  return {
    idleSeconds: string.seconds.parse(config.idleTimeout),
    absoluteSeconds: string.seconds.parse(config.absoluteLifetime),
    reauthenticationSeconds: string.seconds.parse(config.reauthenticationWindow),
  }
}

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

/** An access token of the family, never valid past the family's absolute end. */
async function issueAccessToken(user: User, familyId: string, secondsLeft = Infinity) {
  const expiresIn = Math.max(1, Math.min(ACCESS_TOKEN_TTL_SECONDS, Math.floor(secondsLeft)))
  const token = await User.accessTokens.create(user, ['*'], {
    name: `session:${familyId}`,
    expiresIn,
  })
  return { accessToken: token.value!.release(), expiresIn }
}

/** A refresh token valid for the idle timeout, capped by the family's absolute end. */
async function issueRefreshToken(familyId: string, absoluteEnd: Date, client = db.connection()) {
  const token = newOpaqueToken('pwr_')
  const idleEnd = Date.now() + sessionLimits().idleSeconds * 1000
  await client.table('refresh_tokens').insert({
    family_id: familyId,
    token_hash: token.hash,
    expires_at: new Date(Math.min(idleEnd, absoluteEnd.getTime())),
  })
  return token.value
}

/**
 * Starts a session on a device the sign-in already resolved (see sign_in.ts, its only
 * caller): a refresh family bound to the device, and a token pair. `deviceToken` is
 * the secret of a device recorded by this sign-in, returned once.
 */
export async function startSession(
  user: User,
  device: { id: string; deviceToken?: string }
): Promise<TokenPair> {
  const [family] = await db
    .table('refresh_token_families')
    .insert({ user_id: user.id, device_id: device.id })
    .returning(['id', 'created_at'])
  const absoluteEnd = new Date(
    new Date(family.created_at).getTime() + sessionLimits().absoluteSeconds * 1000
  )

  return {
    ...(await issueAccessToken(user, family.id)),
    refreshToken: await issueRefreshToken(family.id, absoluteEnd),
    tokenType: 'Bearer',
    deviceId: device.id,
    ...(device.deviceToken ? { deviceToken: device.deviceToken } : {}),
  }
}

/**
 * Revokes refresh families and deletes their access tokens: effective on the next
 * request. `exceptFamilyId` keeps the caller's own session (password change).
 */
export async function revokeFamilies(
  where: { familyId?: string; userId?: string; deviceId?: string; exceptFamilyId?: string },
  reason: string
) {
  const revokedTokens: { id: string; hash: string }[] = []
  await db.transaction(async (trx) => {
    const query = trx.from('refresh_token_families').whereNull('revoked_at')
    if (where.familyId) query.where('id', where.familyId)
    if (where.userId) query.where('user_id', where.userId)
    if (where.deviceId) query.where('device_id', where.deviceId)
    if (where.exceptFamilyId) query.whereNot('id', where.exceptFamilyId)
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
      const tokens = trx.from('auth_access_tokens').where('tokenable_id', where.userId)
      if (where.exceptFamilyId) {
        const kept = `session:${where.exceptFamilyId}`
        tokens.where((q) => q.whereNull('name').orWhereNot('name', kept))
      }
      revokedTokens.push(...(await tokens.delete().returning(['id', 'hash'])))
    }
  })
  await invalidateTokens(revokedTokens) // cached lookups (Redis) end with the rows
}

/**
 * Rotates a refresh token (the new access token is the caller's, see accessPair). A token is good once: presenting a used one means it
 * was copied, so the whole family (every token of that sign-in) is revoked. A
 * family idle longer than the idle timeout, or older than the absolute lifetime,
 * is revoked too (the limits are checked on the family, whatever the token says).
 */
export async function rotateRefreshToken(meta: RequestMeta, presented: string) {
  const limits = sessionLimits()
  const outcome = await db.transaction(async (trx) => {
    const row = await trx
      .from('refresh_tokens as t')
      .join('refresh_token_families as f', 'f.id', 't.family_id')
      .where('t.token_hash', hashToken(presented))
      .forUpdate()
      .select(
        't.id',
        't.used_at',
        't.expires_at',
        'f.id as family_id',
        'f.user_id',
        'f.device_id',
        'f.revoked_at',
        'f.created_at as family_created_at',
        'f.last_used_at as family_last_used_at'
      )
      .first()

    if (!row || row.revoked_at || new Date(row.expires_at) <= new Date())
      return { kind: 'invalid' as const }
    if (row.used_at)
      return { kind: 'reused' as const, familyId: row.family_id, userId: row.user_id }
    const now = Date.now()
    const absoluteEnd = new Date(
      new Date(row.family_created_at).getTime() + limits.absoluteSeconds * 1000
    )
    const idleEnd = new Date(row.family_last_used_at).getTime() + limits.idleSeconds * 1000
    if (idleEnd <= now || absoluteEnd.getTime() <= now) {
      return {
        kind: 'expired' as const,
        familyId: row.family_id,
        userId: row.user_id,
        reason: absoluteEnd.getTime() <= now ? 'absolute_lifetime' : 'idle_timeout',
      }
    }

    await trx.from('refresh_tokens').where('id', row.id).update({ used_at: DateTime.now().toSQL() })
    await trx
      .from('refresh_token_families')
      .where('id', row.family_id)
      .update({ last_used_at: DateTime.now().toSQL() })
    const refreshToken = await issueRefreshToken(row.family_id, absoluteEnd, trx)
    return {
      kind: 'rotated' as const,
      familyId: row.family_id as string,
      deviceId: (row.device_id as string | null) ?? null,
      userId: row.user_id,
      refreshToken,
      secondsLeft: (absoluteEnd.getTime() - now) / 1000,
    }
  })

  if (outcome.kind === 'invalid') return null
  if (outcome.kind === 'expired') {
    await revokeFamilies({ familyId: outcome.familyId }, outcome.reason)
    await recordAudit(meta, {
      action: 'auth.session_expired',
      actorUserId: outcome.userId,
      targetType: 'session',
      targetId: outcome.familyId,
      outcome: 'denied',
      changes: { reason: outcome.reason },
    })
    return null
  }
  if (outcome.kind === 'reused') {
    await revokeFamilies({ familyId: outcome.familyId }, 'refresh_token_reuse')
    await recordAudit(meta, {
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
  return { ...outcome, user }
}

/** The answer to a refresh: a new access token beside the rotated refresh token. */
export async function accessPair(rotated: {
  user: User
  familyId: string
  refreshToken: string
  secondsLeft: number
}) {
  return {
    ...(await issueAccessToken(rotated.user, rotated.familyId, rotated.secondsLeft)),
    refreshToken: rotated.refreshToken,
    tokenType: 'Bearer' as const,
  }
}

/** The refresh family the current access token belongs to. */
export function currentFamilyId(user: User) {
  const name = user.currentAccessToken?.name ?? ''
  return name.startsWith('session:') ? name.slice('session:'.length) : undefined
}
