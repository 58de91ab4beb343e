import { createHash, randomUUID } from 'node:crypto'
import { addMember, asOwner, createCohort, createUser } from '#tests/helpers/fixtures'

/** The rows `seedSchoolEverywhere` wrote for one school, by what they are. */
export interface SchoolSeed {
  schoolId: string
  learnerUserId: string
  learnerEmail: string
  learnerMembershipId: string
  mentorMembershipId: string
  cohortId: string
  invitationId: string
  jobSourceId: string
  jobId: string
  applicationId: string
  machineClientId: string
  reportId: string
  resumeId: string
  educationId: string
  experienceId: string
  skillEntryId: string
  /** Every table that holds a row of this school, so callers can check coverage. */
  tables: string[]
}

/**
 * Writes at least one row of the school into every tenant table (owner connection),
 * so isolation tests reach real rows instead of empty tables. A new tenant table
 * must be added here: the RLS test fails, naming it, until it is.
 */
export async function seedSchoolEverywhere(schoolId: string, slug: string): Promise<SchoolSeed> {
  const learner = await createUser(`learner@${slug}.test`)
  const mentor = await createUser(`mentor@${slug}.test`)
  const learnerMembershipId = await addMember(schoolId, learner.id, 'learner')
  const mentorMembershipId = await addMember(schoolId, mentor.id, 'mentor')
  const cohortId = await createCohort(schoolId, `${slug} cohort`)
  const hash = (value: string) => createHash('sha256').update(value).digest()

  return asOwner(async (trx) => {
    const one = async (table: string, row: Record<string, unknown>, key = 'id') => {
      const [inserted] = await trx.table(table).insert(row).returning(key)
      return inserted[key] as string
    }
    await one('cohort_members', {
      school_id: schoolId,
      cohort_id: cohortId,
      membership_id: learnerMembershipId,
      cohort_role: 'learner',
    })
    await one('cohort_members', {
      school_id: schoolId,
      cohort_id: cohortId,
      membership_id: mentorMembershipId,
      cohort_role: 'mentor',
    })
    await one('mentor_assignments', {
      school_id: schoolId,
      cohort_id: cohortId,
      mentor_membership_id: mentorMembershipId,
      learner_membership_id: learnerMembershipId,
    })
    await one(
      'role_permissions',
      { school_id: schoolId, role: 'mentor', permissions: ['cohorts.manage'] },
      'role'
    )
    await one('audit_events', { school_id: schoolId, action: `${slug}.seeded` })
    const invitationId = await one('invitations', {
      school_id: schoolId,
      email: `invited@${slug}.test`,
      role: 'staff',
      token_hash: hash(`invitation ${slug}`),
      workflow_id: `invitation:${randomUUID()}`,
      expires_at: new Date(Date.now() + 86_400_000),
    })
    const jobSourceId = await one('job_sources', {
      school_id: schoolId,
      name: `${slug} board`,
      kind: 'json_feed',
      url: `https://${slug}.example/jobs.json`,
    })
    await one('job_ingestion_runs', {
      school_id: schoolId,
      source_id: jobSourceId,
      workflow_id: `ingest:${jobSourceId}-seed`,
    })
    const jobId = await one('jobs', {
      school_id: schoolId,
      source_id: jobSourceId,
      external_id: `${slug}-1`,
      content_hash: 'seed',
      title: `${slug} engineer`,
      company: `${slug} company`,
    })
    const applicationId = await one('applications', {
      school_id: schoolId,
      membership_id: learnerMembershipId,
      job_id: jobId,
    })
    await one('application_events', {
      school_id: schoolId,
      application_id: applicationId,
      to_status: 'saved',
    })
    const machineClientId = await one('machine_clients', {
      school_id: schoolId,
      name: `${slug} SIS`,
      client_id: `seed-${randomUUID()}`,
      secret_hash: hash(`client ${slug}`),
      scopes: ['roster.write'],
    })
    await one(
      'profiles',
      { school_id: schoolId, membership_id: learnerMembershipId, headline: `${slug} learner` },
      'membership_id'
    )
    const educationId = await one('profile_education', {
      school_id: schoolId,
      membership_id: learnerMembershipId,
      institution: `${slug} university`,
    })
    const experienceId = await one('profile_experience', {
      school_id: schoolId,
      membership_id: learnerMembershipId,
      organization: `${slug} org`,
      title: 'Intern',
    })
    const skill = await trx.from('skills').select('id').first()
    const skillId =
      skill?.id ??
      (await one('skills', { slug: `${slug}-skill`, name: `${slug} skill`, aliases: [] }))
    const skillEntryId = await one('profile_skills', {
      school_id: schoolId,
      membership_id: learnerMembershipId,
      skill_id: skillId,
    })
    const reportId = await one('reports', {
      school_id: schoolId,
      kind: 'cohort_profile_completion',
      cohort_id: cohortId,
    })
    const resumeId = await one('resumes', {
      school_id: schoolId,
      membership_id: learnerMembershipId,
      user_id: learner.id,
      object_key: `${schoolId}/${learnerMembershipId}/seed.pdf`,
      filename: 'seed.pdf',
      content_type: 'application/pdf',
    })

    // Already relayed, so a running outbox relay leaves it alone.
    await one('workflow_outbox', {
      id: randomUUID(),
      school_id: schoolId,
      kind: 'cancel',
      workflow_id: `seed:${slug}`,
      status: 'done',
      done_at: new Date(),
    })

    const { rows } = await trx.rawQuery(
      `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
          and exists (select 1 from information_schema.columns col
                       where col.table_schema = 'public' and col.table_name = c.relname
                         and col.column_name = 'school_id')`
    )
    const tables: string[] = []
    for (const { name } of rows as { name: string }[]) {
      const found = await trx.from(name).where('school_id', schoolId).first()
      if (found) tables.push(name)
    }
    return {
      schoolId,
      learnerUserId: learner.id,
      learnerEmail: learner.email,
      learnerMembershipId,
      mentorMembershipId,
      cohortId,
      invitationId,
      jobSourceId,
      jobId,
      applicationId,
      machineClientId,
      reportId,
      resumeId,
      educationId,
      experienceId,
      skillEntryId,
      tables: tables.sort(),
    }
  })
}
