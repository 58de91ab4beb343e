import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { type AccessToken } from '@adonisjs/auth/access_tokens'
import { UserSchema } from '#database/schema'
import { CachedDbAccessTokensProvider } from '#auth/cached_access_tokens'

const AuthFinder = withAuthFinder(() => hash.use('argon'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/** A global identity. School roles live on memberships. */
export default class User extends compose(UserSchema, AuthFinder) {
  static table = 'users'

  /* Redis-cached verification in front of the table (app/auth/cached_access_tokens.ts). */
  static accessTokens = CachedDbAccessTokensProvider.cachedForModel(User, {
    expiresIn: '15 minutes',
    prefix: 'pwa_',
    table: 'auth_access_tokens',
    type: 'access_token',
    tokenSecretLength: 40,
  })

  declare currentAccessToken?: AccessToken

  declare status: 'active' | 'disabled'
}
