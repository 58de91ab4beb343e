import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import {
  acceptInvitationValidator,
  createInvitationValidator,
  listInvitationsValidator,
} from '#validators/tenancy/invitations'
import * as invitations from '#services/tenancy/invitation_service'
import { invite, resend, revoke } from '#services/tenancy/invitation_admin_service'
import { accept, show } from '#services/tenancy/invitation_acceptance_service'
import { ProblemException } from '#exceptions/problem_exception'
import { PROBLEM_TYPE_BASE } from '#exceptions/handler'
import InvitationTransformer from '#transformers/tenancy/invitation_transformer'

const TOKEN = /^inv_[A-Za-z0-9_-]{43}$/

/** Staff invitations: admin side (school context) and invitee side (by token). */
export default class InvitationsController {
  async index({ request, bouncer, tenant }: HttpContext) {
    await bouncer.authorize('schoolPermission', tenant, 'members.invite')
    const query = await request.validateUsing(listInvitationsValidator, { data: request.qs() })
    const page = await invitations.listInvitations(tenant.trx, tenant.schoolId, query)
    return InvitationTransformer.page(page)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('schoolPermission', ctx.tenant, 'members.invite')
    const input = await ctx.request.validateUsing(createInvitationValidator)
    const result = await invite(requestMeta(ctx), ctx.tenant, input)
    if ('duplicate' in result) {
      return ctx.response
        .status(409)
        .header('content-type', 'application/problem+json')
        .send({
          type: `${PROBLEM_TYPE_BASE}conflict`,
          title: 'Conflict',
          status: 409,
          detail: 'This address already has a pending invitation.',
          instance: ctx.request.url(),
          requestId: ctx.request.id(),
          invitation: InvitationTransformer.item(result.duplicate),
        })
    }
    // 201: the workflow runs; 202: recorded, it starts as soon as Temporal answers.
    const created = InvitationTransformer.item(result.created)
    return result.started ? ctx.response.created(created) : ctx.response.accepted(created)
  }

  async revoke(ctx: HttpContext) {
    await ctx.bouncer.authorize('schoolPermission', ctx.tenant, 'members.invite')
    const row = await revoke(requestMeta(ctx), ctx.tenant, ctx.params.id)
    // The workflow ends the invitation; until then the caller sees it on its way out.
    return ctx.response.accepted(
      InvitationTransformer.item({ ...row, status: 'revoking' as const })
    )
  }

  async resend(ctx: HttpContext) {
    await ctx.bouncer.authorize('schoolPermission', ctx.tenant, 'members.invite')
    return resend(requestMeta(ctx), ctx.tenant, ctx.params.id)
  }

  async show({ params }: HttpContext) {
    if (!TOKEN.test(params.token)) throw ProblemException.notFound('The invitation does not exist.')
    return show(params.token)
  }

  async accept(ctx: HttpContext) {
    if (!TOKEN.test(ctx.params.token)) {
      throw ProblemException.notFound('The invitation does not exist.')
    }
    const input = await ctx.request.validateUsing(acceptInvitationValidator)
    // Optional: an existing confirmed account accepts only when signed in as it.
    let signedInUserId: string | null = null
    if (ctx.request.header('authorization')) {
      const user = await ctx.auth.authenticateUsing(['api']).catch(() => null)
      if (!user || user.status !== 'active') {
        ctx.response.header('WWW-Authenticate', 'Bearer')
        throw ProblemException.unauthorized('The access token is invalid, expired or revoked.')
      }
      signedInUserId = user.id
    }
    return ctx.response.created(
      await accept(requestMeta(ctx), ctx.params.token, input, signedInUserId)
    )
  }
}
