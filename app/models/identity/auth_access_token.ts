import { AuthAccessTokenSchema } from '#database/schema'

/** A hashed opaque access token (the Adonis access-token guard). */
export default class AuthAccessToken extends AuthAccessTokenSchema {
  static table = 'auth_access_tokens'
}
