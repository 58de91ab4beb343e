import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { Permission } from '#services/tenancy/permissions'
import { assertWithinCeiling } from '#services/tenancy/role_ceiling'
import { invalidateUserContext } from '#services/platform/cache_service'

export interface RosterRow {
  email: string
  fullName?: string
  cohortIds?: string[]
}

export interface RosterResult {
  email: string
  status: 'created' | 'updated' | 'unchanged' | 'failed'
  membershipId?: string
  error?: string
}

/**
 * Idempotent bulk upsert of learners and their cohort memberships. Each row runs
 * in its own savepoint, so one bad row is reported and the rest still apply.
 * Existing members keep their role (a sync never demotes staff). `actor` is the
 * caller's permission set: the learner role it assigns must fit under it.
 */
export async function syncRoster(
  trx: TransactionClientContract,
  schoolId: string,
  rows: RosterRow[],
  actor: ReadonlySet<Permission>
) {
  await assertWithinCeiling(trx, schoolId, actor, { role: 'learner' })
  const results: RosterResult[] = []
  for (const row of rows) {
    try {
      results.push(await trx.transaction((savepoint) => syncRow(savepoint, schoolId, row)))
    } catch (error) {
      const code = (error as { code?: string }).code
      results.push({
        email: row.email,
        status: 'failed',
        error:
          code === '23503'
            ? 'A cohort does not exist in this school.'
            : 'The row could not be applied.',
      })
    }
  }
  return results
}

async function syncRow(
  trx: TransactionClientContract,
  schoolId: string,
  row: RosterRow
): Promise<RosterResult> {
  let changed = false
  const insertedUser = await trx
    .table('users')
    .insert({ email: row.email, full_name: row.fullName ?? null })
    .onConflict('email')
    .ignore()
    .returning('id')
  const existingUser =
    insertedUser[0] ?? (await trx.from('users').where('email', row.email).first())
  const userId: string = existingUser.id
  if (insertedUser.length) changed = true

  const insertedMembership = await trx
    .table('memberships')
    .insert({ school_id: schoolId, user_id: userId, role: 'learner' })
    .onConflict(['school_id', 'user_id'])
    .ignore()
    .returning('id')
  const created = insertedMembership.length > 0
  if (created) await invalidateUserContext(userId, trx)
  const membership =
    insertedMembership[0] ??
    (await trx.from('memberships').where({ school_id: schoolId, user_id: userId }).first())
  const membershipId: string = membership.id

  for (const cohortId of row.cohortIds ?? []) {
    const added = await trx
      .table('cohort_members')
      .insert({
        school_id: schoolId,
        cohort_id: cohortId,
        membership_id: membershipId,
        cohort_role: 'learner',
      })
      .onConflict(['cohort_id', 'membership_id'])
      .ignore()
      .returning('id')
    if (added.length) changed = true
  }
  return {
    email: row.email,
    status: created ? 'created' : changed ? 'updated' : 'unchanged',
    membershipId,
  }
}
