import { ResourceTransformer, iso } from '#transformers/jobs/resource_transformer'

/** One audit record; its bigint id as a string. */
export default class AuditEventTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: String(row.id),
      schoolId: row.school_id,
      action: row.action,
      actorUserId: row.actor_user_id,
      actorService: row.actor_service,
      targetType: row.target_type,
      targetId: row.target_id,
      changes: row.changes,
      outcome: row.outcome,
      ip: row.ip,
      userAgent: row.user_agent,
      requestId: row.request_id,
      createdAt: iso(row.created_at),
    }
  }
}
