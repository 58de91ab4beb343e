import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Redis } from 'ioredis'
import { bestEffort, cacheRedis, parseRow } from '#services/platform/cache_store'

/*
| Redis caches on the authenticated path (see README "Caching and analytics"):
| - access tokens: `auth:at:{identifier}:{hash}` -> `{userId}|{token row, user row, user gen}`,
|   TTL TOKEN_TTL seconds (never beyond the token's expiry). A revocation deletes the
|   entry and writes a tombstone `auth:revoked:{identifier}` that outlives any entry.
| - the caller's context: `user:ctx:{userId}` -> `{schoolIds}|{active memberships with
|   school and role permission override, confirmed second factor}`, stamped with the user's
|   generation `user:gen:{userId}` and with the generation of each listed school.
| - school context: `school:ctx:{schoolId}:{userId}` -> school row, membership row,
|   effective permissions, stamped with the school's generation `school:gen:{schoolId}`.
| A change to a membership, a factor or the account increments the user's generation; any role,
| status or permission change in a school increments the school's. Each bump happens before and
| after the change's transaction commits, so no request can re-cache stale data; an entry whose
| stamp differs from the current generation is a miss. Every Redis failure falls back to the
| database. All of it is read in ONE round trip per request (`authLookup`, a Lua script sent
| with the rate-limit counters).
*/
export const TOKEN_TTL = 60
export const SCHOOL_CONTEXT_TTL = 120
export const USER_CONTEXT_TTL = 120
const TOMBSTONE_TTL = 16 * 60

const keys = {
  token: (identifier: string, hash: string) => `auth:at:${identifier}:${hash}`,
  tombstone: (identifier: string) => `auth:revoked:${identifier}`,
  userGen: (userId: string) => `user:gen:${userId}`,
  userContext: (userId: string) => `user:ctx:${userId}`,
  schoolGen: (schoolId: string) => `school:gen:${schoolId}`,
  schoolContext: (schoolId: string, userId: string) => `school:ctx:${schoolId}:${userId}`,
}

/*
| One round trip for everything the authenticated path reads, and the global rate-limit
| counters: KEYS = token entry, tombstone, then one fixed-window counter per rule (the same
| keys and arithmetic as @adonisjs/limiter's Redis store, so both count together). ARGV = the
| connection's key prefix, the requested school id or '', '1' when there is a token, then each
| counter's window in seconds. The user id comes from the token entry itself, so the script
| builds the user and school keys; this needs a single Redis node (config/redis.ts).
*/
const AUTH_REQUEST = `
local counters = {}
for i = 3, #KEYS do
  local window = ARGV[i + 1]
  redis.call('set', KEYS[i], 0, 'EX', window, 'NX')
  local consumed = redis.call('incrby', KEYS[i], 1)
  local ttl = redis.call('pttl', KEYS[i])
  if ttl == -1 then
    redis.call('expire', KEYS[i], window)
    ttl = 1000 * window
  end
  counters[#counters + 1] = consumed
  counters[#counters + 1] = ttl
end
if ARGV[3] ~= '1' then return {counters, {}} end
local entry = redis.call('GET', KEYS[1])
if not entry or redis.call('EXISTS', KEYS[2]) == 1 then return {counters, {}} end
local uid = string.match(entry, '^([^|]+)|')
if not uid then return {counters, {}} end
local p = ARGV[1]
local out = {entry, redis.call('GET', p .. 'user:gen:' .. uid) or '0',
  redis.call('GET', p .. 'user:ctx:' .. uid) or '', '', ''}
if ARGV[2] ~= '' then
  out[4] = redis.call('GET', p .. 'school:ctx:' .. ARGV[2] .. ':' .. uid) or ''
  out[5] = redis.call('GET', p .. 'school:gen:' .. ARGV[2]) or '0'
end
local ids = string.match(out[3], '^([^|]*)|')
if ids then
  for sid in string.gmatch(ids, '[^,]+') do
    out[#out + 1] = redis.call('GET', p .. 'school:gen:' .. sid) or '0'
  end
end
return {counters, out}
`

