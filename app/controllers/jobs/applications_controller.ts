import type { HttpContext } from '@adonisjs/core/http'
import { recordTenantAudit } from '#middleware/request_meta'
import { ProblemException } from '#exceptions/problem_exception'
import { recordApplicationStatusChange } from '#services/profiles/analytics_service'
import {
  createApplication,
  deleteApplication,
  findOwnApplication,
  listApplications,
  timeline,
  updateApplication,
} from '#services/jobs/application_service'
import {
  createApplicationValidator,
  listMyApplicationsValidator,
  listSchoolApplicationsValidator,
  updateApplicationValidator,
} from '#validators/jobs/jobs'
import ApplicationTransformer from '#transformers/jobs/application_transformer'

/** A learner's own applications (`/me/applications`) and the staff view (`/applications`). */
export default class ApplicationsController {
  #membershipId(ctx: HttpContext) {
    const { membershipId } = ctx.tenant
    if (!membershipId)
      throw ProblemException.forbidden('Only members of this school track applications.')
    return membershipId
  }

  async index(ctx: HttpContext) {
    const membershipId = this.#membershipId(ctx)
    const query = await ctx.request.validateUsing(listMyApplicationsValidator, {
      data: ctx.request.qs(),
    })
    return listApplications(ctx.tenant.trx, ctx.tenant.schoolId, { ...query, membershipId })
  }

  async store(ctx: HttpContext) {
    const membershipId = this.#membershipId(ctx)
    const input = await ctx.request.validateUsing(createApplicationValidator)
    const { tenant } = ctx
    const status = input.status ?? 'saved'
    const row = await createApplication(tenant.trx, {
      schoolId: tenant.schoolId,
      membershipId,
      userId: ctx.auth.user!.id,
      jobId: input.jobId,
      status,
      notes: input.notes,
    })
    await recordTenantAudit(ctx, {
      action: 'application.created',
      targetType: 'application',
      targetId: row.id,
      changes: { jobId: input.jobId, status },
    })
    await recordApplicationStatusChange(tenant.schoolId, null, status)
    const created = await findOwnApplication(tenant.trx, tenant.schoolId, membershipId, row.id)
    return ctx.response.created(
      ApplicationTransformer.item(created, await timeline(tenant.trx, tenant.schoolId, row.id))
    )
  }

  async show(ctx: HttpContext) {
    const membershipId = this.#membershipId(ctx)
    const { tenant } = ctx
    const row = await findOwnApplication(tenant.trx, tenant.schoolId, membershipId, ctx.params.id)
    return ApplicationTransformer.item(row, await timeline(tenant.trx, tenant.schoolId, row.id))
  }

  async update(ctx: HttpContext) {
    const membershipId = this.#membershipId(ctx)
    const input = await ctx.request.validateUsing(updateApplicationValidator)
    const { tenant } = ctx
    const current = await findOwnApplication(
      tenant.trx,
      tenant.schoolId,
      membershipId,
      ctx.params.id
    )
    const change = await updateApplication(tenant.trx, current, input, ctx.auth.user!.id)
    await recordTenantAudit(ctx, {
      action: 'application.updated',
      targetType: 'application',
      targetId: current.id,
      changes: { status: input.status, notes: input.notes !== undefined },
    })
    if (change.statusChanged)
      await recordApplicationStatusChange(tenant.schoolId, change.from, change.to)
    const row = await findOwnApplication(tenant.trx, tenant.schoolId, membershipId, current.id)
    return ApplicationTransformer.item(row, await timeline(tenant.trx, tenant.schoolId, row.id))
  }

  async destroy(ctx: HttpContext) {
    const membershipId = this.#membershipId(ctx)
    const { tenant } = ctx
    const current = await findOwnApplication(
      tenant.trx,
      tenant.schoolId,
      membershipId,
      ctx.params.id
    )
    await deleteApplication(tenant.trx, tenant.schoolId, current.id)
    await recordTenantAudit(ctx, {
      action: 'application.deleted',
      targetType: 'application',
      targetId: current.id,
    })
    return ctx.response.noContent()
  }

  /** Staff: the school's applications, filtered by status, job or member. */
  async schoolIndex(ctx: HttpContext) {
    await ctx.bouncer.authorize('schoolPermission', ctx.tenant, 'applications.read_all')
    const query = await ctx.request.validateUsing(listSchoolApplicationsValidator, {
      data: ctx.request.qs(),
    })
    return listApplications(ctx.tenant.trx, ctx.tenant.schoolId, query)
  }
}
