import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { bestEffort, parseRow } from '#services/cache_store'

/*
| Redis caches on the authentication path (see README "Caching"):
| - access tokens: `auth:at:{identifier}:{hash}` -> the token row and its user row,
|   TTL TOKEN_TTL seconds (never beyond the token's expiry). A revocation deletes the
|   entry and writes a tombstone `auth:revoked:{identifier}` that outlives any entry.
| - school context: `school:ctx:{schoolId}:{userId}` -> school row, membership row,
|   effective permissions, stamped with the school's generation `school:gen:{schoolId}`.
|   Any role, status or permission change in the school increments the generation,
|   before and after its transaction commits, so no request can re-cache stale data.
| Every Redis failure falls back to the database.
*/
export const TOKEN_TTL = 60
export const SCHOOL_CONTEXT_TTL = 120
const TOMBSTONE_TTL = 16 * 60

export interface CachedTokenEntry {
  token: Record<string, unknown>
  user: Record<string, unknown>
}

export function readTokenCache(identifier: string, hash: string) {
  return bestEffort('token read', null as CachedTokenEntry | null, async (redis) => {
    const [entry, revoked] = await redis.mget(
      `auth:at:${identifier}:${hash}`,
      `auth:revoked:${identifier}`
    )
    if (!entry || revoked) return null
    return parseRow<CachedTokenEntry>(entry)
  })
}

export function writeTokenCache(
  identifier: string,
  hash: string,
  entry: CachedTokenEntry,
  expiresAt?: Date | null
) {
  const remaining = expiresAt ? Math.floor((expiresAt.getTime() - Date.now()) / 1000) : TOKEN_TTL
  const ttl = Math.min(TOKEN_TTL, remaining)
  if (ttl <= 0) return Promise.resolve()
  return bestEffort('token write', undefined, async (redis) => {
    // Not over a tombstone: a token revoked while we read it stays refused.
    const revoked = await redis.exists(`auth:revoked:${identifier}`)
    if (!revoked) await redis.set(`auth:at:${identifier}:${hash}`, JSON.stringify(entry), 'EX', ttl)
  })
}

/** Forgets revoked tokens at once (call with the deleted rows' id and hash). */
export function invalidateTokens(tokens: { id: string | number; hash: string }[]) {
  if (tokens.length === 0) return Promise.resolve()
  return bestEffort('token invalidate', undefined, async (redis) => {
    const pipeline = redis.pipeline()
    for (const token of tokens) {
      pipeline.set(`auth:revoked:${token.id}`, '1', 'EX', TOMBSTONE_TTL)
      pipeline.del(`auth:at:${token.id}:${token.hash}`)
    }
    await pipeline.exec()
  })
}

export interface CachedSchoolContext {
  gen: string
  school: Record<string, unknown>
  membership: Record<string, unknown> | null
  permissions: string[]
}

/** The cached context and the school's current generation (one round trip). */
export function readSchoolContext(schoolId: string, userId: string) {
  return bestEffort(
    'school context read',
    { entry: null as CachedSchoolContext | null, gen: null as string | null },
    async (redis) => {
      const [entry, gen] = await redis.mget(
        `school:ctx:${schoolId}:${userId}`,
        `school:gen:${schoolId}`
      )
      const current = gen ?? '0'
      const parsed = entry ? parseRow<CachedSchoolContext>(entry) : null
      return { entry: parsed && parsed.gen === current ? parsed : null, gen: current }
    }
  )
}

export function writeSchoolContext(schoolId: string, userId: string, entry: CachedSchoolContext) {
  return bestEffort('school context write', undefined, async (redis) => {
    await redis.set(
      `school:ctx:${schoolId}:${userId}`,
      JSON.stringify(entry),
      'EX',
      SCHOOL_CONTEXT_TTL
    )
  })
}

/**
 * Invalidates every cached school context of the school: now, and again when the
 * transaction that makes the change commits (or at once without a transaction).
 */
export async function invalidateSchoolContext(schoolId: string, trx?: TransactionClientContract) {
  const bump = () =>
    bestEffort('school context invalidate', undefined, async (redis) => {
      await redis.incr(`school:gen:${schoolId}`)
    })
  await bump()
  if (trx && !trx.isCompleted) trx.after('commit', bump)
}

/** A Lucid model's attributes as a database row (column names), for `$createFromAdapterResult`. */
export function rawRow(model: { $attributes: Record<string, unknown>; constructor: Function }) {
  const definitions = (model.constructor as any).$columnsDefinitions as Map<
    string,
    { columnName: string }
  >
  const row: Record<string, unknown> = {}
  for (const [property, definition] of definitions) {
    const value = model.$attributes[property]
    if (value === undefined) continue
    row[definition.columnName] =
      value && typeof value === 'object' && 'toJSDate' in value ? (value as any).toJSDate() : value
  }
  return row
}
