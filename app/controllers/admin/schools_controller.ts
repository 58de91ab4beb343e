import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { invalidateSchoolContext } from '#services/cache_service'
import School from '#models/school'
import {
  createSchoolValidator,
  listQueryValidator,
  updateSchoolValidator,
} from '#validators/tenancy'
import { paginate } from '#services/pagination'
import { recordAudit } from '#services/audit_service'
import { ProblemException } from '#exceptions/problem_exception'

/** Platform administration of schools (global table). */
export default class SchoolsController {
  async index({ request, bouncer }: HttpContext) {
    await bouncer.authorize('platformAdmin')
    const query = await request.validateUsing(listQueryValidator, { data: request.qs() })
    return paginate(School.query(), query)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('platformAdmin')
    const input = await ctx.request.validateUsing(createSchoolValidator)
    const school = await School.create(input)
    await recordAudit(requestMeta(ctx), {
      action: 'school.created',
      schoolId: null,
      targetType: 'school',
      targetId: school.id,
      changes: input,
    })
    return ctx.response.created(school)
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('platformAdmin')
    const input = await ctx.request.validateUsing(updateSchoolValidator)
    const school = await School.find(ctx.params.id)
    if (!school) throw ProblemException.notFound()
    school.merge(input)
    await school.save()
    await invalidateSchoolContext(school.id)
    await recordAudit(requestMeta(ctx), {
      action: 'school.updated',
      targetType: 'school',
      targetId: school.id,
      changes: input,
    })
    return school
  }
}
