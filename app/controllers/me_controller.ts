import type { HttpContext } from '@adonisjs/core/http'
import { callerContext } from '#services/user_context'
import { effectivePermissions, type SchoolRole } from '#services/permissions'

export default class MeController {
  /** The caller and every school they belong to, with role and effective permissions. */
  async show(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    const { memberships } = await callerContext(ctx, user.id)
    return {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      emailVerified: Boolean(user.emailVerifiedAt),
      isPlatformAdmin: user.isPlatformAdmin,
      schools: memberships.map((membership) => ({
        schoolId: membership.schoolId,
        slug: membership.slug,
        name: membership.name,
        membershipId: membership.membershipId,
        role: membership.role,
        permissions: [
          ...effectivePermissions(
            membership.role as SchoolRole,
            membership.rolePermissions ?? undefined,
            membership.extraPermissions
          ),
        ].sort(),
      })),
    }
  }
}
