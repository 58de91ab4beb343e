import { Bouncer } from '@adonisjs/bouncer'
import type User from '#models/user'
import type { TenantContext } from '#services/tenant_context'
import type { Permission } from '#services/permissions'

/** The caller holds `permission` in the request's school (role set, school override, extras). */
export const schoolPermission = Bouncer.ability(
  (_user: User, tenant: TenantContext, permission: Permission) => tenant.permissions.has(permission)
)

/** Platform-wide administration (schools, global job sources). */
export const platformAdmin = Bouncer.ability((user: User) => user.isPlatformAdmin)
