/*
| Named permissions and each school role's default set. A school may replace a
| role's set (role_permissions) and grant extra permissions to one member
| (memberships.extra_permissions). platform_admin is global and holds every one.
*/
export const PERMISSIONS = [
  'school.manage',
  'members.invite',
  'members.manage',
  'cohorts.manage',
  'profiles.read_all',
  'profiles.read_assigned',
  'jobs.sources.manage',
  'applications.read_all',
  'analytics.read',
  'audit.read',
] as const

export type Permission = (typeof PERMISSIONS)[number]

export const SCHOOL_ROLES = ['school_admin', 'staff', 'mentor', 'learner'] as const
export type SchoolRole = (typeof SCHOOL_ROLES)[number]

export const DEFAULT_ROLE_PERMISSIONS: Record<SchoolRole, readonly Permission[]> = {
  school_admin: PERMISSIONS,
  staff: [
    'members.invite',
    'members.manage',
    'cohorts.manage',
    'profiles.read_all',
    'jobs.sources.manage',
    'applications.read_all',
    'analytics.read',
  ],
  mentor: ['profiles.read_assigned'],
  learner: [],
}

/**
 * Permissions that make a role "administrative": platform admins and, where a school
 * requires it, holders of these need a second factor before using them. Inviting
 * (it grants roles) and reading every learner's profile or applications count.
 */
export const ADMIN_PERMISSIONS: readonly Permission[] = [
  'school.manage',
  'members.manage',
  'members.invite',
  'profiles.read_all',
  'applications.read_all',
  'audit.read',
]

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value)
}

export function effectivePermissions(
  role: SchoolRole,
  schoolOverride: readonly string[] | undefined,
  extra: readonly string[]
): Set<Permission> {
  const base = schoolOverride ?? DEFAULT_ROLE_PERMISSIONS[role]
  return new Set([...base, ...extra].filter(isPermission))
}
