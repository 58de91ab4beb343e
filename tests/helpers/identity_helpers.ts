import * as OTPAuth from 'otpauth'
import { asOwner, login, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { messagesTo, messageText } from '#tests/helpers/mailpit'
import { eventually } from '#tests/helpers/jobs_helpers'

export const baseUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

/** A JSON request to the running test server (plain fetch; for flows spanning several calls). */
export async function api(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}
) {
  const response = await fetch(`${baseUrl()}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
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

/** Signs in, enrolls and confirms TOTP through the API. */
export async function enableTotp(user: { id: string; email: string }) {
  const { accessToken } = await login(user.email)
  const enrolled = await api('POST', '/v1/me/mfa/totp', { token: accessToken })
  if (enrolled.status !== 200) throw new Error(`enroll answered ${enrolled.status}`)
  const secret = enrolled.body.secret as string
  const confirmed = await api('POST', '/v1/me/mfa/totp/confirm', {
    token: accessToken,
    body: { code: await freshCode(user.id, secret) },
  })
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`)
  return { secret, recoveryCodes: confirmed.body.recoveryCodes as string[], accessToken }
}

/** Password login returning the raw answer (token pair or challenge). */
export function passwordLogin(
  email: string,
  extra: Record<string, unknown> = {},
  password = TEST_PASSWORD
) {
  return api('POST', '/v1/auth/login', { body: { email, password, ...extra } })
}

/** Waits (bounded) for a mail whose subject contains `subjectPart` and returns its text. */
export async function waitForMail(address: string, subjectPart: string) {
  const message = await eventually(async () =>
    (await messagesTo(address)).find((m) => m.Subject.includes(subjectPart))
  )
  return messageText(message.ID)
}

export async function auditActions(userId: string) {
  const rows = await asOwner((trx) =>
    trx
      .from('audit_events')
      .where((q) => q.where('actor_user_id', userId).orWhere('target_id', userId))
      .orderBy('id')
      .select('action', 'outcome', 'changes')
  )
  return rows as { action: string; outcome: string; changes: Record<string, unknown> }[]
}
