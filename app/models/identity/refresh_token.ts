import { RefreshTokenSchema } from '#database/schema'

/** A hashed one-time refresh token of a family. */
export default class RefreshToken extends RefreshTokenSchema {
  static table = 'refresh_tokens'
}
