import { RolePermissionSchema } from '#database/schema'

/** A school's replacement permission set for a role. */
export default class RolePermission extends RolePermissionSchema {
  static table = 'role_permissions'
}
