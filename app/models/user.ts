import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { type AccessToken } from '@adonisjs/auth/access_tokens'
import { CachedDbAccessTokensProvider } from '#services/cache_tokens'

const AuthFinder = withAuthFinder(() => hash.use('argon'), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/** A global identity. School roles live on memberships. */
export default class User extends compose(BaseModel, AuthFinder) {
  /* Redis-cached verification in front of the table (app/services/cache_tokens.ts). */
  static accessTokens = CachedDbAccessTokensProvider.cachedForModel(User, {
    expiresIn: '15 minutes',
    prefix: 'pwa_',
    table: 'auth_access_tokens',
    type: 'access_token',
    tokenSecretLength: 40,
  })

  declare currentAccessToken?: AccessToken

  @column({ isPrimary: true })
  declare id: string

  @column()
  declare email: string

  @column()
  declare fullName: string | null

  @column({ serializeAs: null })
  declare password: string | null

  @column.dateTime()
  declare emailVerifiedAt: DateTime | null

  @column()
  declare isPlatformAdmin: boolean

  @column()
  declare status: 'active' | 'disabled'

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
