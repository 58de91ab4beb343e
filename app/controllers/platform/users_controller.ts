import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { disableUserValidator } from '#validators/identity/account_security'
import { disableUser, enableUser } from '#services/identity/account_status_service'
import UserStatusTransformer from '#transformers/identity/user_status_transformer'

/** Platform administration of accounts (global). School admins suspend memberships instead. */
export default class PlatformUsersController {
  async disable(ctx: HttpContext) {
    await ctx.bouncer.authorize('platformAdmin')
    const { reason } = await ctx.request.validateUsing(disableUserValidator)
    return UserStatusTransformer.item(await disableUser(requestMeta(ctx), ctx.params.id, reason))
  }

  async enable(ctx: HttpContext) {
    await ctx.bouncer.authorize('platformAdmin')
    return UserStatusTransformer.item(await enableUser(requestMeta(ctx), ctx.params.id))
  }
}
