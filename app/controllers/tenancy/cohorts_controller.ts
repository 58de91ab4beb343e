import { requestMeta } from '#middleware/request_meta'
import type { HttpContext } from '@adonisjs/core/http'
import * as cohorts from '#services/tenancy/cohort_service'
import {
  addCohortMemberValidator,
  createCohortValidator,
  listQueryValidator,
  mentorAssignmentValidator,
  updateCohortValidator,
} from '#validators/tenancy/tenancy'
import { recordAudit } from '#services/platform/audit_service'
import { ProblemException } from '#exceptions/problem_exception'
import CohortMemberTransformer from '#transformers/tenancy/cohort_member_transformer'
import CohortTransformer from '#transformers/tenancy/cohort_transformer'
import MentorAssignmentTransformer from '#transformers/tenancy/mentor_assignment_transformer'

/** Cohorts, their members and mentor assignments. Every id is checked against the school by RLS and composite keys. */
export default class CohortsController {
  async index(ctx: HttpContext) {
    const { request, tenant } = ctx
    await this.authorize(ctx)
    const query = await request.validateUsing(listQueryValidator, { data: request.qs() })
    const page = await cohorts.listCohorts(tenant.trx, tenant.schoolId, query)
    return CohortTransformer.page(page)
  }

  async store(ctx: HttpContext) {
    const { tenant } = ctx
    await this.authorize(ctx)
    const input = await ctx.request.validateUsing(createCohortValidator)
    const cohort = await cohorts.createCohort(tenant.trx, tenant.schoolId, input)
    await this.audit(ctx, 'cohort.created', cohort.id, { name: input.name })
    return ctx.response.created(CohortTransformer.item(cohort))
  }

  async update(ctx: HttpContext) {
    const { tenant, params } = ctx
    await this.authorize(ctx)
    const input = await ctx.request.validateUsing(updateCohortValidator)
    const cohort = await cohorts.updateCohort(
      tenant.trx,
      await this.find(ctx, params.cohortId),
      input
    )
    await this.audit(ctx, 'cohort.updated', cohort.id, input)
    return CohortTransformer.item(cohort)
  }

  async addMember(ctx: HttpContext) {
    const { tenant, params } = ctx
    await this.authorize(ctx)
    const input = await ctx.request.validateUsing(addCohortMemberValidator)
    const cohort = await this.find(ctx, params.cohortId)
    const member = await cohorts.addCohortMember(tenant.trx, cohort, input)
    await this.audit(ctx, 'cohort.member_added', cohort.id, input)
    return ctx.response.created(CohortMemberTransformer.item(member))
  }

  async removeMember(ctx: HttpContext) {
    const { tenant, params } = ctx
    await this.authorize(ctx)
    const removed = await cohorts.removeCohortMember(
      tenant.trx,
      tenant.schoolId,
      params.cohortId,
      params.membershipId
    )
    if (!removed) throw ProblemException.notFound()
    await this.audit(ctx, 'cohort.member_removed', params.cohortId, {
      membershipId: params.membershipId,
    })
    return ctx.response.noContent()
  }

  async assignMentor(ctx: HttpContext) {
    const { tenant, params } = ctx
    await this.authorize(ctx)
    const input = await ctx.request.validateUsing(mentorAssignmentValidator)
    const cohort = await this.find(ctx, params.cohortId)
    const assignmentId = await cohorts.assignMentor(tenant.trx, cohort, input)
    if (!assignmentId) {
      throw new ProblemException(
        422,
        'invalid-reference',
        'Unprocessable Content',
        'Both people must be in this cohort, as mentor and learner.'
      )
    }
    await this.audit(ctx, 'cohort.mentor_assigned', cohort.id, input)
    return ctx.response.created(
      MentorAssignmentTransformer.item({ id: assignmentId, cohortId: cohort.id, ...input })
    )
  }

  /** Every cohort action needs `cohorts.manage` in the school. */
  private authorize({ bouncer, tenant }: HttpContext) {
    return bouncer.authorize('schoolPermission', tenant, 'cohorts.manage')
  }

  /** Every change to a cohort is audited against the cohort, in the request's transaction. */
  private audit(
    ctx: HttpContext,
    action: string,
    cohortId: string,
    changes: Record<string, unknown>
  ) {
    const { tenant } = ctx
    return recordAudit(
      requestMeta(ctx),
      { action, schoolId: tenant.schoolId, targetType: 'cohort', targetId: cohortId, changes },
      tenant.trx
    )
  }

  private async find({ tenant }: HttpContext, cohortId: string) {
    const cohort = await cohorts.findCohort(tenant.trx, tenant.schoolId, cohortId)
    if (!cohort) throw ProblemException.notFound()
    return cohort
  }
}
