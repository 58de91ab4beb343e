import { OauthIdentitySchema } from '#database/schema'

/** A Google or Microsoft identity linked to a user. */
export default class OauthIdentity extends OauthIdentitySchema {
  static table = 'oauth_identities'
}
