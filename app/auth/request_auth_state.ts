import { HttpContext } from '@adonisjs/core/http'
import { AccessToken } from '@adonisjs/auth/access_tokens'
import { authLookup, type AuthLookup } from '#services/platform/cache_service'
import { tokenDigest, type AuthState } from '#services/identity/cache_tokens'

/*
| What a request's token lookup found, kept on the request: the rate-limit middleware starts
| the Redis lookup (one script with the counters), the token provider reuses it, and the
| school middleware, /v1/me and the admin second-factor rule read the resulting `AuthState`.
*/

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const PENDING = Symbol('authLookupPending')
const STATE = Symbol('authState')

type Bag = Record<symbol, unknown>

/** The access-token prefix, known once the provider exists (the User model is loaded). */
let tokenPrefix: string | null = null

export function setTokenPrefix(prefix: string) {
  tokenPrefix = prefix
}

/** The school a lookup for this request should include. */
export function requestSchoolId(ctx: HttpContext) {
  const id = ctx.params?.schoolId
  return typeof id === 'string' && UUID.test(id) ? id : null
}

/** One lookup per request and token: the rate-limit middleware starts it, verify() reuses it. */
export function lookupFor(ctx: HttpContext | null, identifier: string, digest: string) {
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
  return { identifier: String(decoded.identifier), hash: tokenDigest(decoded.secret.release()) }
}

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

/** The auth state of the request being served (for code the framework calls without ctx). */
export function currentAuthState(): AuthState | null {
  return authState(HttpContext.get())
}

export function rememberAuthState(ctx: HttpContext | null, state: AuthState) {
  if (ctx) (ctx as unknown as Bag)[STATE] = state
}
