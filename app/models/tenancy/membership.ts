import { belongsTo } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { MembershipSchema } from '#database/schema'
import User from '#models/identity/user'
import School from '#models/tenancy/school'
import type { SchoolRole } from '#services/tenancy/permissions'

/** A user's role in one school. */
export default class Membership extends MembershipSchema {
  static table = 'memberships'

  declare role: SchoolRole
  declare status: 'active' | 'suspended' | 'ended'
  declare extraPermissions: string[]

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @belongsTo(() => School)
  declare school: BelongsTo<typeof School>
}
