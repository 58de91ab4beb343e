import { defineConfig } from '@adonisjs/auth'
import { tokensGuard } from '@adonisjs/auth/access_tokens'
import { CachedTokensUserProvider } from '#auth/cached_access_tokens'
import type { InferAuthenticators, InferAuthEvents, Authenticators } from '@adonisjs/auth/types'

/* Opaque, hashed, 15-minute access tokens (see User.accessTokens); refresh tokens are ours. */
const authConfig = defineConfig({
  default: 'api',
  guards: {
    api: tokensGuard({
      // Redis-cached token + user lookup, falling back to the database (app/auth/cached_access_tokens.ts)
      provider: new CachedTokensUserProvider({
        tokens: 'accessTokens',
        model: () => import('#models/identity/user'),
      }),
    }),
  },
})

export default authConfig

declare module '@adonisjs/auth/types' {
  export interface Authenticators extends InferAuthenticators<typeof authConfig> {}
}
declare module '@adonisjs/core/types' {
  interface EventsList extends InferAuthEvents<Authenticators> {}
}
