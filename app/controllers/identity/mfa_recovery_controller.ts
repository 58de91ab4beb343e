import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import {
  mfaRecoveryRequestValidator,
  mfaRecoveryTokenValidator,
} from '#validators/identity/mfa_recovery'
import * as recovery from '#services/identity/mfa_recovery_service'

/** MFA recovery: request (always 202), verify and cancel by mailed token, admin approve/deny. */
export default class MfaRecoveryController {
  async request(ctx: HttpContext) {
    const { email } = await ctx.request.validateUsing(mfaRecoveryRequestValidator)
    // Same answer, same timing class, for every address: the work runs after the response.
    recovery
      .requestRecovery(email)
      .catch((error) => ctx.logger.error({ err: error }, 'mfa recovery request failed'))
    return ctx.response.accepted({ status: 'accepted' })
  }

  async verify(ctx: HttpContext) {
    const { token } = await ctx.request.validateUsing(mfaRecoveryTokenValidator)
    return recovery.verifyRecovery(token)
  }

  async cancel(ctx: HttpContext) {
    const { token } = await ctx.request.validateUsing(mfaRecoveryTokenValidator)
    return recovery.cancelRecovery(token)
  }

  /* Skipping the cooling-off hands the account to whoever holds the inbox: school.manage only. */
  async approve(ctx: HttpContext) {
    await ctx.bouncer.authorize('schoolPermission', ctx.tenant, 'school.manage')
    return ctx.response.accepted(
      await recovery.decideRecovery(requestMeta(ctx), ctx.tenant, ctx.params.id, 'approve')
    )
  }

  async deny(ctx: HttpContext) {
    await ctx.bouncer.authorize('schoolPermission', ctx.tenant, 'members.manage')
    return ctx.response.accepted(
      await recovery.decideRecovery(requestMeta(ctx), ctx.tenant, ctx.params.id, 'deny')
    )
  }
}
