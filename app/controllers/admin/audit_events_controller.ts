import type { HttpContext } from '@adonisjs/core/http'
import { listAuditValidator } from '#validators/tenancy'

export default class AuditEventsController {
  /** The school's audit log, newest first, keyset-paginated on id. */
  async index({ request, bouncer, tenant }: HttpContext) {
    await bouncer.authorize('schoolPermission', tenant, 'audit.read')
    const filters = await request.validateUsing(listAuditValidator, { data: request.qs() })
    const limit = filters.limit ?? 25
    const query = tenant.trx.from('audit_events').where('school_id', tenant.school.id)
    if (filters.action) query.where('action', filters.action)
    if (filters.actorUserId) query.where('actor_user_id', filters.actorUserId)
    if (filters.cursor)
      query.where('id', '<', Number(Buffer.from(filters.cursor, 'base64url').toString()) || 0)
    const rows = await query.orderBy('id', 'desc').limit(limit + 1)
    const page = rows.slice(0, limit)
    return {
      data: page.map((row) => ({
        id: String(row.id),
        action: row.action,
        actorUserId: row.actor_user_id,
        targetType: row.target_type,
        targetId: row.target_id,
        changes: row.changes,
        outcome: row.outcome,
        ip: row.ip,
        requestId: row.request_id,
        createdAt: row.created_at,
      })),
      nextCursor:
        rows.length > limit ? Buffer.from(String(page.at(-1)!.id)).toString('base64url') : null,
    }
  }
}
