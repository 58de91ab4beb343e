import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { enforceWithAuthLookup, globalRules } from '#middleware/throttle'

/**
 * Global limits (router middleware, matched routes only): per client IP and per
 * presented bearer credential. The counters and the bearer token's cache lookup are one
 * Redis script, so the authenticated path costs one Redis round trip before the handler.
 */
export default class RateLimitMiddleware {
  #rules = globalRules()

  async handle(ctx: HttpContext, next: NextFn) {
    await enforceWithAuthLookup(ctx, this.#rules)
    return next()
  }
}
