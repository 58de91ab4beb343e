import {
  cancelProfileNudgesIntent,
  profileNudgesIntent,
} from '#services/profiles/profile_nudges_service'
import { requestMeta } from '#middleware/request_meta'
import { dispatchIds, enqueue } from '#services/platform/workflow_outbox'
import type { HttpContext } from '@adonisjs/core/http'
import { invalidateSchoolContext, invalidateUserContext } from '#services/platform/cache_service'
import MembershipTransformer from '#transformers/tenancy/membership_transformer'
import { listMembersValidator, updateMemberValidator } from '#validators/tenancy/tenancy'
import * as members from '#services/tenancy/member_service'
import { recordAudit } from '#services/platform/audit_service'
import { ProblemException } from '#exceptions/problem_exception'
import { effectivePermissions } from '#services/tenancy/permissions'
import { rolePermissionOverride } from '#services/tenancy/role_permission_service'
import { assertWithinCeiling } from '#services/tenancy/role_ceiling'

export default class MembersController {
  async index({ request, bouncer, tenant }: HttpContext) {
    await bouncer.authorize('schoolPermission', tenant, 'members.manage')
    const filters = await request.validateUsing(listMembersValidator, { data: request.qs() })
    const page = await members.listMembers(tenant.trx, tenant.schoolId, filters)
    return MembershipTransformer.page(page)
  }

  async update(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'members.manage')
    const input = await ctx.request.validateUsing(updateMemberValidator)
    const membership = await members.findMember(tenant.trx, tenant.schoolId, params.membershipId)
    if (!membership) throw ProblemException.notFound()
    if (membership.id === tenant.membershipId && (input.role || input.status)) {
      throw ProblemException.forbidden('You cannot change your own role or status.')
    }
    if (input.extraPermissions && !tenant.permissions.has('school.manage')) {
      throw ProblemException.forbidden('Granting permissions needs school.manage.')
    }
    const changesStanding = input.role !== undefined || input.status !== undefined
    await assertWithinCeiling(tenant.trx, tenant.schoolId, tenant.permissions, {
      role: input.role,
      permissions: input.extraPermissions,
      target: changesStanding
        ? effectivePermissions(
            membership.role,
            await rolePermissionOverride(tenant.trx, tenant.schoolId, membership.role),
            membership.extraPermissions
          )
        : undefined,
    })
    const before = {
      role: membership.role,
      status: membership.status,
      extraPermissions: membership.extraPermissions,
    }
    await members.updateMember(tenant.trx, membership, input)
    await invalidateSchoolContext(tenant.schoolId, tenant.trx)
    await invalidateUserContext(membership.userId, tenant.trx)
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'membership.updated',
        schoolId: tenant.schoolId,
        targetType: 'membership',
        targetId: membership.id,
        changes: { before, after: input },
      },
      tenant.trx
    )
    // The nudges intent commits with the membership change; the workflow reads the membership.
    let outboxIds: string[] = []
    if (input.status && input.status !== before.status && membership.role === 'learner') {
      outboxIds = await enqueue(tenant.trx, tenant.schoolId, [
        input.status === 'active'
          ? profileNudgesIntent(tenant.schoolId, membership.userId, membership.id)
          : cancelProfileNudgesIntent(tenant.schoolId, membership.userId),
      ])
    }
    await tenant.trx.commit()
    await dispatchIds(outboxIds).catch(() => false)
    return MembershipTransformer.item(membership)
  }
}
