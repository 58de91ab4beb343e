import db from '@adonisjs/lucid/services/db'
import mail from '@adonisjs/mail/services/main'

/**
 * Sends one e-mail at most once per idempotency key (workflow id + step). The key row is
 * inserted and locked in a transaction that commits only after the SMTP server accepted
 * the message: a retried or concurrent activity with the same key waits on the lock and
 * then sees `sent_at`, so it never sends twice. Returns false when the key was already sent.
 */
export async function sendOnce(input: {
  idempotencyKey: string
  to: string
  subject: string
  text: string
}): Promise<boolean> {
  return db.transaction(async (trx) => {
    await trx
      .table('sent_notifications')
      .insert({
        idempotency_key: input.idempotencyKey,
        recipient: input.to,
        subject: input.subject,
      })
      .onConflict('idempotency_key')
      .ignore()
    const row = await trx
      .from('sent_notifications')
      .where('idempotency_key', input.idempotencyKey)
      .forUpdate()
      .first()
    if (row?.sent_at) return false
    await mail.send((message) => {
      message.to(input.to).subject(input.subject).text(input.text)
    })
    await trx
      .from('sent_notifications')
      .where('idempotency_key', input.idempotencyKey)
      .update({ sent_at: new Date() })
    return true
  })
}