type ScriptedRedis = Redis & {
  pathwaysAuthRequest(
    numberOfKeys: number,
    ...args: (string | number)[]
  ): Promise<[number[], string[]]>
}

function scripted(redis: Redis): ScriptedRedis {
  const client = redis as ScriptedRedis
  if (typeof client.pathwaysAuthRequest !== 'function') {
    redis.defineCommand('pathwaysAuthRequest', { lua: AUTH_REQUEST })
  }
  return client
}

export interface CachedTokenEntry {
  token: Record<string, unknown>
  user: Record<string, unknown>
  /** The user's generation when the rows were read. */
  gen: string
}

/** A membership of the caller as /v1/me and the admin-MFA rule need it. */
export interface CachedMembership {
  schoolId: string
  slug: string
  name: string
  mfaRequiredForAdmins: boolean
  membershipId: string
  role: string
  extraPermissions: string[]
  /** The school's override of the role's permission set, if any. */
  rolePermissions: string[] | null
}

export interface CachedUserContext {
  gen: string
  schoolGens: string[]
  memberships: CachedMembership[]
  totpConfirmed: boolean
}

export interface CachedSchoolContext {
  gen: string
  school: Record<string, unknown>
  membership: Record<string, unknown> | null
  permissions: string[]
}

/** What one authenticated request knows from Redis (each part null on a miss). */
export interface AuthLookup {
  token: CachedTokenEntry | null
  /** Current generation of the token's user, when the token entry was found. */
  userGen: string | null
  userContext: CachedUserContext | null
  /** Current generations of the schools the cached caller context lists (even a stale one). */
  knownSchoolGens: Map<string, string>
  schoolContext: CachedSchoolContext | null
  /** Current generation of the requested school (null when none was asked for or on a miss). */
  schoolGen: string | null
}

const EMPTY_LOOKUP: AuthLookup = {
  token: null,
  userGen: null,
  userContext: null,
  knownSchoolGens: new Map(),
  schoolContext: null,
  schoolGen: null,
}

function afterBar(value: string) {
  return value.slice(value.indexOf('|') + 1)
}

/** A fixed-window counter to consume: `rlflx:{name}` for `windowSeconds`. */
export interface CounterRequest {
  name: string
  windowSeconds: number
}

function parseLookup(reply: string[], schoolId: string | null): AuthLookup {
  if (reply.length < 5) return EMPTY_LOOKUP
  const [entry, userGen, userContext, schoolContext, schoolGen, ...schoolGens] = reply
  const token = parseRow<CachedTokenEntry>(afterBar(entry))
  if (token.gen !== userGen) return EMPTY_LOOKUP
  let context: CachedUserContext | null = null
  const knownSchoolGens = new Map<string, string>()
  if (userContext) {
    const ids = userContext.slice(0, userContext.indexOf('|')).split(',').filter(Boolean)
    ids.forEach((id, i) => knownSchoolGens.set(id, schoolGens[i]))
    const parsed = JSON.parse(afterBar(userContext)) as CachedUserContext
    const fresh =
      parsed.gen === userGen &&
      parsed.schoolGens.length === schoolGens.length &&
      parsed.schoolGens.every((gen, i) => gen === schoolGens[i])
    context = fresh ? parsed : null
  }
  let school: CachedSchoolContext | null = null
  if (schoolContext) {
    const parsed = parseRow<CachedSchoolContext>(schoolContext)
    school = parsed.gen === schoolGen ? parsed : null
  }
  return {
    token,
    userGen,
    userContext: context,
    knownSchoolGens,
    schoolContext: school,
    schoolGen: schoolId ? schoolGen || '0' : null,
  }
}

/**
 * In one round trip: consumes the counters (each answer is [consumed, ms until the window
 * ends]) and, given a token, reads its entry, the user's context and (given `schoolId`) the
 * school context. Throws when Redis fails (the caller falls back).
 */
