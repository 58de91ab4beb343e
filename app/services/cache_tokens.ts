import { createHash } from 'node:crypto'
import {
  AccessToken,
  AccessTokensLucidUserProvider,
  DbAccessTokensProvider,
} from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import { readTokenCache, writeTokenCache } from '#services/cache_service'

/*
| Access-token verification with a Redis cache in front of the database (keyed by
| token identifier + SHA-256 digest of the secret, i.e. the stored hash). A hit still
| checks the secret against the hash and the expiry; a miss, or Redis down, is the
| stock database lookup. `last_used_at` is refreshed on misses only (at most once
| per TOKEN_TTL). The user row cached with the token spares the guard's user query.
*/

/** Verified user rows handed from verify() to the user provider's findById() of the same request. */
const verifiedUsers = new Map<string, Record<string, unknown>>()

export class CachedDbAccessTokensProvider<
  TokenableModel extends LucidModel,
> extends DbAccessTokensProvider<TokenableModel> {
  static cachedForModel<TokenableModel extends LucidModel>(
    model: any,
    options: Record<string, unknown> = {}
  ) {
    return new CachedDbAccessTokensProvider<TokenableModel>({
      tokenableModel: model,
      ...options,
    } as any)
  }

  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const digest = createHash('sha256').update(decoded.secret.release()).digest('hex')

    const cached = await readTokenCache(String(decoded.identifier), digest)
    if (cached) {
      const token = this.dbRowToAccessToken(cached.token as any)
      if (!token.verify(decoded.secret) || token.isExpired()) return null
      verifiedUsers.set(String(token.tokenableId), cached.user)
      return token
    }

    const token = await super.verify(tokenValue)
    if (!token) return null
    const db = await this.getDb()
    const model = this.options.tokenableModel as unknown as LucidModel
    const [tokenRow, userRow] = await Promise.all([
      db
        .from(this.table)
        .where('id', token.identifier as string)
        .first(),
      db
        .from(model.table)
        .where('id', token.tokenableId as string)
        .first(),
    ])
    if (tokenRow && userRow) {
      await writeTokenCache(
        String(token.identifier),
        digest,
        { token: tokenRow, user: userRow },
        token.expiresAt
      )
    }
    return token
  }
}

/** The guard's user provider: uses the user row cached with the token when there is one. */
export class CachedTokensUserProvider extends AccessTokensLucidUserProvider<any, any> {
  async findById(identifier: string | number | BigInt) {
    const key = String(identifier)
    const row = verifiedUsers.get(key)
    if (row) {
      verifiedUsers.delete(key)
      const model = await this.getModel()
      const user = model.$createFromAdapterResult(row)
      if (user) return this.createUserForGuard(user)
    }
    return super.findById(identifier)
  }
}
