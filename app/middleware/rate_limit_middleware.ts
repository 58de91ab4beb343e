import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { enforce, globalRules } from '#services/rate_limit'
import { prefetchAuth } from '#services/cache_tokens'

/**
 * Global limits (router middleware, matched routes only): per client IP and per
 * presented bearer credential. The counters and the bearer token's cache lookup are sent
 * together, so the authenticated path costs one Redis round trip before the handler.
 */
export default class RateLimitMiddleware {
  #rules = globalRules()

  async handle(ctx: HttpContext, next: NextFn) {
    prefetchAuth(ctx)
    await enforce(ctx, this.#rules)
    return next()
  }
}
