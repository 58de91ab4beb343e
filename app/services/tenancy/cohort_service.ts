import { DateTime } from 'luxon'
import type { Infer } from '@vinejs/vine/types'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import Cohort from '#models/tenancy/cohort'
import { paginate } from '#services/platform/pagination'
import type {
  addCohortMemberValidator,
  createCohortValidator,
  mentorAssignmentValidator,
  updateCohortValidator,
} from '#validators/tenancy/tenancy'

/*
| Cohorts, their members and mentor assignments, inside the school's transaction: RLS and the
| composite foreign keys reject an id from another school.
*/

export function listCohorts(
  trx: TransactionClientContract,
  schoolId: string,
  page: { cursor?: string; limit?: number }
) {
  return paginate(Cohort.query({ client: trx }).where('school_id', schoolId), page)
}

export function findCohort(trx: TransactionClientContract, schoolId: string, cohortId: string) {
  return Cohort.query({ client: trx }).where('school_id', schoolId).where('id', cohortId).first()
}

export function createCohort(
  trx: TransactionClientContract,
  schoolId: string,
  input: Infer<typeof createCohortValidator>
) {
  return Cohort.create(
    {
      schoolId,
      name: input.name,
      term: input.term ?? null,
      startsOn: input.startsOn ? DateTime.fromJSDate(input.startsOn) : null,
      endsOn: input.endsOn ? DateTime.fromJSDate(input.endsOn) : null,
    },
    { client: trx }
  )
}

export async function updateCohort(
  trx: TransactionClientContract,
  cohort: Cohort,
  input: Infer<typeof updateCohortValidator>
) {
  if (input.name !== undefined) cohort.name = input.name
  if (input.term !== undefined) cohort.term = input.term
  if (input.archived !== undefined) cohort.archivedAt = input.archived ? DateTime.now() : null
  await cohort.useTransaction(trx).save()
  return cohort
}

export async function addCohortMember(
  trx: TransactionClientContract,
  cohort: Cohort,
  input: Infer<typeof addCohortMemberValidator>
) {
  const [row] = await trx
    .table('cohort_members')
    .insert({
      school_id: cohort.schoolId,
      cohort_id: cohort.id,
      membership_id: input.membershipId,
      cohort_role: input.cohortRole,
    })
    .returning(['id', 'cohort_id', 'membership_id', 'cohort_role'])
  return row
}

/** False when the membership was not in the cohort. */
export async function removeCohortMember(
  trx: TransactionClientContract,
  schoolId: string,
  cohortId: string,
  membershipId: string
) {
  const deleted = await trx
    .from('cohort_members')
    .where({ school_id: schoolId, cohort_id: cohortId, membership_id: membershipId })
    .delete()
  return Boolean(Number(deleted))
}

/** The assignment's id, or null unless both people are in the cohort as mentor and learner. */
export async function assignMentor(
  trx: TransactionClientContract,
  cohort: Cohort,
  input: Infer<typeof mentorAssignmentValidator>
): Promise<string | null> {
  const roles = await trx
    .from('cohort_members')
    .where({ school_id: cohort.schoolId, cohort_id: cohort.id })
    .whereIn('membership_id', [input.mentorMembershipId, input.learnerMembershipId])
    .select('membership_id', 'cohort_role')
  const roleOf = new Map(roles.map((row) => [row.membership_id, row.cohort_role]))
  if (
    roleOf.get(input.mentorMembershipId) !== 'mentor' ||
    roleOf.get(input.learnerMembershipId) !== 'learner'
  ) {
    return null
  }
  const [row] = await trx
    .table('mentor_assignments')
    .insert({
      school_id: cohort.schoolId,
      cohort_id: cohort.id,
      mentor_membership_id: input.mentorMembershipId,
      learner_membership_id: input.learnerMembershipId,
    })
    .returning('id')
  return row.id
}

/** The learners' membership ids of a cohort, or null when the school has no such cohort. */
export async function cohortLearnerIds(
  trx: TransactionClientContract,
  schoolId: string,
  cohortId: string
): Promise<string[] | null> {
  const cohort = await trx.from('cohorts').where({ id: cohortId, school_id: schoolId }).first()
  if (!cohort) return null
  const rows = await trx
    .from('cohort_members')
    .where({ school_id: schoolId, cohort_id: cohortId, cohort_role: 'learner' })
    .select('membership_id')
  return rows.map((row: { membership_id: string }) => row.membership_id)
}
