import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import { DateTime } from 'luxon'
import * as OTPAuth from 'otpauth'
import QRCode from 'qrcode'
import db from '@adonisjs/lucid/services/db'
import encryption from '@adonisjs/core/services/encryption'
import type User from '#models/identity/user'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { clearDeviceTrust } from '#services/identity/device_service'
import { clearAttempts, countAttempt } from '#services/platform/rate_limit'
import { mfaFailures } from '#start/limiter'
import { appKeyring, purposeKeys } from '#services/platform/keyring'
import { invalidateUserContext } from '#services/platform/cache_service'

export const TOTP_PERIOD = 30
export const RECOVERY_CODE_COUNT = 10
const ISSUER = 'Pathways'
const SECRET_PURPOSE = 'mfa_totp_secret'
const RECOVERY_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

function totpFor(user: { email: string }, secretBase32: string) {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: user.email,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  })
}

async function factorOf(userId: string) {
  return db.from('mfa_totp_factors').where('user_id', userId).first()
}

export async function hasConfirmedTotp(userId: string) {
  const row = await db
    .from('mfa_totp_factors')
    .where('user_id', userId)
    .whereNotNull('confirmed_at')
    .select('id')
    .first()
  return Boolean(row)
}

/**
 * Checks a TOTP code with one step of drift either way and accepts it once:
 * the accepted step must be later than the last accepted one (updated
 * atomically, so two concurrent requests with one code cannot both pass).
 */
async function acceptTotp(
  factor: { id: string; secret_encrypted: string },
  user: { email: string },
  code: string
) {
  if (!/^\d{6}$/.test(code)) return false
  const secret = encryption.decrypt<string>(factor.secret_encrypted, SECRET_PURPOSE)
  if (!secret) return false
  const now = Date.now()
  const delta = totpFor(user, secret).validate({ token: code, timestamp: now, window: 1 })
  if (delta === null) return false
  const step = Math.floor(now / 1000 / TOTP_PERIOD) + delta
  const updated = await db
    .from('mfa_totp_factors')
    .where('id', factor.id)
    .where((query) => query.whereNull('last_used_step').orWhere('last_used_step', '<', step))
    .update({ last_used_step: step })
    .returning('id')
  return updated.length > 0
}

/* 16 symbols of a 32-letter alphabet: 80 bits per code. */
const RECOVERY_CODE_SYMBOLS = 16

function normalizeRecoveryCode(code: string) {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '')
}

/**
 * Recovery codes are hashed with a random salt per code and keyed (HMAC-SHA-256) with a
 * key derived from the app key for this purpose only: equal codes never share a hash,
 * and a leaked table is useless without the key. 80 random bits make a slow hash
 * unnecessary, so checking the user's (at most 10) codes at sign-in costs microseconds.
 * The first hash (current key) is written; the others are accepted: previous keys
 * (rotation), then the raw keys of codes issued before key derivation.
 */
function recoveryCodeKeys(): (Buffer | string)[] {
  const keyring = appKeyring()
  return [...purposeKeys('mfa-recovery-codes', keyring), keyring.current, ...keyring.previous]
}

function recoveryCodeMac(key: Buffer | string, code: string, salt: Buffer) {
  return createHmac('sha256', key)
    .update('mfa-recovery-code:')
    .update(salt)
    .update(normalizeRecoveryCode(code))
    .digest()
}

export function recoveryCodeHashes(code: string, salt: Buffer, keys = recoveryCodeKeys()) {
  return keys.map((key) => recoveryCodeMac(key, code, salt))
}

function newRecoveryCode() {
  let raw = ''
  for (let index = 0; index < RECOVERY_CODE_SYMBOLS; index++)
    raw += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]
  return raw.match(/.{4}/g)!.join('-')
}

async function acceptRecoveryCode(userId: string, code: string) {
  if (normalizeRecoveryCode(code).length !== RECOVERY_CODE_SYMBOLS) return false
  const rows = await db
    .from('mfa_recovery_codes')
    .where('user_id', userId)
    .whereNull('used_at')
    .select('id', 'code_hash', 'code_salt')
  const keys = recoveryCodeKeys()
  const match = rows.find((row) =>
    recoveryCodeHashes(code, row.code_salt, keys).some(
      (hash) => hash.length === row.code_hash.length && timingSafeEqual(hash, row.code_hash)
    )
  )
  if (!match) return false
  // Conditional: two concurrent sign-ins with one code cannot both pass.
  const [row] = await db
    .from('mfa_recovery_codes')
    .where('id', match.id)
    .whereNull('used_at')
    .update({ used_at: DateTime.now().toSQL() })
    .returning('id')
  return Boolean(row)
}

async function replaceRecoveryCodes(userId: string) {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  // written under the current derived key; the other keys are only accepted
  const [key] = purposeKeys('mfa-recovery-codes')
  await db.transaction(async (trx) => {
    await trx.from('mfa_recovery_codes').where('user_id', userId).delete()
    await trx.table('mfa_recovery_codes').multiInsert(
      codes.map((code) => {
        const salt = randomBytes(16)
        return { user_id: userId, code_salt: salt, code_hash: recoveryCodeMac(key, code, salt) }
      })
    )
  })
  return codes
}

