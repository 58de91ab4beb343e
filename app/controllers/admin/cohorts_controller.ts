import { DateTime } from 'luxon'
import { requestMeta } from '#middleware/request_meta'
import type { HttpContext } from '@adonisjs/core/http'
import Cohort from '#models/cohort'
import {
  addCohortMemberValidator,
  createCohortValidator,
  listQueryValidator,
  mentorAssignmentValidator,
  updateCohortValidator,
} from '#validators/tenancy'
import { paginate } from '#services/pagination'
import { recordAudit } from '#services/audit_service'
import { ProblemException } from '#exceptions/problem_exception'

/** Cohorts, their members and mentor assignments. Every id is checked against the school by RLS and composite keys. */
export default class CohortsController {
  async index({ request, bouncer, tenant }: HttpContext) {
    await bouncer.authorize('schoolPermission', tenant, 'cohorts.manage')
    const query = await request.validateUsing(listQueryValidator, { data: request.qs() })
    return paginate(
      Cohort.query({ client: tenant.trx }).where('school_id', tenant.school.id),
      query
    )
  }

  async store(ctx: HttpContext) {
    const { bouncer, tenant } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'cohorts.manage')
    const input = await ctx.request.validateUsing(createCohortValidator)
    const cohort = await Cohort.create(
      {
        schoolId: tenant.school.id,
        name: input.name,
        term: input.term ?? null,
        startsOn: input.startsOn ? DateTime.fromJSDate(input.startsOn) : null,
        endsOn: input.endsOn ? DateTime.fromJSDate(input.endsOn) : null,
      },
      { client: tenant.trx }
    )
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'cohort.created',
        schoolId: tenant.school.id,
        targetType: 'cohort',
        targetId: cohort.id,
        changes: { name: input.name },
      },
      tenant.trx
    )
    return ctx.response.created(cohort)
  }

  async update(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'cohorts.manage')
    const input = await ctx.request.validateUsing(updateCohortValidator)
    const cohort = await this.find(ctx, params.cohortId)
    if (input.name !== undefined) cohort.name = input.name
    if (input.term !== undefined) cohort.term = input.term
    if (input.archived !== undefined) cohort.archivedAt = input.archived ? DateTime.now() : null
    await cohort.useTransaction(tenant.trx).save()
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'cohort.updated',
        schoolId: tenant.school.id,
        targetType: 'cohort',
        targetId: cohort.id,
        changes: input,
      },
      tenant.trx
    )
    return cohort
  }

  async addMember(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'cohorts.manage')
    const input = await ctx.request.validateUsing(addCohortMemberValidator)
    const cohort = await this.find(ctx, params.cohortId)
    const [row] = await tenant.trx
      .table('cohort_members')
      .insert({
        school_id: tenant.school.id,
        cohort_id: cohort.id,
        membership_id: input.membershipId,
        cohort_role: input.cohortRole,
      })
      .returning(['id', 'cohort_id', 'membership_id', 'cohort_role'])
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'cohort.member_added',
        schoolId: tenant.school.id,
        targetType: 'cohort',
        targetId: cohort.id,
        changes: input,
      },
      tenant.trx
    )
    return ctx.response.created({
      id: row.id,
      cohortId: row.cohort_id,
      membershipId: row.membership_id,
      cohortRole: row.cohort_role,
    })
  }

  async removeMember(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'cohorts.manage')
    const deleted = await tenant.trx
      .from('cohort_members')
      .where({
        school_id: tenant.school.id,
        cohort_id: params.cohortId,
        membership_id: params.membershipId,
      })
      .delete()
    if (!Number(deleted)) throw ProblemException.notFound()
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'cohort.member_removed',
        schoolId: tenant.school.id,
        targetType: 'cohort',
        targetId: params.cohortId,
        changes: { membershipId: params.membershipId },
      },
      tenant.trx
    )
    return ctx.response.noContent()
  }

  async assignMentor(ctx: HttpContext) {
    const { bouncer, tenant, params } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'cohorts.manage')
    const input = await ctx.request.validateUsing(mentorAssignmentValidator)
    const cohort = await this.find(ctx, params.cohortId)
    const roles = await tenant.trx
      .from('cohort_members')
      .where({ school_id: tenant.school.id, cohort_id: cohort.id })
      .whereIn('membership_id', [input.mentorMembershipId, input.learnerMembershipId])
      .select('membership_id', 'cohort_role')
    const roleOf = new Map(roles.map((row) => [row.membership_id, row.cohort_role]))
    if (
      roleOf.get(input.mentorMembershipId) !== 'mentor' ||
      roleOf.get(input.learnerMembershipId) !== 'learner'
    ) {
      throw new ProblemException(
        422,
        'invalid-reference',
        'Unprocessable Content',
        'Both people must be in this cohort, as mentor and learner.'
      )
    }
    const [row] = await tenant.trx
      .table('mentor_assignments')
      .insert({
        school_id: tenant.school.id,
        cohort_id: cohort.id,
        mentor_membership_id: input.mentorMembershipId,
        learner_membership_id: input.learnerMembershipId,
      })
      .returning('id')
    await recordAudit(
      requestMeta(ctx),
      {
        action: 'cohort.mentor_assigned',
        schoolId: tenant.school.id,
        targetType: 'cohort',
        targetId: cohort.id,
        changes: input,
      },
      tenant.trx
    )
    return ctx.response.created({ id: row.id, cohortId: cohort.id, ...input })
  }

  private async find({ tenant }: HttpContext, cohortId: string) {
    const cohort = await Cohort.query({ client: tenant.trx })
      .where('school_id', tenant.school.id)
      .where('id', cohortId)
      .first()
    if (!cohort) throw ProblemException.notFound()
    return cohort
  }
}
