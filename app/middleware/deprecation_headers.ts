import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

export interface Deprecation {
  /** When the operation was deprecated (ISO 8601 date). */
  since: string
  /** When it stops working (ISO 8601 date). */
  sunset: string
  /** Where to read about the replacement. */
  link?: string
}

/**
 * Announces a deprecated operation on every answer: `Deprecation` (RFC 9745, a structured
 * date) and `Sunset` (RFC 8594, an HTTP date), plus a `Link` to the migration notes.
 */
export function deprecationHeaders(deprecation: Deprecation) {
  const since = `@${Math.floor(Date.parse(deprecation.since) / 1000)}`
  const sunset = new Date(deprecation.sunset).toUTCString()
  return async ({ response }: HttpContext, next: NextFn) => {
    response.header('Deprecation', since)
    response.header('Sunset', sunset)
    if (deprecation.link) response.append('Link', `<${deprecation.link}>; rel="deprecation"`)
    return next()
  }
}
