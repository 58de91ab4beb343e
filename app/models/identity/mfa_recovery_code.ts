import { MfaRecoveryCodeSchema } from '#database/schema'

/** A hashed one-time MFA recovery code. */
export default class MfaRecoveryCode extends MfaRecoveryCodeSchema {
  static table = 'mfa_recovery_codes'
}
