import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/*
| Profile completion: the one scoring function used by the API
| (`GET /me/profile/completion`), reports, analytics and the profileNudges workflow.
| Four sections, 25 points each.
*/
export const PROFILE_SECTIONS = ['education', 'experience', 'skills', 'preferences'] as const
export type ProfileSection = (typeof PROFILE_SECTIONS)[number]

export interface ProfilePreferences {
  jobTypes?: string[]
  locations?: string[]
  remote?: 'onsite' | 'hybrid' | 'remote' | 'any'
  industries?: string[]
  salaryMin?: number | null
  salaryMax?: number | null
  salaryCurrency?: string | null
}

export interface NotificationPreferences {
  /** Channels the member opted out of ('email', 'push', 'sms'). */
  optOut: string[]
  quietHours: { start: string; end: string; timezone: string } | null
}

/** Preferences count as complete with at least one job type and a location or a remote choice. */
export function preferencesComplete(preferences: ProfilePreferences | null | undefined) {
  if (!preferences) return false
  const hasJobTypes = (preferences.jobTypes ?? []).length > 0
  const hasPlace = (preferences.locations ?? []).length > 0 || !!preferences.remote
  return hasJobTypes && hasPlace
}

/** Scores a membership's profile 0-100 and names the missing sections. Pass an RLS-scoped client. */
export async function computeProfileCompletion(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string
): Promise<{ score: number; missing: string[] }> {
  const result = await client.rawQuery<{
    rows: { education: number; experience: number; skills: number; preferences: unknown }[]
  }>(
    `select
       (select count(*)::int from profile_education where school_id = ? and membership_id = ?) as education,
       (select count(*)::int from profile_experience where school_id = ? and membership_id = ?) as experience,
       (select count(*)::int from profile_skills where school_id = ? and membership_id = ?) as skills,
       (select preferences from profiles where school_id = ? and membership_id = ?) as preferences`,
    [schoolId, membershipId, schoolId, membershipId, schoolId, membershipId, schoolId, membershipId]
  )
  const row = result.rows[0]
  const done: Record<ProfileSection, boolean> = {
    education: row.education > 0,
    experience: row.experience > 0,
    skills: row.skills > 0,
    preferences: preferencesComplete(row.preferences as ProfilePreferences | null),
  }
  const missing = PROFILE_SECTIONS.filter((section) => !done[section])
  return { score: (PROFILE_SECTIONS.length - missing.length) * 25, missing }
}

/** A member's notification preferences (channel opt-outs and quiet hours); defaults when unset. */
export async function notificationPreferences(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string
): Promise<NotificationPreferences> {
  const row = await client
    .from('profiles')
    .where('school_id', schoolId)
    .where('membership_id', membershipId)
    .select('notification_preferences')
    .first()
  const stored = (row?.notification_preferences ?? {}) as Partial<NotificationPreferences>
  return {
    optOut: Array.isArray(stored.optOut) ? stored.optOut : [],
    quietHours: stored.quietHours ?? null,
  }
}
