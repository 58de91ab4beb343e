import type { HttpContext } from '@adonisjs/core/http'
import { schoolAuditValidator } from '#validators/platform/audit'
import { listAuditEvents } from '#services/platform/audit_query'

export default class AuditEventsController {
  /** The school's audit log, newest first, keyset-paginated on id (filters: app/validators/platform/audit.ts). */
  async index({ request, bouncer, tenant }: HttpContext) {
    await bouncer.authorize('schoolPermission', tenant, 'audit.read')
    const filters = await request.validateUsing(schoolAuditValidator, { data: request.qs() })
    return listAuditEvents(tenant.trx, { ...filters, schoolId: tenant.schoolId })
  }
}
