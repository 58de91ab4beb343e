import { appUrl } from '#config/app'
import { TemplateMail } from '#mails/platform/template_mail'

/** Registration with an address that already has an account (the answer looks the same). */
export class AccountExistsMail extends TemplateMail {
  template = 'account_exists'
  subject = 'Pathways: you already have an account'
  protected values() {
    return { appUrl }
  }
}

/** A mail carrying a single-use token and how long it stays valid. */
abstract class TokenMail extends TemplateMail {
  constructor(
    recipient: string,
    private token: string,
    private validFor: number
  ) {
    super(recipient)
  }
  protected values() {
    return { appUrl, token: this.token, validFor: this.validFor }
  }
}

/** `validFor` in hours. */
export class VerifyEmailMail extends TokenMail {
  template = 'verify_email'
  subject = 'Pathways: confirm your e-mail address'
}

export class NewDeviceMail extends TemplateMail {
  template = 'new_device'
  subject = 'Pathways: new sign-in to your account'
  constructor(
    recipient: string,
    private device: { name: string; ip: string | null; at: Date }
  ) {
    super(recipient)
  }
  protected values() {
    return {
      name: this.device.name,
      ip: this.device.ip ?? '',
      time: this.device.at.toISOString(),
    }
  }
}

/** `validFor` in minutes. */
export class PasswordResetMail extends TokenMail {
  template = 'password_reset'
  subject = 'Pathways: reset your password'
}

/** After a password change (other sessions end) or a reset (every session ends). */
export class PasswordChangedMail extends TemplateMail {
  subject = 'Pathways: your password was changed'
  template: string
  constructor(recipient: string, how: 'changed' | 'reset') {
    super(recipient)
    this.template = how === 'reset' ? 'password_was_reset' : 'password_changed'
  }
  protected values() {
    return { appUrl }
  }
}
