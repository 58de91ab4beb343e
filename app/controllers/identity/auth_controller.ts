import type { HttpContext } from '@adonisjs/core/http'
import { deviceProof, requestMeta } from '#middleware/request_meta'
import {
  loginValidator,
  refreshValidator,
  registerValidator,
  verifyEmailValidator,
} from '#validators/identity/auth'
import { register, verifyEmail } from '#services/identity/account_service'
import { refreshSession, signInWithPassword } from '#services/identity/sign_in'
import { currentFamilyId, revokeFamilies } from '#services/identity/session_service'
import { recordAudit } from '#services/platform/audit_service'
import { ProblemException } from '#exceptions/problem_exception'

const ACCEPTED = { message: 'If the address can be used, we sent an e-mail with the next step.' }

export default class AuthController {
  async register(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(registerValidator)
    await register(requestMeta(ctx), input)
    return ctx.response.accepted(ACCEPTED)
  }

  async verifyEmail(ctx: HttpContext) {
    const { token } = await ctx.request.validateUsing(verifyEmailValidator)
    await verifyEmail(requestMeta(ctx), token)
    return { verified: true }
  }

  async login(ctx: HttpContext) {
    const { email, password } = await ctx.request.validateUsing(loginValidator)
    return signInWithPassword(requestMeta(ctx), deviceProof(ctx), email, password)
  }

  async refresh(ctx: HttpContext) {
    const { refreshToken } = await ctx.request.validateUsing(refreshValidator)
    const pair = await refreshSession(requestMeta(ctx), refreshToken)
    if (!pair)
      throw ProblemException.unauthorized('The refresh token is invalid, expired or revoked.')
    return pair
  }

  async logout(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    const familyId = currentFamilyId(user)
    if (familyId) await revokeFamilies({ familyId }, 'logout')
    await recordAudit(requestMeta(ctx), {
      action: 'auth.logout',
      targetType: 'session',
      targetId: familyId,
    })
    return ctx.response.noContent()
  }

  async logoutAll(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await revokeFamilies({ userId: user.id }, 'logout_all')
    await recordAudit(requestMeta(ctx), {
      action: 'auth.logout_all',
      targetType: 'user',
      targetId: user.id,
    })
    return ctx.response.noContent()
  }
}
