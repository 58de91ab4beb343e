import type { HttpContext } from '@adonisjs/core/http'
import {
  loginValidator,
  refreshValidator,
  registerValidator,
  verifyEmailValidator,
} from '#validators/auth'
import { login, register, verifyEmail } from '#services/account_service'
import { currentFamilyId, revokeFamilies, rotateRefreshToken } from '#services/session_service'
import { recordAudit } from '#services/audit_service'
import { ProblemException } from '#exceptions/problem_exception'

const ACCEPTED = { message: 'If the address can be used, we sent an e-mail with the next step.' }

export default class AuthController {
  async register(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(registerValidator)
    await register(ctx, input)
    return ctx.response.accepted(ACCEPTED)
  }

  async verifyEmail(ctx: HttpContext) {
    const { token } = await ctx.request.validateUsing(verifyEmailValidator)
    await verifyEmail(ctx, token)
    return { verified: true }
  }

  async login(ctx: HttpContext) {
    const { email, password } = await ctx.request.validateUsing(loginValidator)
    try {
      return await login(ctx, email, password)
    } catch (error) {
      if ((error as { code?: string }).code === 'E_INVALID_CREDENTIALS') {
        await recordAudit(ctx, { action: 'auth.login', changes: { email }, outcome: 'failure' })
      }
      throw error
    }
  }

  async refresh(ctx: HttpContext) {
    const { refreshToken } = await ctx.request.validateUsing(refreshValidator)
    const pair = await rotateRefreshToken(ctx, refreshToken)
    if (!pair)
      throw ProblemException.unauthorized('The refresh token is invalid, expired or revoked.')
    return pair
  }

  async logout(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    const familyId = currentFamilyId(user)
    if (familyId) await revokeFamilies({ familyId }, 'logout')
    await recordAudit(ctx, { action: 'auth.logout', targetType: 'session', targetId: familyId })
    return ctx.response.noContent()
  }

  async logoutAll(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await revokeFamilies({ userId: user.id }, 'logout_all')
    await recordAudit(ctx, { action: 'auth.logout_all', targetType: 'user', targetId: user.id })
    return ctx.response.noContent()
  }
}
