import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { invalidateSchoolContext } from '#services/platform/cache_service'
import { createSchool, listSchools, updateSchool } from '#services/tenancy/school_service'
import {
  createSchoolValidator,
  listQueryValidator,
  updateSchoolValidator,
} from '#validators/tenancy/tenancy'
import { recordAudit } from '#services/platform/audit_service'
import { ProblemException } from '#exceptions/problem_exception'
import SchoolTransformer from '#transformers/tenancy/school_transformer'

/** Platform administration of schools (global table). */
export default class SchoolsController {
  async index({ request, bouncer }: HttpContext) {
    await bouncer.authorize('platformAdmin')
    const query = await request.validateUsing(listQueryValidator, { data: request.qs() })
    const page = await listSchools(query)
    return SchoolTransformer.page(page)
  }

  async store(ctx: HttpContext) {
    await ctx.bouncer.authorize('platformAdmin')
    const input = await ctx.request.validateUsing(createSchoolValidator)
    const school = await createSchool(input)
    await recordAudit(requestMeta(ctx), {
      action: 'school.created',
      schoolId: null,
      targetType: 'school',
      targetId: school.id,
      changes: input,
    })
    return ctx.response.created(SchoolTransformer.item(school))
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.authorize('platformAdmin')
    const input = await ctx.request.validateUsing(updateSchoolValidator)
    const school = await updateSchool(ctx.params.id, input)
    if (!school) throw ProblemException.notFound()
    await invalidateSchoolContext(school.id)
    await recordAudit(requestMeta(ctx), {
      action: 'school.updated',
      targetType: 'school',
      targetId: school.id,
      changes: input,
    })
    return SchoolTransformer.item(school)
  }
}
