import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import logger from '@adonisjs/core/services/logger'
import { redact } from '#services/platform/audit_service'
import { requestMeta } from '#middleware/request_meta'
import { withTenant } from '#services/platform/tenant_context'
import { internalIdentity } from '#services/platform/internal_tls'

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const MAX_CHANGES_BYTES = 4096

function outcomeOf(status: number): 'success' | 'failure' | 'denied' {
  if (status < 400) return 'success'
  return status === 401 || status === 403 ? 'denied' : 'failure'
}

/**
 * Records every mutating request (POST/PUT/PATCH/DELETE on a matched route) that
 * domain code did not already record with `recordAudit`: actor (user or mTLS
 * service), school (only when the school middleware resolved it), action
 * `http.<METHOD> <route pattern>`, target (the path, on success), the request's fields with
 * secrets redacted (field names only when the request failed), outcome from the status, ip, user agent and request id.
 * Recording never changes the response: a failure to write is logged.
 * 429s are not recorded (a flood would turn into audit writes).
 */
export default class AuditRequestMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    if (!MUTATING.has(ctx.request.method())) return next()
    let status = 0
    try {
      const result = await next()
      status = ctx.response.getStatus()
      return result
    } catch (error) {
      status = Number((error as { status?: number }).status) || 500
      throw error
    } finally {
      if (status !== 429 && !requestMeta(ctx).audited) await this.#record(ctx, status)
    }
  }

  async #record(ctx: HttpContext, status: number) {
    try {
      const schoolId = (ctx.tenant as { school?: { id: string } } | undefined)?.school?.id ?? null
      // Values only for requests that succeeded: a refused request's input (possibly another
      // school's ids, probing) is reduced to its field names so the log never echoes it back.
      let changes: Record<string, unknown> = redact({ ...ctx.request.all() })
      if (status >= 400 || JSON.stringify(changes).length > MAX_CHANGES_BYTES) {
        changes = { fields: Object.keys(changes) }
      }
      await withTenant({ schoolId, platformScope: false }, (trx) =>
        trx.table('audit_events').insert({
          school_id: schoolId,
          actor_user_id: ctx.auth?.user?.id ?? null,
          actor_service: internalIdentity(ctx.request.request),
          action: `http.${ctx.request.method()} ${ctx.route?.pattern ?? ctx.request.url()}`,
          target_type: 'route',
          target_id: status < 400 ? ctx.request.url().slice(0, 500) : null,
          changes: JSON.stringify({ status, request: changes }),
          outcome: outcomeOf(status),
          ip: ctx.request.ip(),
          user_agent: ctx.request.header('user-agent')?.slice(0, 500) ?? null,
          request_id: ctx.request.id() ?? null,
        })
      )
    } catch (error) {
      logger.error({ err: error, requestId: ctx.request.id() }, 'request audit failed')
    }
  }
}
