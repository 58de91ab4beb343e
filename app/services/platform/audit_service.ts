import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'

const SECRET_KEYS = /pass(word)?|secret|token|code|key/i

export interface AuditInput {
  action: string
  schoolId?: string | null
  actorUserId?: string | null
  actorService?: string | null
  targetType?: string
  targetId?: string
  changes?: Record<string, unknown>
  outcome?: 'success' | 'failure' | 'denied'
}

/** Who asked and from where, as plain values (made by the controller, see #middleware/request_meta). */
export interface RequestMeta {
  ip: string | null
  userAgent: string | null
  requestId: string | null
  /** the authenticated caller, when there is one */
  readonly userId: string | null
  /** set once domain code recorded this request, so the request audit skips it */
  audited: boolean
}

/** What a sign-in presents as its device (unchecked values from the request). */
export interface DeviceProof {
  deviceId?: unknown
  deviceToken?: unknown
}

/** Field-level changes with anything secret-looking replaced. */
export function redact(changes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(changes).map(([key, value]) => [
      key,
      SECRET_KEYS.test(key)
        ? '[redacted]'
        : value && typeof value === 'object' && !Array.isArray(value)
          ? redact(value as Record<string, unknown>)
          : value,
    ])
  )
}

/**
 * Appends one audit event (the table refuses UPDATE and DELETE). Pass the tenant
 * transaction so the event commits or rolls back with the change it records.
 */
export async function recordAudit(
  meta: RequestMeta | null,
  input: AuditInput,
  client: QueryClientContract = db.connection()
) {
  if (meta) meta.audited = true
  await client.table('audit_events').insert({
    school_id: input.schoolId ?? null,
    actor_user_id: input.actorUserId ?? meta?.userId ?? null,
    actor_service: input.actorService ?? null,
    action: input.action,
    target_type: input.targetType ?? null,
    target_id: input.targetId ?? null,
    changes: JSON.stringify(redact(input.changes ?? {})),
    outcome: input.outcome ?? 'success',
    ip: meta?.ip ?? null,
    user_agent: meta?.userAgent ?? null,
    request_id: meta?.requestId ?? null,
  })
}
