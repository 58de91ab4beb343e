import { MfaTotpFactorSchema } from '#database/schema'

/** A user's TOTP factor (its secret stored encrypted). */
export default class MfaTotpFactor extends MfaTotpFactorSchema {
  static table = 'mfa_totp_factors'
}
