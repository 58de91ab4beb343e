import { createHash } from 'node:crypto'
import {
  AccessToken,
  AccessTokensLucidUserProvider,
  DbAccessTokensProvider,
} from '@adonisjs/auth/access_tokens'
import type { Secret } from '@adonisjs/core/helpers'
import { HttpContext } from '@adonisjs/core/http'
import type { LucidModel } from '@adonisjs/lucid/types/model'
import {
  authLookup,
  readUserGen,
  writeTokenCache,
  type AuthLookup,
  type CachedSchoolContext,
  type CachedUserContext,
} from '#services/platform/cache_service'

/*
| Access-token verification with a Redis cache in front of the database (keyed by
| token identifier + SHA-256 digest of the secret, i.e. the stored hash). A hit still
| checks the secret against the hash and the expiry; a miss, or Redis down, is the
| stock database lookup. `last_used_at` is refreshed on misses only (at most once
| per TOKEN_TTL). The user row cached with the token spares the guard's user query.
|
| The Redis read is made by the rate-limit middleware, in the same round trip (one script) as
| the rate-limit counters (`providePrefetched`), and also brings the caller's cached context and the
| requested school's; what it found is kept on the request (`authState`) for the school
| middleware, /v1/me and the admin second-factor rule.
*/

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const PENDING = Symbol('authLookupPending')
const STATE = Symbol('authState')

/** What the request's verified token brought from Redis, for that token's user only. */
export interface AuthState {
  userId: string
  /** The user's generation read before any row of theirs (null: Redis unavailable). */
  userGen: string | null
  userContext: CachedUserContext | null
  knownSchoolGens: Map<string, string>
  /** Set when the lookup asked for this school: its cached context (or null) and generation. */
  school: { id: string; entry: CachedSchoolContext | null; gen: string } | null
  /** The user row read with the token (cache hit), handed to the guard's findById. */
  userRow: Record<string, unknown> | null
}

type Bag = Record<symbol, unknown>

/** The access-token prefix, known once the provider exists (the User model is loaded). */
let tokenPrefix: string | null = null

function digestOf(secret: string) {
  return createHash('sha256').update(secret).digest('hex')
}

function requestSchoolId(ctx: HttpContext) {
  const id = ctx.params?.schoolId
  return typeof id === 'string' && UUID.test(id) ? id : null
}

/** One lookup per request and token: the rate-limit middleware starts it, verify() reuses it. */
function lookupFor(ctx: HttpContext | null, identifier: string, digest: string) {
  const key = `${identifier}:${digest}`
  const bag = ctx as unknown as Bag | null
  const pending = bag?.[PENDING] as { key: string; promise: Promise<AuthLookup> } | undefined
  if (pending && pending.key === key) return pending.promise
  const promise = authLookup(identifier, digest, ctx ? requestSchoolId(ctx) : null)
  if (bag) bag[PENDING] = { key, promise }
  return promise
}

/** The request's bearer access token as the cache keys it (null: none, or not one of ours). */
export function presentedToken(ctx: HttpContext) {
  if (!tokenPrefix) return null
  const header = ctx.request.header('authorization')
  if (!header?.toLowerCase().startsWith('bearer ')) return null
  const decoded = AccessToken.decode(tokenPrefix, header.slice(7).trim())
  if (!decoded) return null
  return { identifier: String(decoded.identifier), hash: digestOf(decoded.secret.release()) }
}

/** The school a lookup for this request should include. */
export { requestSchoolId }

/** Hands a lookup made with the rate-limit counters to this request's token verification. */
export function providePrefetched(
  ctx: HttpContext,
  token: { identifier: string; hash: string },
  lookup: AuthLookup
) {
  ;(ctx as unknown as Bag)[PENDING] = {
    key: `${token.identifier}:${token.hash}`,
    promise: Promise.resolve(lookup),
  }
}

/** What the verified token of this request brought from Redis (null when not authenticated). */
export function authState(ctx: HttpContext | null | undefined): AuthState | null {
  return ((ctx as unknown as Bag | undefined)?.[STATE] as AuthState | undefined) ?? null
}

function remember(ctx: HttpContext | null, state: AuthState) {
  if (ctx) (ctx as unknown as Bag)[STATE] = state
}

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
    tokenPrefix = this.prefix
  }

  async verify(tokenValue: Secret<string>): Promise<AccessToken | null> {
    const decoded = AccessToken.decode(this.prefix, tokenValue.release())
    if (!decoded) return null
    const identifier = String(decoded.identifier)
    const digest = digestOf(decoded.secret.release())
    const ctx = HttpContext.get()

    const cached = await lookupFor(ctx, identifier, digest)
    if (cached.token) {
      const token = this.dbRowToAccessToken(cached.token.token as any)
      if (!token.verify(decoded.secret) || token.isExpired()) return null
      const schoolId = ctx ? requestSchoolId(ctx) : null
      remember(ctx, {
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
    remember(ctx, {
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
