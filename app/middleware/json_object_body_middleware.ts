import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import { ProblemException } from '#exceptions/problem_exception'

/**
 * Every documented request body is a JSON object. A JSON array would otherwise be spread into
 * the validated data (`{ 0: ..., 1: ... }`) and pass validators whose fields are all optional.
 */
export default class JsonObjectBodyMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (Array.isArray(ctx.request.body())) {
      throw new ProblemException(
        422,
        'validation-error',
        'Unprocessable Content',
        'The request body must be a JSON object.'
      )
    }
    return next()
  }
}
