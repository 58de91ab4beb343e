import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import {
  computeProfileCompletion,
  notificationPreferences,
  type ProfilePreferences,
} from '#services/profiles/profile_completion'

/*
| Profile sections of one membership. Every function takes the request's RLS
| transaction; ids from the URL are always matched with (school_id, membership_id),
| so an id from another member or school is a 404.
*/
export type SectionKind = 'education' | 'experience' | 'skills'
const TABLES: Record<SectionKind, string> = {
  education: 'profile_education',
  experience: 'profile_experience',
  skills: 'profile_skills',
}

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString().slice(0, 10) : ((value as string | null) ?? null)

/** Dates in order; `current` entries have no end date. 422 with field errors otherwise. */
export function assertDates(input: {
  startDate?: string | null
  endDate?: string | null
  current?: boolean
}) {
  if (input.current && input.endDate) {
    throw new ProblemException(422, 'validation-error', 'Unprocessable Content', 'Invalid dates', [
      { field: 'endDate', message: 'A current entry has no end date', rule: 'current' },
    ])
  }
  if (input.startDate && input.endDate && input.endDate < input.startDate) {
    throw new ProblemException(422, 'validation-error', 'Unprocessable Content', 'Invalid dates', [
      {
        field: 'endDate',
        message: 'The end date must not be before the start date',
        rule: 'afterOrSameAs',
      },
    ])
  }
  const today = new Date().toISOString().slice(0, 10)
  if (input.startDate && input.startDate > today) {
    throw new ProblemException(422, 'validation-error', 'Unprocessable Content', 'Invalid dates', [
      {
        field: 'startDate',
        message: 'The start date must not be in the future',
        rule: 'beforeOrEqual',
      },
    ])
  }
}

async function ensureProfile(client: QueryClientContract, schoolId: string, membershipId: string) {
  await client.rawQuery(
    `insert into profiles (school_id, membership_id) values (?, ?) on conflict do nothing`,
    [schoolId, membershipId]
  )
}

export async function readProfile(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string
) {
  const key = { school_id: schoolId, membership_id: membershipId }
  // one connection (the request transaction): queries run one after another
  const profile = await client.from('profiles').where(key).first()
  const education = await client
    .from('profile_education')
    .where(key)
    .orderBy([{ column: 'position' }, { column: 'created_at' }])
  const experience = await client
    .from('profile_experience')
    .where(key)
    .orderBy([{ column: 'position' }, { column: 'created_at' }])
  const skills = await client
    .from('profile_skills as ps')
    .join('skills as s', 's.id', 'ps.skill_id')
    .where({ 'ps.school_id': schoolId, 'ps.membership_id': membershipId })
    .orderBy([{ column: 'ps.position' }, { column: 'ps.created_at' }])
    .select('ps.id', 'ps.level', 'ps.position', 's.slug', 's.name')
  const completion = await computeProfileCompletion(client, schoolId, membershipId)
  const notifications = await notificationPreferences(client, schoolId, membershipId)
  return {
    membershipId,
    profile: profile as
      | { headline: string | null; summary: string | null; preferences: ProfilePreferences | null }
      | undefined,
    notifications,
    education,
    experience,
    skills,
    completion,
  }
}

/** What `readProfile` loads: the profile row (absent until first saved) and its sections. */
export type LoadedProfile = Awaited<ReturnType<typeof readProfile>>

export async function updateProfile(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string,
  input: {
    headline?: string | null
    summary?: string | null
    preferences?: ProfilePreferences
    notifications?: { optOut?: string[]; quietHours?: unknown }
  }
) {
  await ensureProfile(client, schoolId, membershipId)
  const current = await client
    .from('profiles')
    .where({ school_id: schoolId, membership_id: membershipId })
    .forUpdate()
    .first()
  const preferences = { ...(current.preferences ?? {}), ...(input.preferences ?? {}) }
  if (
    typeof preferences.salaryMin === 'number' &&
    typeof preferences.salaryMax === 'number' &&
    preferences.salaryMax < preferences.salaryMin
  ) {
    throw new ProblemException(
      422,
      'validation-error',
      'Unprocessable Content',
      'Invalid salary range',
      [
        {
          field: 'preferences.salaryMax',
          message: 'The maximum must not be below the minimum',
          rule: 'min',
        },
      ]
    )
  }
  const notifications = {
    ...(current.notification_preferences ?? {}),
    ...(input.notifications ?? {}),
  }
  const changes: Record<string, unknown> = {
    preferences: JSON.stringify(preferences),
    notification_preferences: JSON.stringify(notifications),
    updated_at: new Date(),
  }
  if (input.headline !== undefined) changes.headline = input.headline || null
  if (input.summary !== undefined) changes.summary = input.summary || null
  await client
    .from('profiles')
    .where({ school_id: schoolId, membership_id: membershipId })
    .update(changes)
}

