import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import AuditEventTransformer from '#transformers/platform/audit_event_transformer'
import { byId, keysetPage } from '#services/platform/pagination'

export interface AuditFilters {
  cursor?: string
  limit?: number
  action?: string
  actorUserId?: string
  actorService?: string
  targetType?: string
  targetId?: string
  outcome?: 'success' | 'failure' | 'denied'
  from?: Date
  to?: Date
  schoolId?: string
}

/** One page of audit events, newest first (keyset on id). RLS decides which rows are visible. */
export async function listAuditEvents(client: QueryClientContract, filters: AuditFilters) {
  const query: DatabaseQueryBuilderContract = client.from('audit_events')
  if (filters.schoolId) query.where('school_id', filters.schoolId)
  if (filters.action) query.where('action', filters.action)
  if (filters.actorUserId) query.where('actor_user_id', filters.actorUserId)
  if (filters.actorService) query.where('actor_service', filters.actorService)
  if (filters.targetType) query.where('target_type', filters.targetType)
  if (filters.targetId) query.where('target_id', filters.targetId)
  if (filters.outcome) query.where('outcome', filters.outcome)
  if (filters.from) query.where('created_at', '>=', filters.from)
  if (filters.to) query.where('created_at', '<', filters.to)
  return keysetPage(query, byId({ direction: 'desc', format: 'bigint' }), filters, (row) =>
    AuditEventTransformer.item(row)
  )
}

const nullableString = { type: ['string', 'null'] }

/** OpenAPI schema of one page. */
export const auditPageSchema = {
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'action', 'outcome', 'createdAt'],
        properties: {
          id: { type: 'string' },
          schoolId: { type: ['string', 'null'], format: 'uuid' },
          action: { type: 'string' },
          actorUserId: { type: ['string', 'null'], format: 'uuid' },
          actorService: nullableString,
          targetType: nullableString,
          targetId: nullableString,
          changes: { type: 'object' },
          outcome: { enum: ['success', 'failure', 'denied'] },
          ip: nullableString,
          userAgent: nullableString,
          requestId: nullableString,
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
    nextCursor: nullableString,
  },
  example: {
    data: [
      {
        id: '42',
        schoolId: '7f1c2c1e-3b1a-4a55-9f77-2a1f3c1d9e10',
        action: 'cohort.created',
        actorUserId: '0b8e0c4e-8d5e-4e0a-9b1d-5b9c6a2d3f11',
        actorService: null,
        targetType: 'cohort',
        targetId: '1d0c7e2a-5b6f-4c3d-8e9a-0f1b2c3d4e5f',
        changes: { name: 'Class of 2027' },
        outcome: 'success',
        ip: '203.0.113.7',
        userAgent: 'Mozilla/5.0',
        requestId: 'req-123',
        createdAt: '2026-11-28T12:00:00.000Z',
      },
    ],
    nextCursor: null,
  },
}
