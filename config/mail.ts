import env from '#start/env'
import { defineConfig, transports } from '@adonisjs/mail'

const username = env.get('SMTP_USERNAME')
const password = env.get('SMTP_PASSWORD')

const mailConfig = defineConfig({
  default: 'smtp',
  from: { address: env.get('MAIL_FROM_ADDRESS', 'no-reply@pathways.local'), name: 'Pathways' },
  mailers: {
    smtp: transports.smtp({
      host: env.get('SMTP_HOST'),
      port: env.get('SMTP_PORT'),
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
