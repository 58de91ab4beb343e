import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import {
  changePasswordValidator,
  reauthenticateValidator,
} from '#validators/identity/account_security'
import { changePassword, reauthenticate } from '#services/identity/step_up_service'

/** Step-up re-authentication and password change for the signed-in caller. */
export default class MeSecurityController {
  async reauthenticate(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    const input = await ctx.request.validateUsing(reauthenticateValidator)
    return reauthenticate(requestMeta(ctx), user, input)
  }

  async changePassword(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    const input = await ctx.request.validateUsing(changePasswordValidator)
    await changePassword(requestMeta(ctx), user, input)
    return ctx.response.noContent()
  }
}
