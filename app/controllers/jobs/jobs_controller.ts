import type { HttpContext } from '@adonisjs/core/http'
import app from '@adonisjs/core/services/app'
import { ProblemException } from '#exceptions/problem_exception'
import { searchJobsValidator, suggestJobsValidator } from '#validators/jobs/jobs'
import { recordJobSearch } from '#services/profiles/analytics_service'
import { findVisibleJob } from '#services/jobs/job_service'
import JobTransformer from '#transformers/jobs/job_transformer'

/** Job search for a school's members: global jobs plus the school's own sources' jobs. */
export default class JobsController {
  async search(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(searchJobsValidator, { data: ctx.request.qs() })
    const index = await app.container.make('search.jobs')
    const result = await index.search(
      {
        schoolId: ctx.tenant.schoolId,
        q: input.q,
        location: input.location,
        remote: input.remote,
        employmentType: input.employmentType?.split(','),
        postedWithinDays: input.postedWithinDays,
        minSalary: input.minSalary,
        sourceId: input.sourceId,
        sort: input.sort,
        cursor: input.cursor,
        limit: input.limit,
      },
      { client: ctx.tenant.trx }
    )
    await recordJobSearch(ctx.tenant.schoolId)
    return { ...result, engine: index.engine }
  }

  async suggest(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(suggestJobsValidator, { data: ctx.request.qs() })
    const index = await app.container.make('search.jobs')
    const titles = await index.suggest(ctx.tenant.schoolId, input.prefix, input.limit ?? 10, {
      client: ctx.tenant.trx,
    })
    return { data: titles }
  }

  async show(ctx: HttpContext) {
    const job = await findVisibleJob(ctx.tenant.trx, ctx.tenant.schoolId, ctx.params.id)
    if (!job) throw ProblemException.notFound()
    return JobTransformer.item(job)
  }
}
