import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ProblemException } from '#exceptions/problem_exception'

/**
 * Requires a valid, unexpired, unrevoked access token of an active user.
 * Revocation deletes the token row, so it takes effect on the next request.
 */
export default class AuthMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    // Only an authentication failure is a 401: a database or Redis error while checking
    // the token propagates (503), so an outage never signs a client out.
    const user = await ctx.auth.authenticateUsing(['api']).catch((error) => {
      if (error?.code === 'E_UNAUTHORIZED_ACCESS') return null
      throw error
    })
    if (!user || user.status !== 'active') {
      ctx.response.header('WWW-Authenticate', 'Bearer')
      throw ProblemException.unauthorized('A valid access token is required.')
    }
    return next()
  }
}
