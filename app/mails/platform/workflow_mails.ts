import { appUrl } from '#config/app'
import { TemplateMail } from '#mails/platform/template_mail'

export class InvitationMail extends TemplateMail {
  template = 'invitation'
  subject: string
  constructor(
    recipient: string,
    private invitation: {
      kind: 'invitation' | 'reminder'
      schoolName: string
      role: string
      expiresAt: Date
      token: string
    }
  ) {
    super(recipient)
    const { kind, schoolName } = invitation
    this.subject =
      kind === 'reminder'
        ? `Reminder: your invitation to ${schoolName} on Pathways`
        : `You are invited to ${schoolName} on Pathways`
  }
  protected values() {
    return {
      schoolName: this.invitation.schoolName,
      role: this.invitation.role.replace('_', ' '),
      expiresAt: this.invitation.expiresAt.toUTCString(),
      link: `${appUrl}/invitations/${this.invitation.token}`,
      token: this.invitation.token,
    }
  }
}

export type RecoveryMailKind = 'verify' | 'cooling-off' | 'confirmation'

const RECOVERY_SUBJECTS: Record<RecoveryMailKind, string> = {
  'verify': 'Pathways: confirm your second-factor recovery',
  'cooling-off': 'Pathways: a recovery of your second factor was requested',
  'confirmation': 'Pathways: your second factor was reset',
}

export class MfaRecoveryMail extends TemplateMail {
  template: string
  subject: string
  constructor(
    recipient: string,
    kind: RecoveryMailKind,
    private token: string | null
  ) {
    super(recipient)
    this.template = `mfa_recovery_${kind.replace('-', '_')}`
    this.subject = RECOVERY_SUBJECTS[kind]
  }
  protected values() {
    return { appUrl, token: String(this.token) }
  }
}

export class ProfileNudgeMail extends TemplateMail {
  template = 'profile_nudge'
  subject: string
  constructor(
    recipient: string,
    private nudge: { fullName: string | null; schoolName: string | null; missing: string[] }
  ) {
    super(recipient)
    this.subject = `Complete your Pathways profile for ${nudge.schoolName ?? 'your school'}`
  }
  protected values() {
    return { appUrl, fullName: this.nudge.fullName ?? '', missing: this.nudge.missing.join(', ') }
  }
}
