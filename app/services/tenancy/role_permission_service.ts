import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { SchoolRole } from '#services/tenancy/permissions'

/** The school's replacement permission set for a role, or undefined for the defaults. */
export async function rolePermissionOverride(
  client: QueryClientContract,
  schoolId: string,
  role: SchoolRole
): Promise<string[] | undefined> {
  const row = await client
    .from('role_permissions')
    .where({ school_id: schoolId, role })
    .select('permissions')
    .first()
  return row?.permissions
}

/** Every role's replacement set in a school, by role (roles on their defaults are absent). */
export async function rolePermissionOverrides(
  client: QueryClientContract,
  schoolId: string
): Promise<Map<string, string[]>> {
  const rows = await client
    .from('role_permissions')
    .where('school_id', schoolId)
    .select('role', 'permissions')
  return new Map(rows.map((row) => [row.role, row.permissions as string[]]))
}

/** Replaces a role's permission set in a school. */
export async function setRolePermissions(
  client: QueryClientContract,
  schoolId: string,
  role: SchoolRole,
  permissions: string[]
) {
  await client.rawQuery(
    `insert into role_permissions (school_id, role, permissions) values (?, ?, ?)
       on conflict (school_id, role) do update set permissions = excluded.permissions, updated_at = now()`,
    [schoolId, role, permissions]
  )
}

/** Puts a role back on its default permission set. */
export async function resetRolePermissions(
  client: QueryClientContract,
  schoolId: string,
  role: SchoolRole
) {
  await client.from('role_permissions').where({ school_id: schoolId, role }).delete()
}
