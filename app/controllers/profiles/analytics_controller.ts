import type { HttpContext } from '@adonisjs/core/http'
import { ProblemException } from '#exceptions/problem_exception'
import { overview } from '#services/profiles/analytics_service'
import { cohortLearnerIds } from '#services/tenancy/cohort_service'
import { analyticsQueryValidator } from '#validators/profiles/reports'

/** School (or cohort) aggregates kept in Redis. */
export default class AnalyticsController {
  async overview(ctx: HttpContext) {
    const { bouncer, tenant, request } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'analytics.read')
    const query = await request.validateUsing(analyticsQueryValidator, { data: request.qs() })
    let members: string[] | null = null
    if (query.cohortId) {
      members = await cohortLearnerIds(tenant.trx, tenant.schoolId, query.cohortId)
      if (!members) throw ProblemException.notFound('No such cohort in this school.')
    }
    const result = await overview(tenant.schoolId, members)
    return { ...result, cohortId: query.cohortId ?? null }
  }
}
