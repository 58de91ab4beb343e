/* OpenAPI descriptions of the routes in start/routes/platform/audit.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import { platformAuditValidator } from '#validators/platform/audit'
import { auditPageSchema } from '#services/platform/audit_query'

const platform = docArea({ tags: ['Platform'], security: 'bearer' })

export const platformAuditEventsDocs = {
  index: platform('Audit events of every school (platform admins)', {
    description:
      'Newest first; filters: action, actorUserId, actorService, targetType, targetId, outcome, from/to (created_at, ISO 8601), schoolId; cursor pagination.',
    query: platformAuditValidator,
    200: {
      description: 'A page of events',
      schema: auditPageSchema,
      example: auditPageSchema.example,
    },
    403: 'Not a platform admin',
  }),
}
