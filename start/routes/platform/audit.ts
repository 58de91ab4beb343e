/* Platform-wide audit log. The school log is in tenancy.ts. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { platformAuditEventsDocs } from '#validators/platform/audit_docs'

const PlatformAuditEventsController = () => import('#controllers/platform/audit_events_controller')

router
  .get('/v1/platform/audit-events', [PlatformAuditEventsController, 'index'])
  .use([middleware.auth()])
  .doc(platformAuditEventsDocs.index)
