import { ResourceTransformer } from '#transformers/jobs/resource_transformer'
import type { SchoolRole } from '#services/tenancy/permissions'

type RolePermissions = { role: SchoolRole; permissions: Iterable<string>; overridden: boolean }

/** A role's effective permission set in one school, sorted; `overridden` when the school replaced it. */
export default class RolePermissionsTransformer extends ResourceTransformer<RolePermissions> {
  toObject() {
    const { role, permissions, overridden } = this.resource
    return { role, permissions: [...permissions].sort(), overridden }
  }
}
