import type { HttpContext } from '@adonisjs/core/http'
import { withTenant } from '#services/tenant_context'
import { effectivePermissions, type SchoolRole } from '#services/permissions'

export default class MeController {
  /** The caller and every school they belong to, with role and effective permissions. */
  async show({ auth }: HttpContext) {
    const user = auth.use('api').getUserOrFail()
    // RLS lets a user read their own memberships (app.user_id) across schools.
    const rows = await withTenant({ userId: user.id }, (trx) =>
      trx
        .from('memberships as m')
        .join('schools as s', 's.id', 'm.school_id')
        .leftJoin('role_permissions as rp', (join) => {
          join.on('rp.school_id', 'm.school_id').andOn('rp.role', 'm.role')
        })
        .where('m.user_id', user.id)
        .where('m.status', 'active')
        .where('s.status', 'active')
        .select(
          's.id',
          's.slug',
          's.name',
          'm.id as membership_id',
          'm.role',
          'm.extra_permissions',
          'rp.permissions'
        )
        .orderBy('s.name')
    )
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
