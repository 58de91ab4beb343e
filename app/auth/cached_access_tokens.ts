import {
  AccessToken,
  AccessTokensLucidUserProvider,
  DbAccessTokensProvider,
} from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import { HttpContext } from '@adonisjs/core/http'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import { readUserGen, writeTokenCache } from '#services/platform/cache_service'
import { tokenDigest } from '#services/identity/cache_tokens'
import {
  authState,
  lookupFor,
  rememberAuthState,
  requestSchoolId,
  setTokenPrefix,
} from '#auth/request_auth_state'

/*
| Access-token verification with a Redis cache in front of the database. A hit still
| checks the secret against the hash and the expiry; a miss, or Redis down, is the
| stock database lookup. `last_used_at` is refreshed on misses only (at most once
| per TOKEN_TTL). The user row cached with the token spares the guard's user query.
| The provider is called by the guard without the request, so it finds it with
| HttpContext.get() (the lookup the rate-limit middleware already made is on it).
*/

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

  constructor(options: ConstructorParameters<typeof DbAccessTokensProvider<TokenableModel>>[0]) {
    super(options)
    setTokenPrefix(this.prefix)
  }

  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const identifier = String(decoded.identifier)
    const digest = tokenDigest(decoded.secret.release())
    const ctx = HttpContext.get()

    const cached = await lookupFor(ctx, identifier, digest)
    if (cached.token) {
      const token = this.dbRowToAccessToken(cached.token.token as any)
      if (!token.verify(decoded.secret) || token.isExpired()) return null
      const schoolId = ctx ? requestSchoolId(ctx) : null
      rememberAuthState(ctx, {
        userId: String(token.tokenableId),
        userGen: cached.userGen,
        userContext: cached.userContext,
        knownSchoolGens: cached.knownSchoolGens,
        school:
          schoolId && cached.schoolGen !== null
            ? { id: schoolId, entry: cached.schoolContext, gen: cached.schoolGen }
            : null,
        userRow: cached.token.user,
      })
      return token
    }

    const token = await super.verify(tokenValue)
    if (!token) return null
    const userId = String(token.tokenableId)
    // The generation first, then the rows: a change committed after this read bumps it again.
    const gen = await readUserGen(userId)
    const db = await this.getDb()
    const model = this.options.tokenableModel as unknown as LucidModel
    const [tokenRow, userRow] = await Promise.all([
      db.from(this.table).where('id', identifier).first(),
      db.from(model.table).where('id', userId).first(),
    ])
    if (tokenRow && userRow && gen !== null) {
      await writeTokenCache(
        identifier,
        digest,
        { token: tokenRow, user: userRow, gen },
        token.expiresAt
      )
    }
    rememberAuthState(ctx, {
      userId,
      userGen: gen,
      userContext: null,
      knownSchoolGens: new Map(),
      school: null,
      userRow: userRow ?? null,
    })
    return token
  }
}

/** The guard's user provider: uses the user row read with the token when there is one. */
export class CachedTokensUserProvider extends AccessTokensLucidUserProvider<any, any> {
  async findById(identifier: string | number | BigInt) {
    const state = authState(HttpContext.get())
    const row = state?.userId === String(identifier) ? state.userRow : null
    if (row) {
      const model = await this.getModel()
      const user = model.$createFromAdapterResult(row)
      if (user) return this.createUserForGuard(user)
    }
    return super.findById(identifier)
  }
}
