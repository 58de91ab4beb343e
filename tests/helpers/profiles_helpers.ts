import { asOwner } from '#tests/helpers/fixtures'

/** Puts a member into a cohort (owner connection). */
export async function addToCohort(
  schoolId: string,
  cohortId: string,
  membershipId: string,
  cohortRole: 'mentor' | 'learner'
) {
  await asOwner((trx) =>
    trx.table('cohort_members').insert({
      school_id: schoolId,
      cohort_id: cohortId,
      membership_id: membershipId,
      cohort_role: cohortRole,
    })
  )
}

export async function assignMentor(
  schoolId: string,
  cohortId: string,
  mentorMembershipId: string,
  learnerMembershipId: string
) {
  await asOwner((trx) =>
    trx.table('mentor_assignments').insert({
      school_id: schoolId,
      cohort_id: cohortId,
      mentor_membership_id: mentorMembershipId,
      learner_membership_id: learnerMembershipId,
    })
  )
}

/** resetDatabase truncates every table, the seeded skill list included: put it back. */
export async function seedSkills() {
  const { seedSkillList } = await import('#services/profiles/profile_skills')
  await asOwner((trx) => seedSkillList(trx))
}