/** Maps a skill name, slug or alias (case-insensitive) to the normalized list; null when unknown. */
export async function resolveSkill(client: QueryClientContract, value: string) {
  const needle = value.trim().toLowerCase()
  return client
    .from('skills')
    .whereRaw('lower(slug) = ? or lower(name) = ? or ? = any(aliases)', [needle, needle, needle])
    .select('id', 'slug', 'name')
    .first()
}

export async function listSkills(client: QueryClientContract, search?: string) {
  const query = client.from('skills').select('slug', 'name', 'aliases').orderBy('name')
  if (search) {
    const needle = `%${search.toLowerCase()}%`
    query.whereRaw(
      `lower(name) like ? or exists (select 1 from unnest(aliases) a where a like ?)`,
      [needle, needle]
    )
  }
  return query
}

async function nextPosition(
  client: QueryClientContract,
  kind: SectionKind,
  schoolId: string,
  membershipId: string
) {
  const row = await client
    .from(TABLES[kind])
    .where({ school_id: schoolId, membership_id: membershipId })
    .max('position as max')
    .first()
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1
}

const dateColumns = (input: Record<string, any>) => {
  const out: Record<string, unknown> = {}
  if (input.startDate !== undefined) out.start_date = input.startDate
  if (input.endDate !== undefined) out.end_date = input.endDate
  if (input.current !== undefined) out.current = input.current
  return out
}

export async function createEntry(
  client: QueryClientContract,
  kind: 'education' | 'experience',
  schoolId: string,
  membershipId: string,
  input: Record<string, any>
) {
  assertDates(input)
  await ensureProfile(client, schoolId, membershipId)
  const base = {
    school_id: schoolId,
    membership_id: membershipId,
    position: await nextPosition(client, kind, schoolId, membershipId),
    ...dateColumns(input),
  }
  const row =
    kind === 'education'
      ? {
          ...base,
          institution: input.institution,
          degree: input.degree ?? null,
          field: input.field ?? null,
        }
      : {
          ...base,
          organization: input.organization,
          title: input.title,
          location: input.location ?? null,
          description: input.description ?? null,
        }
  const [created] = await client.table(TABLES[kind]).insert(row).returning('*')
  return created
}

export async function updateEntry(
  client: QueryClientContract,
  kind: 'education' | 'experience',
  schoolId: string,
  membershipId: string,
  id: string,
  input: Record<string, any>
) {
  const existing = await findEntry(client, kind, schoolId, membershipId, id)
  assertDates({
    startDate: input.startDate !== undefined ? input.startDate : iso(existing.start_date),
    endDate: input.endDate !== undefined ? input.endDate : iso(existing.end_date),
    current: input.current !== undefined ? input.current : existing.current,
  })
  const fields =
    kind === 'education'
      ? ['institution', 'degree', 'field']
      : ['organization', 'title', 'location', 'description']
  const changes: Record<string, unknown> = { ...dateColumns(input), updated_at: new Date() }
  for (const field of fields) if (input[field] !== undefined) changes[field] = input[field]
  const [updated] = await client.from(TABLES[kind]).where('id', id).update(changes).returning('*')
  return updated
}

export async function findEntry(
  client: QueryClientContract,
  kind: SectionKind,
  schoolId: string,
  membershipId: string,
  id: string
) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw ProblemException.notFound()
  const row = await client
    .from(TABLES[kind])
    .where({ id, school_id: schoolId, membership_id: membershipId })
    .first()
  if (!row) throw ProblemException.notFound()
  return row
}

