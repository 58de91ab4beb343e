import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { invalidateSchoolContext } from '#services/platform/cache_service'
import { rolePermissionsValidator } from '#validators/tenancy/tenancy'
import {
  DEFAULT_ROLE_PERMISSIONS,
  SCHOOL_ROLES,
  type SchoolRole,
} from '#services/tenancy/permissions'
import { recordAudit } from '#services/platform/audit_service'
import { ProblemException } from '#exceptions/problem_exception'
import { assertWithinCeiling } from '#services/tenancy/role_ceiling'
import {
  resetRolePermissions,
  rolePermissionOverrides,
  setRolePermissions,
} from '#services/tenancy/role_permission_service'
import RolePermissionsTransformer from '#transformers/tenancy/role_permissions_transformer'

function roleParam(value: string): SchoolRole {
  if (!(SCHOOL_ROLES as readonly string[]).includes(value)) throw ProblemException.notFound()
  return value as SchoolRole
}

/** Per-school replacement of a role's permission set (school.manage). */
export default class RolePermissionsController {
  async index({ bouncer, tenant }: HttpContext) {
    await bouncer.authorize('schoolPermission', tenant, 'school.manage')
    const byRole = await rolePermissionOverrides(tenant.trx, tenant.schoolId)
    return {
      data: RolePermissionsTransformer.collection(
        SCHOOL_ROLES.map((role) => ({
          role,
          permissions: byRole.get(role) ?? DEFAULT_ROLE_PERMISSIONS[role],
          overridden: byRole.has(role),
        }))
      ),
    }
  }

  async update(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'school.manage')
    const role = roleParam(params.role)
    const { permissions } = await ctx.request.validateUsing(rolePermissionsValidator)
    if (role === 'school_admin' && !permissions.includes('school.manage')) {
      throw new ProblemException(
        422,
        'validation-error',
        'Unprocessable Content',
        'school_admin must keep school.manage, or nobody could manage the school.'
      )
    }
    const unique = [...new Set(permissions)].sort()
    await assertWithinCeiling(tenant.trx, tenant.schoolId, tenant.permissions, {
      permissions: unique,
    })
    await setRolePermissions(tenant.trx, tenant.schoolId, role, unique)
    await invalidateSchoolContext(tenant.schoolId, tenant.trx)
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'role_permissions.updated',
        schoolId: tenant.schoolId,
        targetType: 'role',
        targetId: role,
        changes: { permissions: unique },
      },
      tenant.trx
    )
    return RolePermissionsTransformer.item({ role, permissions: unique, overridden: true })
  }

  async destroy(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'school.manage')
    const role = roleParam(params.role)
    // Back to the defaults grants the default set: the same ceiling applies.
    await assertWithinCeiling(tenant.trx, tenant.schoolId, tenant.permissions, {
      permissions: DEFAULT_ROLE_PERMISSIONS[role],
    })
    await resetRolePermissions(tenant.trx, tenant.schoolId, role)
    await invalidateSchoolContext(tenant.schoolId, tenant.trx)
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'role_permissions.reset',
        schoolId: tenant.schoolId,
        targetType: 'role',
        targetId: role,
      },
      tenant.trx
    )
    return ctx.response.noContent()
  }
}
