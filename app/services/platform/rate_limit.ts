import { createHash } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import logger from '@adonisjs/core/services/logger'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors, LimiterResponse } from '@adonisjs/limiter'
import env from '#start/env'
import { authRequest } from '#services/platform/cache_service'
import { presentedToken, providePrefetched, requestSchoolId } from '#services/identity/cache_tokens'

/**
 * Rate limits in Redis (via @adonisjs/limiter) that answer with the IETF
 * `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` headers (the most
 * restrictive limit that applied wins) and `Retry-After` on a 429 problem+json.
 */
export interface RateLimitRule {
  /** Key prefix in Redis; one counter per (name, key). */
  name: string
  requests: number
  /** Window in seconds. */
  windowSeconds: number
  /** The subject of the limit (ip, principal, school...); `null` skips this rule. */
  key: (ctx: HttpContext) => string | null
}

/** Limits from the environment (validated in start/env.ts), per minute unless stated. */
export const rateLimitSettings = {
  ipPerMinute: env.get('RATE_LIMIT_IP_PER_MINUTE', 1200),
  principalPerMinute: env.get('RATE_LIMIT_PRINCIPAL_PER_MINUTE', 600),
  expensivePerMinute: env.get('RATE_LIMIT_EXPENSIVE_PER_MINUTE', 30),
  machineClientPerMinute: env.get('RATE_LIMIT_CLIENT_PER_SCHOOL_PER_MINUTE', 600),
}

/** The caller's credential, hashed (the access token identifies the principal; no DB lookup). */
export function principalKey(ctx: HttpContext): string | null {
  const header = ctx.request.header('authorization')
  if (!header?.toLowerCase().startsWith('bearer ')) return null
  return createHash('sha256').update(header.slice(7).trim()).digest('base64url').slice(0, 32)
}

interface Applied {
  limit: number
  remaining: number
  reset: number
}

const APPLIED = Symbol('rateLimitApplied')

function remember(ctx: HttpContext, applied: Applied) {
  const bag = ctx as unknown as Record<symbol, Applied | undefined>
  const previous = bag[APPLIED]
  const current = !previous || applied.remaining < previous.remaining ? applied : previous
  bag[APPLIED] = current
  ctx.response.header('RateLimit-Limit', String(current.limit))
  ctx.response.header('RateLimit-Remaining', String(current.remaining))
  ctx.response.header('RateLimit-Reset', String(current.reset))
}

/**
 * Consumes one request from each rule, all rules at once (one Redis round trip);
 * throws E_TOO_MANY_REQUESTS (429) when one is exhausted.
 */
export async function enforce(ctx: HttpContext, rules: RateLimitRule[]) {
  const consumed = rules.map(async (rule) => {
    const key = rule.key(ctx)
    if (key === null || rule.requests <= 0) return
    const store = limiter.use({ requests: rule.requests, duration: rule.windowSeconds })
    try {
      const response = await store.consume(`${rule.name}_${key}`)
      remember(ctx, {
        limit: response.limit,
        remaining: response.remaining,
        reset: response.availableIn,
      })
    } catch (error) {
      if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
        remember(ctx, {
          limit: error.response.limit,
          remaining: 0,
          reset: error.response.availableIn,
        })
        ctx.response.header('Retry-After', String(error.response.availableIn))
      }
      throw error
    }
  })
  // Every counter settles before the answer, so the headers never change after it.
  const settled = await Promise.allSettled(consumed)
  const refused = settled.find((result) => result.status === 'rejected')
  if (refused) throw (refused as PromiseRejectedResult).reason
}

/**
 * The global rules and the bearer token's cache lookup in ONE Redis round trip (a script that
 * counts like the limiter's Redis store, on the same keys); the lookup is handed to the
 * token verification of the same request. Redis failing: the limiter's per-process fallback
 * counts, and authentication reads the database.
 */
export async function enforceWithAuthLookup(ctx: HttpContext, rules: RateLimitRule[]) {
  const applicable = rules
    .filter((rule) => rule.requests > 0)
    .map((rule) => ({ rule, key: rule.key(ctx) }))
    .filter((entry): entry is { rule: RateLimitRule; key: string } => entry.key !== null)
  const token = presentedToken(ctx)
  let result: Awaited<ReturnType<typeof authRequest>>
  try {
    result = await authRequest({
      counters: applicable.map(({ rule, key }) => ({
        name: `${rule.name}_${key}`,
        windowSeconds: rule.windowSeconds,
      })),
      token,
      schoolId: token ? requestSchoolId(ctx) : null,
    })
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'rate limits: Redis unavailable, fallback')
    return enforce(ctx, rules)
  }
  if (token) providePrefetched(ctx, token, result.lookup)
  let refused: InstanceType<typeof limiterErrors.E_TOO_MANY_REQUESTS> | undefined
  result.counters.forEach(({ consumed, ttlMs }, i) => {
    const limit = applicable[i].rule.requests
    const response = new LimiterResponse({
      limit,
      remaining: Math.max(limit - consumed, 0),
      consumed,
      availableIn: Math.ceil(ttlMs / 1000),
    })
    remember(ctx, { limit, remaining: response.remaining, reset: response.availableIn })
    if (consumed > limit && !refused) {
      ctx.response.header('Retry-After', String(response.availableIn))
      refused = new limiterErrors.E_TOO_MANY_REQUESTS(response)
    }
  })
  if (refused) throw refused
}

/** A route middleware for `rules` (use it with `.use(...)`). */
export function throttle(rules: RateLimitRule[]) {
  const middleware = async (ctx: HttpContext, next: NextFn) => {
    await enforce(ctx, rules)
    return next()
  }
  Object.defineProperty(middleware, 'name', {
    value: `throttle_${rules.map((r) => r.name).join('_')}`,
  })
  return middleware
}

/** Global rules: every matched request, per client IP and per presented credential. */
export function globalRules(settings = rateLimitSettings): RateLimitRule[] {
  return [
    {
      name: 'global_ip',
      requests: settings.ipPerMinute,
      windowSeconds: 60,
      key: (ctx) => ctx.request.ip(),
    },
    {
      name: 'global_principal',
      requests: settings.principalPerMinute,
      windowSeconds: 60,
      key: principalKey,
    },
  ]
}

type CounterStore = ReturnType<typeof limiter.use>

/**
 * Counts one attempt of a credential check (a password, a second factor) against
 * a per-account failure counter *before* the check runs: Redis increments
 * atomically, so parallel requests cannot all pass a "fewer than N failures" test
 * that none of them has updated yet. Throws E_TOO_MANY_REQUESTS (429 +
 * Retry-After) once the counter is exhausted; call `clearAttempts` on success.
 */
export async function countAttempt(store: CounterStore, key: string) {
  await store.consume(key)
}

/** A successful check forgets the failures before it (as a login success does). */
export async function clearAttempts(store: CounterStore, key: string) {
  await store.delete(key)
}
