import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { enforceWithAuthLookup, globalRules } from '#middleware/throttle'
import { UNTHROTTLED_ROUTES } from '#services/platform/rate_limit'

/**
 * Global limits (router middleware, matched routes only, but UNTHROTTLED_ROUTES): per client
 * IP and per presented bearer credential. The counters and the bearer token's cache lookup are one
 * Redis script, so the authenticated path costs one Redis round trip before the handler.
 */
export default class RateLimitMiddleware {
  #rules = globalRules()

  async handle(ctx: HttpContext, next: NextFn) {
    if (!UNTHROTTLED_ROUTES.has(ctx.route!.pattern)) await enforceWithAuthLookup(ctx, this.#rules)
    return next()
  }
}
