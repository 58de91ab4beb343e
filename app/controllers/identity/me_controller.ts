import type { HttpContext } from '@adonisjs/core/http'
import { callerContext } from '#services/identity/user_context'
import { authState } from '#auth/request_auth_state'
import MeTransformer from '#transformers/identity/me_transformer'

export default class MeController {
  /** The caller and every school they belong to, with role and effective permissions. */
  async show(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    const { memberships } = await callerContext(user.id, authState(ctx))
    return MeTransformer.item(user, memberships)
  }
}
