import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit, type AuditInput } from '#services/platform/audit_service'
import { withTenant } from '#services/platform/tenant_context'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import * as resumes from '#services/profiles/resume_service'
import { readableLearner } from '#services/profiles/profile_service'
import { createResumeValidator } from '#validators/profiles/resumes'
import ResumeTransformer from '#transformers/profiles/resume_transformer'

/** The caller's resumes in the school, and staff/mentor read access to a learner's. */
export default class ResumesController {
  #owner(ctx: HttpContext) {
    const { tenant } = ctx
    if (!tenant.membershipId) {
      throw ProblemException.notFound('You have no profile in this school.')
    }
    return {
      schoolId: tenant.schoolId,
      membershipId: tenant.membershipId,
      userId: ctx.auth.use('api').getUserOrFail().id,
    }
  }

  async #mine(ctx: HttpContext) {
    const owner = this.#owner(ctx)
    return resumes.findResume(
      ctx.tenant.trx,
      owner.schoolId,
      owner.membershipId,
      String(ctx.params.id)
    )
  }

  async index(ctx: HttpContext) {
    const owner = this.#owner(ctx)
    const rows = await resumes.list(ctx.tenant.trx, owner.schoolId, owner.membershipId)
    return { data: ResumeTransformer.collection(rows) }
  }

  async store(ctx: HttpContext) {
    const owner = this.#owner(ctx)
    const input = await ctx.request.validateUsing(createResumeValidator)
    const held = await resumes.countResumes(ctx.tenant.trx, owner.schoolId, owner.membershipId)
    if (held >= 20) throw ProblemException.conflict('At most 20 resumes per profile.')
    const { row, upload } = await resumes.createUpload(ctx.tenant.trx, owner, input)
    await this.#audit(ctx, row, 'resume.upload_started')
    return ctx.response.created({ resume: ResumeTransformer.item(row), upload })
  }

  async complete(ctx: HttpContext) {
    const row = await this.#mine(ctx)
    try {
      const ready = await resumes.completeUpload(ctx.tenant.trx, row)
      await this.#audit(ctx, row, 'resume.uploaded')
      return ResumeTransformer.item(ready)
    } catch (error) {
      // A refused file is deleted (object and row); keep that deletion, then refuse.
      if (error instanceof ProblemException && error.status === 422) {
        await this.#audit(ctx, row, 'resume.rejected', {
          outcome: 'denied',
          changes: { reason: error.detail },
        })
        await ctx.tenant.trx.commit()
      }
      throw error
    }
  }

  async download(ctx: HttpContext) {
    return resumes.downloadUrl(await this.#mine(ctx))
  }

  async makeDefault(ctx: HttpContext) {
    const row = await this.#mine(ctx)
    const updated = await resumes.setDefault(ctx.tenant.trx, row)
    await this.#audit(ctx, row, 'resume.default_set')
    return ResumeTransformer.item(updated)
  }

  async destroy(ctx: HttpContext) {
    const row = await this.#mine(ctx)
    await resumes.remove(ctx.tenant.trx, row)
    await this.#audit(ctx, row, 'resume.deleted')
    return ctx.response.noContent()
  }

  /** Audits an action on one resume, inside the tenant transaction (or the one given). */
  #audit(
    ctx: HttpContext,
    row: { id: string; school_id: string },
    action: string,
    extra: Pick<AuditInput, 'outcome' | 'changes'> = {},
    trx: TransactionClientContract = ctx.tenant.trx
  ) {
    return recordAudit(
      requestMeta(ctx),
      { action, schoolId: row.school_id, targetType: 'resume', targetId: row.id, ...extra },
      trx
    )
  }

  #learner({ tenant, params }: HttpContext) {
    return readableLearner(tenant.trx, tenant, String(params.membershipId), 'resumes')
  }

  async learnerIndex(ctx: HttpContext) {
    const membershipId = await this.#learner(ctx)
    const rows = await resumes.list(ctx.tenant.trx, ctx.tenant.schoolId, membershipId, true)
    return { data: ResumeTransformer.collection(rows) }
  }

  async learnerDownload(ctx: HttpContext) {
    const membershipId = await this.#learner(ctx)
    const row = await resumes.findResume(
      ctx.tenant.trx,
      ctx.tenant.schoolId,
      membershipId,
      String(ctx.params.id)
    )
    // A GET's tenant transaction is read-only: the audited read records its event in one of its own,
    // committed before the link is handed out.
    await withTenant(
      { schoolId: row.school_id, userId: ctx.auth.use('api').getUserOrFail().id },
      (trx) => this.#audit(ctx, row, 'resume.downloaded', {}, trx)
    )
    return resumes.downloadUrl(row)
  }
}
