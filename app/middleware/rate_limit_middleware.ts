import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { enforceWithAuthLookup, globalRules } from '#middleware/throttle'

/**
 * Orchestrators' probes: never counted nor refused. A kubelet shares its node's address
 * with other traffic, and a 429 on readiness would take a healthy pod out of service when
 * it is busiest. Readiness runs its checks once for all concurrent callers (HealthController).
 */
const PROBES = new Set(['/health/live', '/health/ready'])

/**
 * Global limits (router middleware, matched routes only): per client IP and per
 * presented bearer credential. The counters and the bearer token's cache lookup are one
 * Redis script, so the authenticated path costs one Redis round trip before the handler.
 */
export default class RateLimitMiddleware {
  #rules = globalRules()

  async handle(ctx: HttpContext, next: NextFn) {
    if (!PROBES.has(ctx.route!.pattern)) await enforceWithAuthLookup(ctx, this.#rules)
    return next()
  }
}
