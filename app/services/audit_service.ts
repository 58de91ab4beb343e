import type { HttpContext } from '@adonisjs/core/http'
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

const AUDITED = Symbol('audited')

/** Tells the request audit middleware that domain code already recorded this request. */
export function markAudited(ctx: HttpContext) {
  ;(ctx as unknown as Record<symbol, boolean>)[AUDITED] = true
}

export function wasAudited(ctx: HttpContext) {
  return (ctx as unknown as Record<symbol, boolean>)[AUDITED] === true
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
  ctx: HttpContext | null,
  input: AuditInput,
  client: QueryClientContract = db.connection()
) {
  if (ctx) markAudited(ctx)
  await client.table('audit_events').insert({
    school_id: input.schoolId ?? null,
    actor_user_id: input.actorUserId ?? ctx?.auth?.user?.id ?? null,
    actor_service: input.actorService ?? null,
    action: input.action,
    target_type: input.targetType ?? null,
    target_id: input.targetId ?? null,
    changes: JSON.stringify(redact(input.changes ?? {})),
    outcome: input.outcome ?? 'success',
    ip: ctx?.request.ip() ?? null,
    user_agent: ctx?.request.header('user-agent')?.slice(0, 500) ?? null,
    request_id: ctx?.request.id() ?? null,
  })
}
