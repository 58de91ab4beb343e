import type { HttpContext } from '@adonisjs/core/http'
import { platformAuditValidator } from '#validators/platform/audit'
import { listAuditEvents } from '#services/platform/audit_query'
import { withTenant } from '#services/platform/tenant_context'

export default class PlatformAuditEventsController {
  /** Every school's audit events plus school-less identity events (platform admins only). */
  async index({ request, bouncer, auth }: HttpContext) {
    await bouncer.authorize('platformAdmin')
    const filters = await request.validateUsing(platformAuditValidator, { data: request.qs() })
    return withTenant({ platformScope: true, userId: auth.user!.id }, (trx) =>
      listAuditEvents(trx, filters)
    )
  }
}
