import { MfaRecoverySchema } from '#database/schema'

/** A request to recover a lost second factor (the mfaRecovery workflow). */
export default class MfaRecovery extends MfaRecoverySchema {
  static table = 'mfa_recoveries'
}
