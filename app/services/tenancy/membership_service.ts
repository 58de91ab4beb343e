import { invalidateUserContext } from '#services/platform/cache_service'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import type { SchoolRole } from '#services/tenancy/permissions'
import { profileNudgesIntent } from '#services/profiles/profile_nudges_service'
import { enqueue } from '#services/platform/workflow_outbox'

/**
 * Makes a user an active member of a school in the caller's transaction (its RLS context
 * must be that school) and, for a learner, queues the profile-completion nudges in the
 * same transaction: the workflow reads the membership, so it starts after the commit.
 * `existing` says what an existing membership means: `keep` leaves it as it is, without
 * nudges (joining by e-mail domain); `reactivate` gives it the role and makes it active
 * again, and an active one is a 409 (accepting an invitation).
 */
export async function joinSchool(
  trx: TransactionClientContract,
  input: { schoolId: string; userId: string; role: SchoolRole; existing: 'keep' | 'reactivate' }
): Promise<{ membershipId: string | null; outboxIds: string[] }> {
  const { schoolId, userId, role } = input
  let membershipId: string | null = null
  const existing =
    input.existing === 'reactivate'
      ? await trx
          .from('memberships')
          .where({ school_id: schoolId, user_id: userId })
          .select('id', 'status')
          .first()
      : null
  if (existing?.status === 'active') {
    throw ProblemException.conflict('You are already a member of this school.')
  } else if (existing) {
    await trx
      .from('memberships')
      .where('id', existing.id)
      .update({ role, status: 'active', updated_at: new Date() })
    membershipId = existing.id
  } else if (input.existing === 'reactivate') {
    const [inserted] = await trx
      .table('memberships')
      .insert({ school_id: schoolId, user_id: userId, role })
      .returning('id')
    membershipId = inserted.id
  } else {
    const inserted = await trx.rawQuery<{ rows: { id: string }[] }>(
      `insert into memberships (school_id, user_id, role) values (?, ?, ?)
       on conflict (school_id, user_id) do nothing returning id`,
      [schoolId, userId, role]
    )
    membershipId = inserted.rows[0]?.id ?? null
  }
  // The member's cached context (memberships, /v1/me) ends with this commit.
  if (membershipId) await invalidateUserContext(userId, trx)
  const outboxIds =
    membershipId && role === 'learner'
      ? await enqueue(trx, schoolId, [profileNudgesIntent(schoolId, userId, membershipId)])
      : []
  return { membershipId, outboxIds }
}
