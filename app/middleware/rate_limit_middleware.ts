import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { enforce, globalRules } from '#services/rate_limit'

/**
 * Global limits (router middleware, matched routes only): per client IP and per
 * presented bearer credential. Two Redis round trips per request.
 */
export default class RateLimitMiddleware {
  #rules = globalRules()

  async handle(ctx: HttpContext, next: NextFn) {
    await enforce(ctx, this.#rules)
    return next()
  }
}
