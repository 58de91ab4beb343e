import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import {
  forgotPasswordValidator,
  resetPasswordValidator,
} from '#validators/identity/account_security'
import { requestPasswordReset, resetPassword } from '#services/identity/password_reset_service'

const ACCEPTED = {
  message: 'If an account uses this address, we sent it a link to choose a new password.',
}

export default class PasswordResetController {
  /** Always 202 with one body; the lookup and the mail happen after the response. */
  async forgot(ctx: HttpContext) {
    const { email } = await ctx.request.validateUsing(forgotPasswordValidator)
    requestPasswordReset(requestMeta(ctx), email)
    return ctx.response.accepted(ACCEPTED)
  }

  async reset(ctx: HttpContext) {
    const { token, password } = await ctx.request.validateUsing(resetPasswordValidator)
    await resetPassword(requestMeta(ctx), token, password)
    return { passwordReset: true }
  }
}
