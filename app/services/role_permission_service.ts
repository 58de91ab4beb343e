import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { SchoolRole } from '#services/permissions'

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
