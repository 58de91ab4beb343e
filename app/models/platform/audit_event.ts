import { AuditEventSchema } from '#database/schema'

/** One audited action (append-only: the table refuses UPDATE and DELETE). */
export default class AuditEvent extends AuditEventSchema {
  static table = 'audit_events'
}
