/*
| Data a conformance run starts from: a school with one member per role, a cohort with the
| learner and the mentor (assigned to the learner), open jobs the school can see, a machine
| client. Schemathesis cannot invent references that exist (a job, a member, a skill of the
| list), so hooks.py fills the positive cases' reference fields from `references`.
*/
import { randomUUID } from 'node:crypto'
import {
  addMember,
  asOwner,
  createCohort,
  createSchool,
  createUser,
  TEST_PASSWORD,
} from '#tests/helpers/fixtures'
import { addToCohort, assignMentor, seedSkills } from '#tests/helpers/profiles_helpers'
import { insertSource } from '#tests/helpers/jobs_helpers'

export const ROLES = ['learner', 'mentor', 'staff', 'school_admin', 'platform_admin'] as const
export type Role = (typeof ROLES)[number]
export type Account = { id: string; email: string; membershipId?: string }

export async function seedConformanceData(tag: string) {
  const school = await createSchool(`conf-${tag}`)
  const users = {} as Record<Role, Account>
  for (const role of ['learner', 'mentor', 'staff', 'school_admin'] as const) {
    const user = await createUser(`conf-${role.replace('_', '-')}-${tag}@example.com`)
    users[role] = { ...user, membershipId: await addMember(school.id, user.id, role) }
  }
  users.platform_admin = await createUser(`conf-platform-${tag}@example.com`, {
    platformAdmin: true,
  })

  const cohortId = await createCohort(school.id, `Cohort ${tag}`)
  await addToCohort(school.id, cohortId, users.learner.membershipId!, 'learner')
  await addToCohort(school.id, cohortId, users.mentor.membershipId!, 'mentor')
  await assignMentor(school.id, cohortId, users.mentor.membershipId!, users.learner.membershipId!)

  const source = await insertSource({
    schoolId: school.id,
    name: `Board ${tag}`,
    kind: 'json_feed',
  })
  const jobIds: string[] = []
  const titles = ['Data analyst intern', 'Junior web developer', 'Lab assistant']
  for (const title of Array.from({ length: 60 }, (_, n) => `${titles[n % 3]} ${n + 1}`)) {
    const [row] = await asOwner((trx) =>
      trx
        .table('jobs')
        .insert({
          source_id: source.id,
          school_id: school.id,
          external_id: randomUUID(),
          content_hash: randomUUID(),
          title,
          company: 'Conformance Ltd',
          description_text: `${title} at Conformance Ltd`,
          posted_at: new Date(),
        })
        .returning('id')
    )
    jobIds.push(row.id)
  }
  // The suites before this one may have emptied every table, the skill list included.
  await seedSkills()
  const skills = await asOwner((trx) => trx.from('skills').orderBy('id').limit(100).select('slug'))

  return {
    school,
    users,
    references: {
      schoolId: school.id,
      cohortId,
      jobId: jobIds[0],
      jobIds,
      skill: skills[0]?.slug as string | undefined,
      // Skills of the list, one per positive add (a skill is on a profile once).
      skills: skills.map((row: { slug: string }) => row.slug),
      learnerMembershipId: users.learner.membershipId!,
      mentorMembershipId: users.mentor.membershipId!,
      staffMembershipId: users.staff.membershipId!,
      // The seeded accounts' password (a test constant): what an app's user would type.
      password: TEST_PASSWORD,
      emails: Object.fromEntries(ROLES.map((role) => [role, users[role].email])),
    },
  }
}
