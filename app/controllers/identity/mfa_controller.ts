import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { ProblemException } from '#exceptions/problem_exception'
import {
  mfaChallengeValidator,
  recoveryCodesValidator,
  totpConfirmValidator,
  totpDisableValidator,
} from '#validators/identity/account_security'
import {
  confirmTotp,
  disableTotp,
  enrollTotp,
  regenerateRecoveryCodes,
} from '#services/identity/mfa_service'
import { finishEnrollment, passMfaChallenge, pendingEnrollment } from '#services/identity/sign_in'
import { requireRecentAuthentication } from '#services/identity/step_up_service'

/**
 * The enroll/confirm endpoints accept either an access token or the enrollment
 * token a sign-in returned when a school requires MFA (`pwe_...`): that token
 * opens nothing else.
 */
async function enrollee(ctx: HttpContext) {
  const header = ctx.request.header('authorization') ?? ''
  const match = /^Bearer\s+(pwe_\S+)$/i.exec(header)
  const unauthorized = () => {
    ctx.response.header('WWW-Authenticate', 'Bearer')
    return ProblemException.unauthorized('A valid access or enrollment token is required.')
  }
  if (match) {
    const pending = await pendingEnrollment(match[1])
    if (!pending) throw unauthorized()
    return pending
  }
  const user = await ctx.auth.authenticateUsing(['api']).catch(() => null)
  if (!user || user.status !== 'active') throw unauthorized()
  return { user, enrollment: null }
}

export default class MfaController {
  async enroll(ctx: HttpContext) {
    const { user, enrollment } = await enrollee(ctx)
    // Adding a factor to a live session is a sensitive change; forced enrollment is a sign-in.
    if (!enrollment) await requireRecentAuthentication(user)
    return enrollTotp(requestMeta(ctx), user)
  }

  async confirm(ctx: HttpContext) {
    const { user, enrollment } = await enrollee(ctx)
    if (!enrollment) await requireRecentAuthentication(user)
    const { code } = await ctx.request.validateUsing(totpConfirmValidator)
    const recoveryCodes = await confirmTotp(requestMeta(ctx), user, code)
    if (!enrollment) return { confirmed: true, recoveryCodes }
    /* Forced enrollment: the factor is confirmed, so the sign-in completes here. */
    const session = await finishEnrollment(requestMeta(ctx), user, enrollment)
    return { confirmed: true, recoveryCodes, ...session }
  }

  async disable(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await requireRecentAuthentication(user)
    const proof = await ctx.request.validateUsing(totpDisableValidator)
    await disableTotp(requestMeta(ctx), user, proof)
    return ctx.response.noContent()
  }

  async recoveryCodes(ctx: HttpContext) {
    const user = ctx.auth.use('api').getUserOrFail()
    await requireRecentAuthentication(user)
    const { code } = await ctx.request.validateUsing(recoveryCodesValidator)
    return { recoveryCodes: await regenerateRecoveryCodes(requestMeta(ctx), user, code) }
  }

  async challenge(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(mfaChallengeValidator)
    return passMfaChallenge(requestMeta(ctx), input)
  }
}