export async function authRequest(options: {
  counters: CounterRequest[]
  token: { identifier: string; hash: string } | null
  schoolId: string | null
}) {
  const redis = await cacheRedis()
  const { counters, token, schoolId } = options
  const [consumed, reply] = await scripted(redis).pathwaysAuthRequest(
    2 + counters.length,
    token ? keys.token(token.identifier, token.hash) : 'auth:none',
    token ? keys.tombstone(token.identifier) : 'auth:none',
    ...counters.map((counter) => `rlflx:${counter.name}`),
    redis.options.keyPrefix ?? '',
    schoolId ?? '',
    token ? '1' : '',
    ...counters.map((counter) => counter.windowSeconds)
  )
  return {
    counters: counters.map((_, i) => ({ consumed: consumed[2 * i], ttlMs: consumed[2 * i + 1] })),
    lookup: token ? parseLookup(reply, schoolId) : EMPTY_LOOKUP,
  }
}

/** Token entry, the user's context and (given `schoolId`) the school context, in one round trip. */
export function authLookup(identifier: string, hash: string, schoolId?: string | null) {
  return bestEffort('auth lookup', EMPTY_LOOKUP, async () => {
    const result = await authRequest({
      counters: [],
      token: { identifier, hash },
      schoolId: schoolId ?? null,
    })
    return result.lookup
  })
}

/** The user's current generation (read before the rows a cache entry will hold). */
export function readUserGen(userId: string) {
  return bestEffort('user generation read', null as string | null, async (redis) => {
    return (await redis.get(keys.userGen(userId))) ?? '0'
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
  const userId = String(entry.user.id)
  return bestEffort('token write', undefined, async (redis) => {
    // Not over a tombstone: a token revoked while we read it stays refused.
    const revoked = await redis.exists(keys.tombstone(identifier))
    if (!revoked) {
      await redis.set(keys.token(identifier, hash), `${userId}|${JSON.stringify(entry)}`, 'EX', ttl)
    }
  })
}

/** Forgets revoked tokens at once (call with the deleted rows' id and hash). */
export function invalidateTokens(tokens: { id: string | number; hash: string }[]) {
  if (tokens.length === 0) return Promise.resolve()
  return bestEffort('token invalidate', undefined, async (redis) => {
    const pipeline = redis.pipeline()
    for (const token of tokens) {
      pipeline.set(keys.tombstone(String(token.id)), '1', 'EX', TOMBSTONE_TTL)
      pipeline.del(keys.token(String(token.id), token.hash))
    }
    await pipeline.exec()
  })
}

export function writeUserContext(userId: string, entry: CachedUserContext) {
  const schoolIds = entry.memberships.map((membership) => membership.schoolId).join(',')
  return bestEffort('user context write', undefined, async (redis) => {
    await redis.set(
      keys.userContext(userId),
      `${schoolIds}|${JSON.stringify(entry)}`,
      'EX',
      USER_CONTEXT_TTL
    )
  })
}

/** The cached context and the school's current generation (one round trip). */
export function readSchoolContext(schoolId: string, userId: string) {
  return bestEffort(
    'school context read',
    { entry: null as CachedSchoolContext | null, gen: null as string | null },
    async (redis) => {
      const [entry, gen] = await redis.mget(
        keys.schoolContext(schoolId, userId),
        keys.schoolGen(schoolId)
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
      keys.schoolContext(schoolId, userId),
      JSON.stringify(entry),
      'EX',
      SCHOOL_CONTEXT_TTL
    )
  })
}

/** Increments a generation now, and again when `trx` commits (at once without one). */
async function bumpTwice(what: string, key: string, trx?: TransactionClientContract) {
  const bump = () =>
    bestEffort(what, undefined, async (redis) => {
      await redis.incr(key)
    })
  await bump()
  if (trx && !trx.isCompleted) trx.after('commit', bump)
}

/**
 * Invalidates every cached school context of the school, and every cached caller context
 * that lists the school: now, and again when the transaction that makes the change commits.
 */
export function invalidateSchoolContext(schoolId: string, trx?: TransactionClientContract) {
  return bumpTwice('school context invalidate', keys.schoolGen(schoolId), trx)
}

/**
 * Invalidates what is cached about one user (token entries' user row, memberships, second
 * factor): call on any change to their memberships, factors or account.
 */
export function invalidateUserContext(userId: string, trx?: TransactionClientContract) {
  return bumpTwice('user context invalidate', keys.userGen(userId), trx)
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