export async function deleteEntry(
  client: QueryClientContract,
  kind: SectionKind,
  schoolId: string,
  membershipId: string,
  id: string
) {
  await findEntry(client, kind, schoolId, membershipId, id)
  await client.from(TABLES[kind]).where('id', id).delete()
}

/** Reorders a section: `ids` must be exactly the member's entries of that section. */
export async function reorder(
  client: QueryClientContract,
  kind: SectionKind,
  schoolId: string,
  membershipId: string,
  ids: string[]
) {
  const rows = await client
    .from(TABLES[kind])
    .where({ school_id: schoolId, membership_id: membershipId })
    .select('id')
  const existing = new Set(rows.map((row: { id: string }) => row.id))
  if (existing.size !== ids.length || ids.some((id) => !existing.has(id))) {
    throw new ProblemException(
      422,
      'validation-error',
      'Unprocessable Content',
      'ids must list every entry once',
      [{ field: 'ids', message: 'List every entry of the section exactly once', rule: 'reorder' }]
    )
  }
  for (const [position, id] of ids.entries()) {
    await client.from(TABLES[kind]).where('id', id).update({ position, updated_at: new Date() })
  }
}

export async function addSkill(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string,
  input: { skill: string; level?: string }
) {
  const skill = await resolveSkill(client, input.skill)
  if (!skill) {
    throw new ProblemException(422, 'validation-error', 'Unprocessable Content', 'Unknown skill', [
      {
        field: 'skill',
        message: `"${input.skill.slice(0, 100)}" is not in the skill list`,
        rule: 'skill',
      },
    ])
  }
  await ensureProfile(client, schoolId, membershipId)
  const [row] = await client
    .table('profile_skills')
    .insert({
      school_id: schoolId,
      membership_id: membershipId,
      skill_id: skill.id,
      level: input.level ?? 'intermediate',
      position: await nextPosition(client, 'skills', schoolId, membershipId),
    })
    .onConflict(['school_id', 'membership_id', 'skill_id'])
    .ignore()
    .returning('*')
  if (!row) throw ProblemException.conflict(`${skill.name} is already on the profile`)
  return { ...row, slug: skill.slug, name: skill.name }
}

export async function updateSkill(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string,
  id: string,
  level: string
) {
  await findEntry(client, 'skills', schoolId, membershipId, id)
  await client.from('profile_skills').where('id', id).update({ level, updated_at: new Date() })
  return client
    .from('profile_skills as ps')
    .join('skills as s', 's.id', 'ps.skill_id')
    .where('ps.id', id)
    .select('ps.id', 'ps.level', 'ps.position', 's.slug', 's.name')
    .first()
}

/**
 * Who may read a learner's profile: the learner, `profiles.read_all`, or a mentor
 * with `profiles.read_assigned` and a mentor assignment to that learner.
 */
export async function canReadProfile(
  client: QueryClientContract,
  tenant: { schoolId: string; membershipId: string | null; permissions: Set<string> },
  membershipId: string
) {
  if (tenant.membershipId === membershipId) return true
  if (tenant.permissions.has('profiles.read_all')) return true
  if (tenant.permissions.has('profiles.read_assigned') && tenant.membershipId) {
    const row = await client
      .from('mentor_assignments')
      .where({
        school_id: tenant.schoolId,
        mentor_membership_id: tenant.membershipId,
        learner_membership_id: membershipId,
      })
      .first()
    return !!row
  }
  return false
}

/**
 * A learner of this school whose profile data the caller may read: 404 when the
 * membership is not in the school, 403 when the caller may not read it.
 */
export async function readableLearner(
  client: QueryClientContract,
  tenant: Parameters<typeof canReadProfile>[1],
  membershipId: string,
  what: string
) {
  if (!/^[0-9a-f-]{36}$/i.test(membershipId)) throw ProblemException.notFound()
  const member = await client
    .from('memberships')
    .where({ id: membershipId, school_id: tenant.schoolId })
    .first()
  if (!member) throw ProblemException.notFound()
  if (!(await canReadProfile(client, tenant, membershipId))) {
    throw ProblemException.forbidden(`You may not read this learner's ${what}.`)
  }
  return membershipId
}
