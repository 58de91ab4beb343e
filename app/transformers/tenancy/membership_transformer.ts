import { ResourceTransformer } from '#transformers/jobs/resource_transformer'
import type Membership from '#models/tenancy/membership'

/** A member of the school as its admins see them (the user preloaded for e-mail and name). */
export default class MembershipTransformer extends ResourceTransformer<Membership> {
  toObject() {
    const membership = this.resource
    return {
      id: membership.id,
      userId: membership.userId,
      email: membership.user?.email,
      fullName: membership.user?.fullName ?? null,
      role: membership.role,
      status: membership.status,
      extraPermissions: membership.extraPermissions,
      createdAt: membership.createdAt,
    }
  }
}
