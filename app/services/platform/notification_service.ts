import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'
import type { TemplateMail } from '#mails/platform/template_mail'
import { smtpSendLimit } from '#config/mail'

/**
 * How long a sender holds an idempotency key while it talks to SMTP: longer than an SMTP
 * exchange can take (config/mail.ts timeouts), short enough that the retry of a killed
 * worker's attempt (after the activity's 30 s start-to-close timeout) is not held up long.
 */
const CLAIM_SECONDS = 45

/** Another attempt holds the key right now (retryable: it either sends or its claim lapses). */
export class NotificationInFlightError extends Error {}

/**
 * Sends one e-mail at most once per idempotency key (workflow id + step), holding no
 * database transaction across SMTP: the key is claimed for a short lease (committed),
 * the message is sent, and `sent_at` is recorded right after the SMTP server accepted
 * it. A duplicate is only possible when a crash lands between those last two steps, and the
 * process has at most SMTP_MAX_CONNECTIONS mails there at once (smtpSendLimit): the pool would
 * otherwise go on to the next message before the last one is recorded.
 * Returns false when the key was already sent.
 */
export async function sendOnce(idempotencyKey: string, message: TemplateMail): Promise<boolean> {
  await db
    .table('sent_notifications')
    .insert({
      idempotency_key: idempotencyKey,
      recipient: message.recipient,
      subject: message.subject,
    })
    .onConflict('idempotency_key')
    .ignore()
  const claimed = await db.rawQuery<{ rows: unknown[] }>(
    `update sent_notifications set claimed_until = now() + (? * interval '1 second')
      where idempotency_key = ? and sent_at is null
        and (claimed_until is null or claimed_until < now())
      returning idempotency_key`,
    [CLAIM_SECONDS, idempotencyKey]
  )
  if (claimed.rows.length === 0) {
    const row = await db
      .from('sent_notifications')
      .where('idempotency_key', idempotencyKey)
      .select('sent_at')
      .first()
    if (row?.sent_at) return false
    throw new NotificationInFlightError(`notification ${idempotencyKey} is being sent`)
  }
  return smtpSendLimit(() => sendClaimed(idempotencyKey, message))
}

async function sendClaimed(idempotencyKey: string, message: TemplateMail): Promise<boolean> {
  try {
    await mail.send(message)
  } catch (error) {
    // Not sent: release the claim so the next attempt does not wait for the lease.
    await db
      .from('sent_notifications')
      .where('idempotency_key', idempotencyKey)
      .whereNull('sent_at')
      .update({ claimed_until: null })
      .catch(() => {})
    throw error
  }
  await db
    .from('sent_notifications')
    .where('idempotency_key', idempotencyKey)
    .update({ sent_at: new Date(), claimed_until: null })
  return true
}
