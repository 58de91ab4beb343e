import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/* A caller-supplied id is kept only when it is short and plain, so it can't inject into logs. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/** Accepts or generates X-Request-Id and echoes it on every response, errors included. */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const headers = ctx.request.request.headers
    const incoming = headers['x-request-id']
    if (
      incoming !== undefined &&
      (typeof incoming !== 'string' || !SAFE_REQUEST_ID.test(incoming))
    ) {
      delete headers['x-request-id']
    }
    ctx.response.header('X-Request-Id', ctx.request.id()!)
    return next()
  }
}
