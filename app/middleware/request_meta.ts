import type { HttpContext } from '@adonisjs/core/http'
import { recordAudit } from '#services/platform/audit_service'
import type { AuditInput, DeviceProof, RequestMeta } from '#services/platform/audit_service'

const META = Symbol('requestMeta')

/**
 * The plain values services need from a request (who, from where, which request),
 * made once per request. Services never see the HttpContext; the request audit
 * middleware reads `audited` from this same object.
 */
export function requestMeta(ctx: HttpContext): RequestMeta {
  const bag = ctx as unknown as Record<symbol, RequestMeta | undefined>
  if (!bag[META]) {
    const meta: RequestMeta = {
      ip: ctx.request.ip(),
      userAgent: ctx.request.header('user-agent')?.slice(0, 500) ?? null,
      requestId: ctx.request.id() ?? null,
      // read when used: the caller may authenticate after the meta is made
      get userId() {
        return ctx.auth?.user?.id ?? null
      },
      audited: false,
    }
    bag[META] = meta
  }
  return bag[META]
}

/** The device a sign-in says it comes from: body fields, else `X-Device-Id` / `X-Device-Token`. */
export function deviceProof(ctx: HttpContext): DeviceProof {
  return {
    deviceId: ctx.request.input('deviceId') ?? ctx.request.header('x-device-id'),
    deviceToken: ctx.request.input('deviceToken') ?? ctx.request.header('x-device-token'),
  }
}

/** Audits a change to the caller's school, inside the tenant transaction so it commits with it. */
export function recordTenantAudit(ctx: HttpContext, event: Omit<AuditInput, 'schoolId'>) {
  return recordAudit(requestMeta(ctx), { ...event, schoolId: ctx.tenant.schoolId }, ctx.tenant.trx)
}
