import { createHash } from 'node:crypto'
import limiter from '@adonisjs/limiter/services/main'
import { errors as limiterErrors, LimiterResponse } from '@adonisjs/limiter'
import env from '#start/env'
import { authRequest, type AuthLookup } from '#services/platform/cache_service'

/**
 * Rate-limit counters in Redis (via @adonisjs/limiter, or one script on the same keys).
 * The request side (which key a rule counts, the IETF `RateLimit-*` and `Retry-After`
 * headers) is app/middleware/throttle.ts; this file counts plain named keys.
 */

/** Limits from the environment (validated in start/env.ts), per minute unless stated. */
export const rateLimitSettings = {
  ipPerMinute: env.get('RATE_LIMIT_IP_PER_MINUTE', 1200),
  principalPerMinute: env.get('RATE_LIMIT_PRINCIPAL_PER_MINUTE', 600),
  expensivePerMinute: env.get('RATE_LIMIT_EXPENSIVE_PER_MINUTE', 30),
  machineClientPerMinute: env.get('RATE_LIMIT_CLIENT_PER_SCHOOL_PER_MINUTE', 600),
}

/**
 * Routes no limit counts nor refuses: orchestrators' probes. A kubelet shares its node's
 * address with other traffic, and a 429 on readiness would take a healthy pod out of service
 * when it is busiest (readiness runs its checks once for concurrent probes: HealthController).
 */
export const UNTHROTTLED_ROUTES: ReadonlySet<string> = new Set(['/health/live', '/health/ready'])

/** One counter to consume: `name` is its full key (rule name and subject). */
export interface Counter {
  name: string
  requests: number
  /** Window in seconds. */
  windowSeconds: number
}

/** A consumed counter; `refusal` is set when it is exhausted (429). */
export interface CounterOutcome {
  limit: number
  remaining: number
  reset: number
  refusal?: InstanceType<typeof limiterErrors.E_TOO_MANY_REQUESTS>
}

/** The bearer credential, hashed: the subject of the per-principal limit (no DB lookup). */
export function principalHash(authorization: string | undefined | null): string | null {
  if (!authorization?.toLowerCase().startsWith('bearer ')) return null
  return createHash('sha256').update(authorization.slice(7).trim()).digest('base64url').slice(0, 32)
}

/**
 * Consumes one request from each counter through the limiter, all at once. Every counter
 * settles before this returns; an error other than exhaustion comes back as `error`.
 */
export async function consumeCounters(
  counters: Counter[]
): Promise<Array<CounterOutcome | { error: unknown }>> {
  const settled = await Promise.allSettled(
    counters.map((counter) =>
      limiter
        .use({ requests: counter.requests, duration: counter.windowSeconds })
        .consume(counter.name)
    )
  )
  return settled.map((result) => {
    if (result.status === 'fulfilled') {
      const response = result.value
      return { limit: response.limit, remaining: response.remaining, reset: response.availableIn }
    }
    const error = result.reason
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      return {
        limit: error.response.limit,
        remaining: 0,
        reset: error.response.availableIn,
        refusal: error,
      }
    }
    return { error }
  })
}

/**
 * The counters and a bearer token's cache lookup in ONE Redis round trip (a script that
 * counts like the limiter's Redis store, on the same keys). Throws when Redis fails: the
 * caller then counts with `consumeCounters` (the limiter's per-process fallback).
 */
export async function consumeWithAuthLookup(
  counters: Counter[],
  token: { identifier: string; hash: string } | null,
  schoolId: string | null
): Promise<{ outcomes: CounterOutcome[]; lookup: AuthLookup }> {
  const result = await authRequest({
    counters: counters.map((counter) => ({
      name: counter.name,
      windowSeconds: counter.windowSeconds,
    })),
    token,
    schoolId,
  })
  const outcomes = result.counters.map(({ consumed, ttlMs }, i) => {
    const limit = counters[i].requests
    const response = new LimiterResponse({
      limit,
      remaining: Math.max(limit - consumed, 0),
      consumed,
      availableIn: Math.ceil(ttlMs / 1000),
    })
    return {
      limit,
      remaining: response.remaining,
      reset: response.availableIn,
      refusal: consumed > limit ? new limiterErrors.E_TOO_MANY_REQUESTS(response) : undefined,
    }
  })
  return { outcomes, lookup: result.lookup }
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
