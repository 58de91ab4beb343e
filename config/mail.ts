import env from '#start/env'
import { defineConfig, transports } from '@adonisjs/mail'
import pLimit from 'p-limit'

/*
| Mails one process has between "SMTP accepted it" and "recorded as sent" at once
| (app/services/platform/notification_service.ts sends inside this limit): the most a crash can
| duplicate. The pool has as many connections, so the limit costs no connection reuse.
*/
export const SMTP_MAX_CONNECTIONS = env.get('SMTP_MAX_CONNECTIONS', 2)
export const smtpSendLimit = pLimit(SMTP_MAX_CONNECTIONS)

const username = env.get('SMTP_USERNAME')
const password = env.get('SMTP_PASSWORD')

const mailConfig = defineConfig({
  default: 'smtp',
  from: { address: env.get('MAIL_FROM_ADDRESS', 'no-reply@pathways.local'), name: 'Pathways' },
  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST'),
      port: env.get('SMTP_PORT'),
      // Bounded well inside the sender's claim on an idempotency key (notification_service):
      // a stalled server fails the attempt instead of outliving the claim.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
      // The worker sends invitations, reminders and recovery mail in bursts: reuse connections
      // (and their TLS handshakes) instead of one connection per message.
      pool: true,
      maxConnections: SMTP_MAX_CONNECTIONS,
      maxMessages: 100,
      auth:
        username && password
          ? { type: 'login', user: username, pass: password.release() }
          : undefined,
    }),
  },
})

export default mailConfig

declare module '@adonisjs/mail/types' {
  export interface MailersList extends InferMailers<typeof mailConfig> {}
}
