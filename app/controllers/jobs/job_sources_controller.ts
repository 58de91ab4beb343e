import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { withTenant } from '#services/platform/tenant_context'
import { recordAudit } from '#services/platform/audit_service'
import JobSourceTransformer from '#transformers/jobs/job_source_transformer'
import {
  type Owner,
  createSource,
  findManaged,
  findVisible,
  listRuns,
  listSources,
  setPaused,
  triggerRun,
  updateSource,
} from '#services/jobs/job_source_service'
import {
  createJobSourceValidator,
  listJobSourcesValidator,
  updateJobSourceValidator,
} from '#validators/jobs/jobs'

/**
 * Job sources, for a school (`/v1/schools/:schoolId/job-sources`, `jobs.sources.manage`, its own
 * sources) or for the platform (`/v1/platform/job-sources`, platform admin, global sources).
 */
export default class JobSourcesController {
  /** Authorizes and runs `work` on the right RLS-scoped client. */
  async #scoped<T>(
    ctx: HttpContext,
    work: (client: QueryClientContract, owner: Owner) => Promise<T>
  ) {
    if (ctx.params.schoolId) {
      await ctx.bouncer.authorize('schoolPermission', ctx.tenant, 'jobs.sources.manage')
      return work(ctx.tenant.trx, { schoolId: ctx.tenant.schoolId })
    }
    await ctx.bouncer.authorize('platformAdmin')
    return withTenant({ platformScope: true, userId: ctx.auth.user!.id }, (trx) =>
      work(trx, { schoolId: null })
    )
  }

  async index(ctx: HttpContext) {
    const query = await ctx.request.validateUsing(listJobSourcesValidator, {
      data: ctx.request.qs(),
    })
    return this.#scoped(ctx, (client, owner) => listSources(client, owner, query))
  }

  async store(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createJobSourceValidator)
    const source = await this.#scoped(ctx, async (client, owner) => {
      const row = await createSource(client, owner, input)
      await recordAudit(
        requestMeta(ctx),
        {
          action: 'job_source.created',
          schoolId: owner.schoolId,
          targetType: 'job_source',
          targetId: row.id,
          changes: {
            name: input.name,
            kind: input.kind,
            url: input.url,
            boardToken: input.boardToken,
          },
        },
        client
      )
      return JobSourceTransformer.item(row)
    })
    return ctx.response.created(source)
  }

  async update(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(updateJobSourceValidator)
    return this.#scoped(ctx, async (client, owner) => {
      const row = await updateSource(client, await findManaged(client, owner, ctx.params.id), input)
      await recordAudit(
        requestMeta(ctx),
        {
          action: 'job_source.updated',
          schoolId: owner.schoolId,
          targetType: 'job_source',
          targetId: row.id,
          changes: input,
        },
        client
      )
      return JobSourceTransformer.item(row)
    })
  }

  async run(ctx: HttpContext) {
    const result = await this.#scoped(ctx, async (client, owner) => {
      const row = await findManaged(client, owner, ctx.params.id)
      const { scheduleId } = await triggerRun(row)
      await recordAudit(
        requestMeta(ctx),
        {
          action: 'job_source.run',
          schoolId: owner.schoolId,
          targetType: 'job_source',
          targetId: row.id,
          changes: { scheduleId },
        },
        client
      )
      return { sourceId: row.id as string, scheduleId }
    })
    return ctx.response.accepted(result)
  }

  async pause(ctx: HttpContext) {
    return this.#setPaused(ctx, true)
  }

  async resume(ctx: HttpContext) {
    return this.#setPaused(ctx, false)
  }

  async #setPaused(ctx: HttpContext, paused: boolean) {
    return this.#scoped(ctx, async (client, owner) => {
      const row = await setPaused(client, await findManaged(client, owner, ctx.params.id), paused)
      await recordAudit(
        requestMeta(ctx),
        {
          action: paused ? 'job_source.paused' : 'job_source.resumed',
          schoolId: owner.schoolId,
          targetType: 'job_source',
          targetId: row.id,
        },
        client
      )
      return JobSourceTransformer.item(row)
    })
  }

  async runs(ctx: HttpContext) {
    const query = await ctx.request.validateUsing(listJobSourcesValidator, {
      data: ctx.request.qs(),
    })
    return this.#scoped(ctx, async (client, owner) => {
      const row = await findVisible(client, owner, ctx.params.id)
      return listRuns(client, row.id, query)
    })
  }
}
