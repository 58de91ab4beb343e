import type { Infer } from '@vinejs/vine/types'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Membership from '#models/tenancy/membership'
import { paginate } from '#services/platform/pagination'
import type { listMembersValidator, updateMemberValidator } from '#validators/tenancy/tenancy'

/** A page of the school's members with their users, filtered by role, status, cohort or a search term. */
export function listMembers(
  trx: TransactionClientContract,
  schoolId: string,
  filters: Infer<typeof listMembersValidator>
) {
  const query = Membership.query({ client: trx }).where('school_id', schoolId).preload('user')
  if (filters.role) query.where('role', filters.role)
  if (filters.status) query.where('status', filters.status)
  if (filters.cohortId) {
    query.whereIn('id', (sub) =>
      sub.from('cohort_members').where('cohort_id', filters.cohortId!).select('membership_id')
    )
  }
  if (filters.search) {
    const term = `%${filters.search.replace(/[\\%_]/g, '\\$&')}%`
    query.whereIn('user_id', (sub) =>
      sub.from('users').whereILike('email', term).orWhereILike('full_name', term).select('id')
    )
  }
  return paginate(query, filters)
}

export function findMember(trx: TransactionClientContract, schoolId: string, membershipId: string) {
  return Membership.query({ client: trx })
    .where('school_id', schoolId)
    .where('id', membershipId)
    .preload('user')
    .first()
}

export async function updateMember(
  trx: TransactionClientContract,
  membership: Membership,
  input: Infer<typeof updateMemberValidator>
) {
  membership.merge(input)
  await membership.useTransaction(trx).save()
  return membership
}
