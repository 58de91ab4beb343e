import vine from '@vinejs/vine'
import { paginationFields } from '#services/platform/pagination'

/** Filters of the school and platform audit logs (newest first, cursor on id). */
export const auditFilterFields = {
  ...paginationFields,
  action: vine.string().trim().maxLength(200).optional(),
  actorUserId: vine.string().uuid().optional(),
  actorService: vine.string().trim().maxLength(200).optional(),
  targetType: vine.string().trim().maxLength(100).optional(),
  targetId: vine.string().trim().maxLength(500).optional(),
  outcome: vine.enum(['success', 'failure', 'denied'] as const).optional(),
  from: vine.date({ formats: { utc: true } }).optional(),
  to: vine.date({ formats: { utc: true } }).optional(),
}

export const schoolAuditValidator = vine.create(auditFilterFields)

export const platformAuditValidator = vine.create({
  ...auditFilterFields,
  schoolId: vine.string().uuid().optional(),
})
