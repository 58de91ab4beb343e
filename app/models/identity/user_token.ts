import { UserTokenSchema } from '#database/schema'

/** A hashed single-use token mailed to a user (password reset, verification). */
export default class UserToken extends UserTokenSchema {
  static table = 'user_tokens'
}
