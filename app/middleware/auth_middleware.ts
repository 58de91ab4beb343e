import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ProblemException } from '#exceptions/problem_exception'

/**
 * Requires a valid, unexpired, unrevoked access token of an active user.
 * Revocation deletes the token row, so it takes effect on the next request.
 */
export default class AuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = await ctx.auth.authenticateUsing(['api']).catch(() => null)
    if (!user || user.status !== 'active') {
      ctx.response.header('WWW-Authenticate', 'Bearer')
      throw ProblemException.unauthorized('A valid access token is required.')
    }
    return next()
  }
}
