import type { HttpContext } from '@adonisjs/core/http'
import { activeSchoolsOf } from '#services/member_service'
import { effectivePermissions, type SchoolRole } from '#services/permissions'

export default class MeController {
  /** The caller and every school they belong to, with role and effective permissions. */
  async show({ auth }: HttpContext) {
    const user = auth.use('api').getUserOrFail()
    const rows = await activeSchoolsOf(user.id)
    return {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      emailVerified: Boolean(user.emailVerifiedAt),
      isPlatformAdmin: user.isPlatformAdmin,
      schools: rows.map((row) => ({
        schoolId: row.id,
        slug: row.slug,
        name: row.name,
        membershipId: row.membership_id,
        role: row.role,
        permissions: [
          ...effectivePermissions(
            row.role as SchoolRole,
            row.permissions ?? undefined,
            row.extra_permissions
          ),
        ].sort(),
      })),
    }
  }
}
