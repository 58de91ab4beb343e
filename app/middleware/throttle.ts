import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import logger from '@adonisjs/core/services/logger'
import {
  consumeCounters,
  consumeWithAuthLookup,
  principalHash,
  rateLimitSettings,
  type Counter,
  type CounterOutcome,
} from '#services/platform/rate_limit'
import { presentedToken, providePrefetched, requestSchoolId } from '#auth/request_auth_state'

/**
 * Rate limits on requests: which subject each rule counts, and the IETF `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` headers (the most restrictive limit that applied
 * wins) with `Retry-After` on a 429 problem+json. Counting is app/services/platform/rate_limit.ts.
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

/** The caller's credential, hashed (the access token identifies the principal; no DB lookup). */
export function principalKey(ctx: HttpContext): string | null {
  return principalHash(ctx.request.header('authorization'))
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

function countersFor(ctx: HttpContext, rules: RateLimitRule[]): Counter[] {
  return rules
    .filter((rule) => rule.requests > 0)
    .map((rule) => ({ rule, key: rule.key(ctx) }))
    .filter((entry): entry is { rule: RateLimitRule; key: string } => entry.key !== null)
    .map(({ rule, key }) => ({
      name: `${rule.name}_${key}`,
      requests: rule.requests,
      windowSeconds: rule.windowSeconds,
    }))
}

/**
 * Consumes one request from each rule, all rules at once (one Redis round trip);
 * throws E_TOO_MANY_REQUESTS (429) when one is exhausted.
 */
export async function enforce(ctx: HttpContext, rules: RateLimitRule[]) {
  const outcomes = await consumeCounters(countersFor(ctx, rules))
  // Every counter settled before the answer, so the headers never change after it.
  let failure: unknown
  for (const outcome of outcomes) {
    if ('error' in outcome) {
      failure ??= outcome.error
      continue
    }
    remember(ctx, outcome)
    if (outcome.refusal) {
      ctx.response.header('Retry-After', String(outcome.reset))
      failure ??= outcome.refusal
    }
  }
  if (failure) throw failure
}

/**
 * The global rules and the bearer token's cache lookup in ONE Redis round trip; the lookup
 * is handed to the token verification of the same request. Redis failing: the limiter's
 * per-process fallback counts, and authentication reads the database.
 */
export async function enforceWithAuthLookup(ctx: HttpContext, rules: RateLimitRule[]) {
  const token = presentedToken(ctx)
  let outcomes: CounterOutcome[]
  try {
    const result = await consumeWithAuthLookup(
      countersFor(ctx, rules),
      token,
      token ? requestSchoolId(ctx) : null
    )
    outcomes = result.outcomes
    if (token) providePrefetched(ctx, token, result.lookup)
  } catch (error) {
    logger.warn({ err: (error as Error).message }, 'rate limits: Redis unavailable, fallback')
    return enforce(ctx, rules)
  }
  let refused: CounterOutcome['refusal']
  for (const outcome of outcomes) {
    remember(ctx, outcome)
    if (outcome.refusal && !refused) {
      ctx.response.header('Retry-After', String(outcome.reset))
      refused = outcome.refusal
    }
  }
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
