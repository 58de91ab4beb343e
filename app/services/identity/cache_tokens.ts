import { createHash } from 'node:crypto'
import type { CachedSchoolContext, CachedUserContext } from '#services/platform/cache_service'

/*
| Access tokens are cached in Redis keyed by token identifier + SHA-256 digest of the secret
| (the stored hash). The guard layer (app/auth/cached_access_tokens.ts) reads the cache, with
| the rate-limit counters in one Redis script, and keeps what it found for the request as an
| `AuthState` (app/auth/request_auth_state.ts); services receive that state as a plain value.
*/

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

/** The cache key part of a token secret: the same digest the database stores. */
export function tokenDigest(secret: string) {
  return createHash('sha256').update(secret).digest('hex')
}
