import type User from '#models/identity/user'
import type School from '#models/tenancy/school'
import { ProblemException } from '#exceptions/problem_exception'
import { hasConfirmedTotp } from '#services/identity/mfa_service'
import {
  ADMIN_PERMISSIONS,
  effectivePermissions,
  type Permission,
  type SchoolRole,
} from '#services/tenancy/permissions'
import { withTenant } from '#services/platform/tenant_context'
import { confirmedTotp } from '#services/identity/user_context'
import type { AuthState } from '#services/identity/cache_tokens'

/**
 * Who must have a second factor: platform admins always; anyone whose active
 * membership, in a school that requires MFA for admins, grants an admin permission.
 */
export async function secondFactorRequired(user: Pick<User, 'id' | 'isPlatformAdmin'>) {
  if (user.isPlatformAdmin) return true
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
      .where('s.mfa_required_for_admins', true)
      .select('m.role', 'm.extra_permissions', 'rp.permissions')
  )
  return rows.some((row) => {
    const granted = effectivePermissions(
      row.role as SchoolRole,
      row.permissions ?? undefined,
      row.extra_permissions ?? []
    )
    return ADMIN_PERMISSIONS.some((permission) => granted.has(permission))
  })
}

/** A second factor is required and none is confirmed yet: the user must enroll first. */
export async function mfaEnrollmentPending(user: Pick<User, 'id' | 'isPlatformAdmin'>) {
  if (await hasConfirmedTotp(user.id)) return false
  return secondFactorRequired(user)
}

export function mfaEnrollmentProblem() {
  return new ProblemException(
    403,
    'mfa-enrollment-required',
    'Forbidden',
    'Set up an authenticator (POST /v1/me/mfa/totp, then /confirm) before using administrative permissions.'
  )
}

/**
 * Splits a request's school permissions: without a confirmed factor, a platform
 * admin or an admin of a school requiring MFA keeps only the non-admin ones; the
 * withheld ones are returned so a refusal can say "enroll first". Checked on every
 * request, against the caller's cached context when fresh: enrolling or removing a factor
 * invalidates it, so a promotion or a removed factor counts at once. `state` is what the
 * request's token lookup found (null: read the database).
 */
export async function withholdAdminPermissions(
  user: Pick<User, 'id' | 'isPlatformAdmin'>,
  school: Pick<School, 'mfaRequiredForAdmins'>,
  permissions: Set<Permission>,
  state: AuthState | null
): Promise<{ permissions: Set<Permission>; withheld?: Set<Permission> }> {
  const admin = ADMIN_PERMISSIONS.filter((permission) => permissions.has(permission))
  if (admin.length === 0) return { permissions }
  if (!user.isPlatformAdmin && !school.mfaRequiredForAdmins) return { permissions }
  if (await confirmedTotp(user.id, state)) return { permissions }
  const usable = new Set([...permissions].filter((permission) => !admin.includes(permission)))
  return { permissions: usable, withheld: new Set(admin) }
}
