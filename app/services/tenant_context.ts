import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Membership from '#models/membership'
import type School from '#models/school'
import type { Permission } from '#services/permissions'

/** What a request inside `/v1/schools/:schoolId` knows about its school. */
export interface TenantContext {
  school: School
  /** null for a platform admin acting in a school they are not a member of */
  membership: Membership | null
  permissions: Set<Permission>
  /** Admin permissions held but unusable until the caller enrolls a second factor. */
  withheld?: ReadonlySet<Permission>
  /** Every tenant query of the request goes through this transaction (RLS context is set on it). */
  trx: TransactionClientContract
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    tenant: TenantContext
  }
}

/**
 * Opens a transaction whose row-level-security context is the given school and
 * user. `set_config(..., true)` is SET LOCAL: it ends with the transaction, so a
 * pooled connection never carries one school's context into another request.
 */
export async function openTenantTransaction(options: {
  schoolId?: string | null
  userId?: string | null
  platformScope?: boolean
}) {
  const trx = await db.transaction()
  await trx.rawQuery(
    `select set_config('app.school_id', ?, true), set_config('app.user_id', ?, true),
            set_config('app.platform_scope', ?, true)`,
    [options.schoolId ?? '', options.userId ?? '', options.platformScope ? 'on' : '']
  )
  return trx
}

/** Runs `work` inside a transaction with the given RLS context; commits on success. */
export async function withTenant<T>(
  options: Parameters<typeof openTenantTransaction>[0],
  work: (trx: TransactionClientContract) => Promise<T>
): Promise<T> {
  const trx = await openTenantTransaction(options)
  try {
    const result = await work(trx)
    await trx.commit()
    return result
  } catch (error) {
    await trx.rollback()
    throw error
  }
}
