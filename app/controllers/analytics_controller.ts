import type { HttpContext } from '@adonisjs/core/http'
import { ProblemException } from '#exceptions/problem_exception'
import { overview } from '#services/analytics_service'
import { analyticsQueryValidator } from '#validators/reports'

/** School (or cohort) aggregates kept in Redis. */
export default class AnalyticsController {
  async overview(ctx: HttpContext) {
    const { bouncer, tenant, request } = ctx
    await bouncer.authorize('schoolPermission', tenant, 'analytics.read')
    const query = await request.validateUsing(analyticsQueryValidator, { data: request.qs() })
    let members: string[] | null = null
    if (query.cohortId) {
      const cohort = await tenant.trx
        .from('cohorts')
        .where({ id: query.cohortId, school_id: tenant.school.id })
        .first()
      if (!cohort) throw ProblemException.notFound('No such cohort in this school.')
      const rows = await tenant.trx
        .from('cohort_members')
        .where({ school_id: tenant.school.id, cohort_id: query.cohortId, cohort_role: 'learner' })
        .select('membership_id')
      members = rows.map((row: { membership_id: string }) => row.membership_id)
    }
    const result = await overview(tenant.school.id, members)
    return { ...result, cohortId: query.cohortId ?? null }
  }
}
