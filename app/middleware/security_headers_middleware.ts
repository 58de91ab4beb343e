import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/* JSON answers are never rendered as a page, so they may load and be framed by nothing. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

/* The docs page loads only its own scripts and styles (Swagger UI, served from the npm package). */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const HSTS = 'max-age=31536000; includeSubDomains'

/**
 * Headers for every response, set before the handler runs so errors carry them too.
 * `Cache-Control: no-store` is the default because nearly every answer holds tokens or
 * personal data; a handler that serves public static files may replace it. HSTS only
 * when the request came over TLS (directly, or through a trusted proxy's X-Forwarded-Proto).
 */
export default class SecurityHeadersMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const { request, response } = ctx
    const path = request.url()
    const isDocs = path === '/docs' || path.startsWith('/docs/')
    response.header('Cache-Control', 'no-store')
    response.header('X-Content-Type-Options', 'nosniff')
    response.header('Referrer-Policy', 'no-referrer')
    response.header('X-Frame-Options', 'DENY')
    response.header('Content-Security-Policy', isDocs ? DOCS_CSP : API_CSP)
    if (request.secure()) response.header('Strict-Transport-Security', HSTS)
    return next()
  }
}