/**
 * A TOTP code (replay-protected) or an unused recovery code (then used up) of a user
 * with a confirmed authenticator; false otherwise. Counting attempts is the caller's.
 */
export async function verifySecondFactor(
  user: { id: string; email: string },
  proof: { code?: string; recoveryCode?: string }
) {
  const factor = await factorOf(user.id)
  if (!factor?.confirmed_at) return false
  if (proof.code) return acceptTotp(factor, user, proof.code)
  if (proof.recoveryCode) return acceptRecoveryCode(user.id, proof.recoveryCode)
  return false
}

const invalidCode = () =>
  new ProblemException(
    422,
    'invalid-mfa-code',
    'Invalid Code',
    'The code is wrong or was already used.',
    [{ field: 'code', message: 'The code is wrong or was already used.', rule: 'mfa_code' }]
  )

/** Starts (or restarts) TOTP enrollment: a new secret, its otpauth URI and a QR code. */
export async function enrollTotp(meta: RequestMeta, user: User) {
  const existing = await factorOf(user.id)
  if (existing?.confirmed_at) {
    throw ProblemException.conflict('An authenticator is already set up. Remove it first.')
  }
  const secret = new OTPAuth.Secret({ size: 20 }).base32
  const encrypted = encryption.encrypt(secret, undefined, SECRET_PURPOSE)
  await db
    .table('mfa_totp_factors')
    .insert({
      user_id: user.id,
      secret_encrypted: encrypted,
      confirmed_at: null,
      last_used_step: null,
    })
    .onConflict('user_id')
    .merge(['secret_encrypted', 'confirmed_at', 'last_used_step'])
  const otpauthUri = totpFor(user, secret).toString()
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', margin: 1 })
  await recordAudit(meta, {
    action: 'auth.mfa.totp_enrollment_started',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
  return {
    secret,
    otpauthUri,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
    digits: 6,
    period: TOTP_PERIOD,
    algorithm: 'SHA1' as const,
  }
}

/** Confirms enrollment with a first code; returns the first recovery codes (shown once). */
export async function confirmTotp(meta: RequestMeta, user: User, code: string) {
  const factor = await factorOf(user.id)
  if (!factor) throw ProblemException.notFound('Start enrollment first.')
  if (factor.confirmed_at)
    throw ProblemException.conflict('The authenticator is already confirmed.')
  if (!(await acceptTotp(factor, user, code))) {
    await recordAudit(meta, {
      action: 'auth.mfa.totp_confirm_failed',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      outcome: 'failure',
    })
    throw invalidCode()
  }
  await db
    .from('mfa_totp_factors')
    .where('id', factor.id)
    .update({ confirmed_at: DateTime.now().toSQL() })
  await invalidateUserContext(user.id)
  const recoveryCodes = await replaceRecoveryCodes(user.id)
  await recordAudit(meta, {
    action: 'auth.mfa.totp_confirmed',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
  return recoveryCodes
}

/**
 * A fresh TOTP code (or an unused recovery code) from the caller, or a 422. Wrong
 * codes count per account (mfaFailures): 429 once exhausted.
 */
export async function requireFreshProof(
  meta: RequestMeta,
  user: User,
  proof: { code?: string; recoveryCode?: string },
  action: string
) {
  if (!(await hasConfirmedTotp(user.id))) {
    throw ProblemException.notFound('No authenticator is set up.')
  }
  await countAttempt(mfaFailures(), `mfa_${user.id}`)
  if (!(await verifySecondFactor(user, proof))) {
    await recordAudit(meta, {
      action,
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
      outcome: 'failure',
    })
    throw invalidCode()
  }
  await clearAttempts(mfaFailures(), `mfa_${user.id}`)
  if (proof.recoveryCode) {
    await recordAudit(meta, {
      action: 'auth.mfa.recovery_code_used',
      actorUserId: user.id,
      targetType: 'user',
      targetId: user.id,
    })
  }
}

/** Removes the authenticator and recovery codes; needs a fresh code. Device trust ends. */
export async function disableTotp(
  meta: RequestMeta,
  user: User,
  proof: { code?: string; recoveryCode?: string }
) {
  await requireFreshProof(meta, user, proof, 'auth.mfa.totp_disable_failed')
  await db.from('mfa_totp_factors').where('user_id', user.id).delete()
  await invalidateUserContext(user.id)
  await db.from('mfa_recovery_codes').where('user_id', user.id).delete()
  await clearDeviceTrust(user.id)
  await recordAudit(meta, {
    action: 'auth.mfa.totp_disabled',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
}

/** Replaces the recovery codes with 10 new ones (shown once); needs a fresh TOTP code. */
export async function regenerateRecoveryCodes(meta: RequestMeta, user: User, code: string) {
  await requireFreshProof(meta, user, { code }, 'auth.mfa.recovery_codes_failed')
  const codes = await replaceRecoveryCodes(user.id)
  await recordAudit(meta, {
    action: 'auth.mfa.recovery_codes_generated',
    actorUserId: user.id,
    targetType: 'user',
    targetId: user.id,
  })
  return codes
}
