import type { HttpContext } from '@adonisjs/core/http'
import router from '@adonisjs/core/services/router'
import { ProblemException } from '#exceptions/problem_exception'

/**
 * Methods a router can serve. OPTIONS is not among them: the CORS middleware
 * answers preflights before routing, and a plain OPTIONS is a 405 like any
 * other method the path does not declare.
 */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * The methods routed for the request's path, for a request whose own method
 * matched no route. Empty when the path itself is unknown (a plain 404).
 * HEAD is listed wherever GET is, because the router serves it there.
 */
export function allowedMethodsFor(ctx: HttpContext): string[] {
  const url = ctx.request.url()
  const method = ctx.request.method()
  const hostname = router.usingDomains ? ctx.request.hostname() : undefined
  return METHODS.filter(
    (candidate) =>
      candidate !== method &&
      router.match(
        url,
        candidate,
        ctx.request.parsedUrl.shouldDecodeParam,
        hostname ?? undefined
      ) !== null
  )
}

/**
 * Turns the router's "no route" error into a 405 problem carrying `Allow` when
 * the path exists under other methods; any other error is returned unchanged.
 */
export function asMethodNotAllowed(error: unknown, ctx: HttpContext): unknown {
  if ((error as { code?: unknown })?.code !== 'E_ROUTE_NOT_FOUND') return error
  const allowed = allowedMethodsFor(ctx)
  if (!allowed.length) return error
  const problem = new ProblemException(
    405,
    'method-not-allowed',
    'Method Not Allowed',
    `This path accepts ${allowed.join(', ')}.`
  )
  return Object.assign(problem, { headers: { Allow: allowed.join(', ') } })
}
