import { SentNotificationSchema } from '#database/schema'

/** A sent e-mail, by idempotency key, so a retried activity never sends twice. */
export default class SentNotification extends SentNotificationSchema {
  static table = 'sent_notifications'
}
