import { timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import logger from '@adonisjs/core/services/logger'
import type User from '#models/identity/user'
import { ProblemException } from '#exceptions/problem_exception'
import { NewDeviceMail } from '#mails/identity/account_mails'
import { recordAudit, type DeviceProof, type RequestMeta } from '#services/platform/audit_service'
import { hashToken, newOpaqueToken } from '#services/identity/token_hash'
import { revokeFamilies, sessionLimits } from '#services/identity/session_service'
import DeviceTransformer from '#transformers/identity/device_transformer'
import SessionTransformer from '#transformers/identity/session_transformer'

export const DEVICE_TRUST_DAYS = 30
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface KnownDevice {
  id: string
  trustedUntil: Date | null
}

/** A readable device name from the user agent ("Firefox on Linux"). */
export function deviceName(userAgent: string | null | undefined) {
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

export function isTrusted(device: KnownDevice | null) {
  return Boolean(device?.trustedUntil && device.trustedUntil > new Date())
}

/**
 * The device a sign-in request proves it comes from: `deviceId` + `deviceToken`
 * (body fields or `X-Device-Id` / `X-Device-Token` headers) returned by an earlier
 * sign-in of the same user. Anything else — unknown, revoked, another user's,
 * wrong secret — is "no device", so a new one is recorded.
 */
export async function findPresentedDevice(
  proof: DeviceProof,
  userId: string
): Promise<KnownDevice | null> {
  const { deviceId: id, deviceToken: token } = proof
  if (typeof id !== 'string' || !UUID.test(id) || typeof token !== 'string' || token.length > 200)
    return null
  const row = await db
    .from('devices')
    .where({ id, user_id: userId })
    .whereNull('revoked_at')
    .select('id', 'device_token_hash', 'trusted_until')
    .first()
  if (!row?.device_token_hash) return null
  const presented = hashToken(token)
  if (!timingSafeEqual(presented, row.device_token_hash)) return null
  return { id: row.id, trustedUntil: row.trusted_until ? new Date(row.trusted_until) : null }
}

export async function touchDevice(meta: RequestMeta, id: string) {
  await db
    .from('devices')
    .where('id', id)
    .update({ last_seen_at: DateTime.now().toSQL(), last_ip: meta.ip, user_agent: meta.userAgent })
  return { id, deviceToken: undefined as string | undefined }
}

/**
 * Records a new device with a secret the client keeps (returned once, stored
 * hashed). Audited; the user is told by e-mail unless it is their first device.
 */
export async function createDevice(meta: RequestMeta, user: User) {
  const secret = newOpaqueToken('pwd_')
  const previous = await db.from('devices').where('user_id', user.id).count('* as n').first()
  const name = deviceName(meta.userAgent)
  const [device] = await db
    .table('devices')
    .insert({
      user_id: user.id,
      name,
      user_agent: meta.userAgent,
      last_ip: meta.ip,
      device_token_hash: secret.hash,
    })
    .returning('id')
  await recordAudit(meta, {
    action: 'auth.new_device',
    actorUserId: user.id,
    targetType: 'device',
    targetId: device.id,
    changes: { name, ip: meta.ip },
  })
  if (Number(previous?.n ?? 0) > 0) {
    try {
      await mail.send(new NewDeviceMail(user.email, { name, ip: meta.ip, at: new Date() }))
    } catch (error) {
      logger.warn({ err: error, requestId: meta.requestId }, 'new-device notice could not be sent')
    }
  }
  return { id: device.id as string, deviceToken: secret.value as string | undefined }
}

/** The caller's devices that are not revoked, newest activity first. */
export async function listDevices(userId: string, currentFamilyId: string | undefined) {
  const rows = await db
    .from('devices as d')
    .where('d.user_id', userId)
    .whereNull('d.revoked_at')
    .select(
      'd.id',
      'd.name',
      'd.last_ip',
      'd.first_seen_at',
      'd.last_seen_at',
      'd.trusted_until',
      db.raw(
        `(select count(*) from refresh_token_families f where f.device_id = d.id and f.revoked_at is null)::int as active_sessions`
      ),
      db.raw(
        `exists(select 1 from refresh_token_families f where f.device_id = d.id and f.id = ?) as current`,
        [currentFamilyId ?? '00000000-0000-0000-0000-000000000000']
      )
    )
    .orderBy('d.last_seen_at', 'desc')
    .limit(200)
  return DeviceTransformer.collection(rows)
}

/** The caller's live sessions (refresh families within their limits), with their device. */
export async function listSessions(userId: string, currentFamilyId: string | undefined) {
  const { idleSeconds, absoluteSeconds } = sessionLimits()
  const rows = await db
    .from('refresh_token_families as f')
    .join('devices as d', 'd.id', 'f.device_id')
    .where('f.user_id', userId)
    .whereNull('f.revoked_at')
    .where('f.last_used_at', '>', new Date(Date.now() - idleSeconds * 1000))
    .where('f.created_at', '>', new Date(Date.now() - absoluteSeconds * 1000))
    .select('f.id', 'f.created_at', 'f.last_used_at', 'd.id as device_id', 'd.name', 'd.last_ip')
    .orderBy('f.last_used_at', 'desc')
    .limit(200)
  return SessionTransformer.collection(rows, currentFamilyId)
}

function ownedOrNotFound(row: unknown) {
  if (!row) throw ProblemException.notFound()
}

/** Ends one of the caller's sessions; another user's (or unknown) id is a 404. */
export async function revokeSession(meta: RequestMeta, userId: string, familyId: string) {
  if (!UUID.test(familyId)) throw ProblemException.notFound()
  const row = await db
    .from('refresh_token_families')
    .where({ id: familyId, user_id: userId })
    .whereNull('revoked_at')
    .first()
  ownedOrNotFound(row)
  await revokeFamilies({ familyId }, 'session_revoked')
  await recordAudit(meta, {
    action: 'auth.session_revoked',
    targetType: 'session',
    targetId: familyId,
  })
}

/** Trusts one of the caller's devices: sign-ins proving it skip MFA for 30 days. */
export async function trustDevice(meta: RequestMeta, userId: string, deviceId: string) {
  if (!UUID.test(deviceId)) throw ProblemException.notFound()
  const trustedUntil = DateTime.now().plus({ days: DEVICE_TRUST_DAYS })
  const [row] = await db
    .from('devices')
    .where({ id: deviceId, user_id: userId })
    .whereNull('revoked_at')
    .update({ trusted_until: trustedUntil.toSQL() })
    .returning('id')
  ownedOrNotFound(row)
  await recordAudit(meta, {
    action: 'auth.device_trusted',
    targetType: 'device',
    targetId: deviceId,
    changes: { trustedUntil: trustedUntil.toISO() },
  })
  return { id: deviceId, trustedUntil: trustedUntil.toUTC().toISO()! }
}

/** Forgets one of the caller's devices: its trust ends and its sessions are revoked. */
export async function revokeDevice(meta: RequestMeta, userId: string, deviceId: string) {
  if (!UUID.test(deviceId)) throw ProblemException.notFound()
  const [row] = await db
    .from('devices')
    .where({ id: deviceId, user_id: userId })
    .whereNull('revoked_at')
    .update({ revoked_at: DateTime.now().toSQL(), trusted_until: null, device_token_hash: null })
    .returning('id')
  ownedOrNotFound(row)
  await revokeFamilies({ deviceId }, 'device_revoked')
  await recordAudit(meta, {
    action: 'auth.device_revoked',
    targetType: 'device',
    targetId: deviceId,
  })
}

/** Ends every device's trust of a user (password reset, MFA disabled). */
export async function clearDeviceTrust(userId: string) {
  await db.from('devices').where('user_id', userId).update({ trusted_until: null })
}

/** A device by id (not revoked), for a sign-in that already proved it (MFA challenge). */
export async function knownDevice(id: string): Promise<KnownDevice | null> {
  const row = await db.from('devices').where('id', id).whereNull('revoked_at').first()
  return row
    ? { id: row.id, trustedUntil: row.trusted_until ? new Date(row.trusted_until) : null }
    : null
}
