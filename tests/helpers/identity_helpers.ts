import { asOwner, freshCode, login, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { messagesTo, messageText } from '#tests/helpers/mailpit'
import { eventually } from '#tests/helpers/jobs_helpers'
import { callApi } from '#tests/helpers/api_client'

export { freshCode, totpOf } from '#tests/helpers/fixtures'

export const baseUrl = () => `http://${process.env.HOST}:${process.env.PORT}`

/**
 * A JSON request to the running test server through the generated client (for flows spanning
 * several calls); the answer is checked against the OpenAPI document.
 */
export async function api(
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {}
) {
  const { status, body } = await callApi(method, path, options)
  return { status, body }
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
