import { RefreshTokenFamilySchema } from '#database/schema'

/** A rotation family of refresh tokens, bound to a device. */
export default class RefreshTokenFamily extends RefreshTokenFamilySchema {
  static table = 'refresh_token_families'
}
