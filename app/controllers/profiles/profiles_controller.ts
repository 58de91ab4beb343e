import type { HttpContext } from '@adonisjs/core/http'
import { requestMeta } from '#middleware/request_meta'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit } from '#services/platform/audit_service'
import * as profiles from '#services/profiles/profile_service'
import { computeProfileCompletion } from '#services/profiles/profile_completion'
import { signalProfileChanged } from '#services/profiles/profile_events'
import { recordProfileCompletion } from '#services/profiles/analytics_service'
import {
  createEducationValidator,
  createExperienceValidator,
  createSkillValidator,
  reorderValidator,
  updateEducationValidator,
  updateExperienceValidator,
  updateProfileValidator,
  updateSkillValidator,
} from '#validators/profiles/profiles'
import ProfileTransformer from '#transformers/profiles/profile_transformer'
import ProfileEducationTransformer from '#transformers/profiles/profile_education_transformer'
import ProfileExperienceTransformer from '#transformers/profiles/profile_experience_transformer'
import ProfileSkillTransformer from '#transformers/profiles/profile_skill_transformer'

type Section = 'education' | 'experience'

/** The caller's own profile in the school (one per membership) and staff/mentor reads. */
export default class ProfilesController {
  #membershipId({ tenant }: HttpContext) {
    if (!tenant.membershipId) {
      throw ProblemException.notFound('You have no profile in this school.')
    }
    return tenant.membershipId
  }

  /** After a change: audit, refresh the completion aggregate, signal the workflow after commit. */
  async #changed(
    ctx: HttpContext,
    action: string,
    targetId: string,
    changes: Record<string, unknown> = {}
  ) {
    const { tenant } = ctx
    const membershipId = this.#membershipId(ctx)
    await recordAudit(
      requestMeta(ctx),
      { action, schoolId: tenant.schoolId, targetType: 'profile', targetId, changes },
      tenant.trx
    )
    const completion = await computeProfileCompletion(tenant.trx, tenant.schoolId, membershipId)
    await recordProfileCompletion(tenant.schoolId, membershipId, completion.score)
    const userId = ctx.auth.use('api').getUserOrFail().id
    await signalProfileChanged(tenant.trx, tenant.schoolId, userId)
  }

  async show(ctx: HttpContext) {
    return ProfileTransformer.item(
      await profiles.readProfile(ctx.tenant.trx, ctx.tenant.schoolId, this.#membershipId(ctx))
    )
  }

  async update(ctx: HttpContext) {
    const membershipId = this.#membershipId(ctx)
    const input = await ctx.request.validateUsing(updateProfileValidator)
    await profiles.updateProfile(ctx.tenant.trx, ctx.tenant.schoolId, membershipId, input as any)
    await this.#changed(ctx, 'profile.updated', membershipId, { fields: Object.keys(input) })
    return ProfileTransformer.item(
      await profiles.readProfile(ctx.tenant.trx, ctx.tenant.schoolId, membershipId)
    )
  }

  async completion(ctx: HttpContext) {
    return computeProfileCompletion(ctx.tenant.trx, ctx.tenant.schoolId, this.#membershipId(ctx))
  }

  async showLearner({ tenant, params }: HttpContext) {
    const membershipId = await profiles.readableLearner(
      tenant.trx,
      tenant,
      String(params.membershipId),
      'profile'
    )
    return ProfileTransformer.item(
      await profiles.readProfile(tenant.trx, tenant.schoolId, membershipId)
    )
  }

  async skills({ request, tenant }: HttpContext) {
    const search =
      typeof request.qs().search === 'string' ? request.qs().search.slice(0, 100) : undefined
    return { data: await profiles.listSkills(tenant.trx, search) }
  }

  #section(ctx: HttpContext): Section {
    return ctx.route?.pattern.includes('/experience') ? 'experience' : 'education'
  }

  /** The leading arguments of the profile service's entry calls: the caller's own list of `kind`. */
  #entryScope(ctx: HttpContext, kind: Section) {
    return [ctx.tenant.trx, kind, ctx.tenant.schoolId, this.#membershipId(ctx)] as const
  }

  #entry(kind: Section, row: unknown) {
    return kind === 'education'
      ? ProfileEducationTransformer.item(row)
      : ProfileExperienceTransformer.item(row)
  }

  async createEntry(ctx: HttpContext) {
    const kind = this.#section(ctx)
    const input =
      kind === 'education'
        ? await ctx.request.validateUsing(createEducationValidator)
        : await ctx.request.validateUsing(createExperienceValidator)
    const entry = await profiles.createEntry(...this.#entryScope(ctx, kind), input)
    await this.#changed(ctx, `profile.${kind}.created`, entry.id)
    return ctx.response.created(this.#entry(kind, entry))
  }

  async updateEntry(ctx: HttpContext) {
    const kind = this.#section(ctx)
    const input =
      kind === 'education'
        ? await ctx.request.validateUsing(updateEducationValidator)
        : await ctx.request.validateUsing(updateExperienceValidator)
    const entry = await profiles.updateEntry(
      ...this.#entryScope(ctx, kind),
      String(ctx.params.id),
      input
    )
    await this.#changed(ctx, `profile.${kind}.updated`, entry.id, { fields: Object.keys(input) })
    return this.#entry(kind, entry)
  }

  async destroyEntry(ctx: HttpContext) {
    const kind: profiles.SectionKind = ctx.route?.pattern.includes('/skills')
      ? 'skills'
      : this.#section(ctx)
    const id = String(ctx.params.id)
    await profiles.deleteEntry(
      ctx.tenant.trx,
      kind,
      ctx.tenant.schoolId,
      this.#membershipId(ctx),
      id
    )
    await this.#changed(ctx, `profile.${kind}.deleted`, id)
    return ctx.response.noContent()
  }

  async reorder(ctx: HttpContext) {
    const kind: profiles.SectionKind = ctx.route?.pattern.includes('/skills')
      ? 'skills'
      : this.#section(ctx)
    const { ids } = await ctx.request.validateUsing(reorderValidator)
    await profiles.reorder(ctx.tenant.trx, kind, ctx.tenant.schoolId, this.#membershipId(ctx), ids)
    await this.#changed(ctx, `profile.${kind}.reordered`, this.#membershipId(ctx))
    return ctx.response.noContent()
  }

  async addSkill(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(createSkillValidator)
    const skill = await profiles.addSkill(
      ctx.tenant.trx,
      ctx.tenant.schoolId,
      this.#membershipId(ctx),
      input
    )
    await this.#changed(ctx, 'profile.skills.created', skill.id, { skill: skill.slug })
    return ctx.response.created(ProfileSkillTransformer.item(skill))
  }

  async updateSkill(ctx: HttpContext) {
    const { level } = await ctx.request.validateUsing(updateSkillValidator)
    const skill = await profiles.updateSkill(
      ctx.tenant.trx,
      ctx.tenant.schoolId,
      this.#membershipId(ctx),
      String(ctx.params.id),
      level
    )
    await this.#changed(ctx, 'profile.skills.updated', skill.id, { level })
    return ProfileSkillTransformer.item(skill)
  }
}
