/* Platform-wide audit log. The school log is in tenancy.ts. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { platformAuditValidator } from '#validators/audit'
import { auditPageSchema } from '#services/audit_query'

const PlatformAuditEventsController = () => import('#controllers/platform/audit_events_controller')

router
  .get('/v1/platform/audit-events', [PlatformAuditEventsController, 'index'])
  .use([middleware.auth()])
  .doc({
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
  })
