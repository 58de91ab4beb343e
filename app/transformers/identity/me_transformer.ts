import { ResourceTransformer } from '#transformers/jobs/resource_transformer'
import type User from '#models/identity/user'
import type { callerContext } from '#services/identity/user_context'
import { effectivePermissions, type SchoolRole } from '#services/tenancy/permissions'

type CallerMembership = Awaited<ReturnType<typeof callerContext>>['memberships'][number]

/** The caller and every school they belong to, with role and effective permissions. */
export default class MeTransformer extends ResourceTransformer<User> {
  constructor(
    resource: User,
    protected memberships: readonly CallerMembership[]
  ) {
    super(resource)
  }

  toObject() {
    const user = this.resource
    return {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      emailVerified: Boolean(user.emailVerifiedAt),
      isPlatformAdmin: user.isPlatformAdmin,
      schools: this.memberships.map((membership) => ({
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
