/* OpenAPI descriptions of the routes in start/routes/platform/audit.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import { platformAuditValidator } from '#validators/platform/audit'
import { auditPageSchema } from '#services/platform/audit_query'

export const platformAuditEventsDocs = {
  index: {
    summary: 'Audit events of every school (platform admins)',
    description:
      'Newest first; filters: action, actorUserId, actorService, targetType, targetId, outcome, from/to (created_at, ISO 8601), schoolId; cursor pagination.',
    tags: ['Platform'],
    security: 'bearer',
    query: platformAuditValidator,
    responses: {
      200: {
        description: 'A page of events',
        schema: auditPageSchema,
        example: auditPageSchema.example,
      },
      403: { description: 'Not a platform admin' },
    },
  },
} satisfies Record<string, RouteDoc>
