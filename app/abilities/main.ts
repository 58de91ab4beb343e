import { Bouncer } from '@adonisjs/bouncer'
import type User from '#models/identity/user'
import type { TenantContext } from '#services/platform/tenant_context'
import type { Permission } from '#services/tenancy/permissions'
import { confirmedTotp } from '#services/identity/user_context'
import { mfaEnrollmentProblem } from '#services/identity/admin_mfa'
import { currentAuthState } from '#auth/request_auth_state'

/**
 * The caller holds `permission` in the request's school (role set, school override,
 * extras). A held admin permission withheld for a missing second factor answers
 * "enroll first" (403 mfa-enrollment-required) rather than a bare refusal.
 */
export const schoolPermission = Bouncer.ability(
  (_user: User, tenant: TenantContext, permission: Permission) => {
    if (tenant.permissions.has(permission)) return true
    if (tenant.withheld?.has(permission)) throw mfaEnrollmentProblem()
    return false
  }
)

/** Platform-wide administration (schools, global job sources); always behind a second factor. */
export const platformAdmin = Bouncer.ability(async (user: User) => {
  if (!user.isPlatformAdmin) return false
  if (!(await confirmedTotp(user.id, currentAuthState()))) throw mfaEnrollmentProblem()
  return true
})
