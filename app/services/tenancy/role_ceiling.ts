import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import {
  effectivePermissions,
  isPermission,
  type Permission,
  type SchoolRole,
} from '#services/tenancy/permissions'
import { rolePermissionOverride } from '#services/tenancy/role_permission_service'

/** Holding the key covers the value: reading every profile includes the assigned ones. */
const COVERED_BY: Partial<Record<Permission, Permission>> = {
  'profiles.read_assigned': 'profiles.read_all',
}

function holds(actor: ReadonlySet<Permission>, permission: string) {
  if (!isPermission(permission)) return false
  const wider = COVERED_BY[permission]
  return actor.has(permission) || (wider !== undefined && actor.has(wider))
}

/** What one request grants in a school. */
export interface Grant {
  /** A role being assigned (member update, invitation, roster sync): its effective set in this school. */
  role?: SchoolRole
  /** Permissions granted directly: a member's extras, a role's new set, a machine client's scopes. */
  permissions?: Iterable<string>
  /** The current effective permissions of a member whose role or status changes. */
  target?: ReadonlySet<Permission>
}

/**
 * The role ceiling — the one rule for every path that assigns roles or permissions:
 * - the actor must hold every permission the request grants (a role's effective
 *   set in this school, including the school's override, plus direct grants);
 * - an actor without `school.manage` may not change the role or status of a member
 *   who holds a permission the actor lacks (no demoting or suspending a superior).
 * `actor` is the actor's effective permission set: a member's, every permission for
 * a platform admin, or what a machine client's scopes stand for.
 * Throws 403 problem+json; the detail names only permission names, never other data.
 */
export async function assertWithinCeiling(
  client: QueryClientContract,
  schoolId: string,
  actor: ReadonlySet<Permission>,
  grant: Grant
) {
  const granted = new Set<string>(grant.permissions ?? [])
  if (grant.role) {
    const override = await rolePermissionOverride(client, schoolId, grant.role)
    for (const permission of effectivePermissions(grant.role, override, [])) {
      granted.add(permission)
    }
  }
  const missing = [...granted].filter((permission) => !holds(actor, permission)).sort()
  if (missing.length > 0) {
    throw ProblemException.forbidden(
      `You cannot grant permissions you do not hold: ${missing.join(', ')}.`
    )
  }
  if (grant.target && !actor.has('school.manage')) {
    if ([...grant.target].some((permission) => !holds(actor, permission))) {
      throw ProblemException.forbidden(
        'You cannot change the role or status of a member who holds permissions you do not.'
      )
    }
  }
}
