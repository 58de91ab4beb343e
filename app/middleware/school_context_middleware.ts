import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import School from '#models/tenancy/school'
import Membership from '#models/tenancy/membership'
import { ProblemException } from '#exceptions/problem_exception'
import { openTenantTransaction, readsOnly } from '#services/platform/tenant_context'
import { PERMISSIONS, effectivePermissions } from '#services/tenancy/permissions'
import { rolePermissionOverride } from '#services/tenancy/role_permission_service'
import { rawRow, readSchoolContext, writeSchoolContext } from '#services/platform/cache_service'
import { recordActiveUser } from '#services/profiles/analytics_service'
import type { Permission } from '#services/tenancy/permissions'
import { withholdAdminPermissions } from '#services/identity/admin_mfa'
import { authState } from '#auth/request_auth_state'
import { DateTime } from 'luxon'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/*
| Daily/monthly active users are HyperLogLog adds: repeating one for the same user, school and
| day changes nothing, so this process sends it once per day and pair (bounded memory).
*/
const ACTIVE_SEEN_MAX = 50_000
let activeDay = ''
const activeSeen = new Set<string>()
function recordActiveOnce(schoolId: string, userId: string) {
  const now = DateTime.utc()
  const day = now.toISODate()!
  if (day !== activeDay || activeSeen.size >= ACTIVE_SEEN_MAX) {
    activeDay = day
    activeSeen.clear()
  }
  const key = `${schoolId}:${userId}`
  if (activeSeen.has(key)) return
  activeSeen.add(key)
  return recordActiveUser(schoolId, userId, now)
}

/**
 * Resolves `:schoolId` against the caller's active membership and opens the
 * request's RLS transaction. No membership -> 404, exactly like a school that
 * does not exist, so the existence of other schools never leaks. Admin
 * permissions are withheld while a required second factor is missing.
 */
export default class SchoolContextMiddleware {
  async handle(ctx: HttpContext, next: NextFn) {
    const user = ctx.auth.use('api').getUserOrFail()
    const schoolId = String(ctx.params.schoolId ?? '')
    if (!UUID.test(schoolId)) throw ProblemException.notFound()

    // Cached membership/permission resolution (Redis, read with the token when it was cached);
    // the RLS transaction is still opened (read-only for GET and HEAD: its COMMIT is not waited for).
    const state = authState(ctx)
    const prefetched =
      state && state.userId === user.id && state.school?.id === schoolId ? state.school : null
    const cached = prefetched
      ? { entry: prefetched.entry, gen: prefetched.gen as string | null }
      : await readSchoolContext(schoolId, user.id)
    const trx = await openTenantTransaction({
      schoolId,
      userId: user.id,
      readOnly: readsOnly(ctx.request.method()),
    })
    try {
      if (cached.entry) {
        const { entry } = cached
        const granted = new Set(entry.permissions as Permission[])
        // Lucid models cost ~7% of a school route's CPU to build (bench auth profile): built when read
        let school: School | undefined
        let membership: Membership | null | undefined
        ctx.tenant = {
          // the stored ids (the path's may differ in case)
          schoolId: String(entry.school.id),
          membershipId: entry.membership ? String(entry.membership.id) : null,
          get school() {
            return (school ??= School.$createFromAdapterResult(entry.school)!)
          },
          get membership() {
            if (membership === undefined) {
              membership = entry.membership
                ? Membership.$createFromAdapterResult(entry.membership)!
                : null
            }
            return membership
          },
          ...(await withholdAdminPermissions(
            user,
            { mfaRequiredForAdmins: entry.school.mfa_required_for_admins === true },
            granted,
            state
          )),
          trx,
        }
        await recordActiveOnce(schoolId, user.id)
        await next()
        if (!trx.isCompleted) await trx.commit()
        return
      }
      const school = await School.query({ client: trx }).where('id', schoolId).first()
      const membership = school
        ? await Membership.query({ client: trx })
            .where('school_id', schoolId)
            .where('user_id', user.id)
            .where('status', 'active')
            .first()
        : null

      if (!school || (!membership && !user.isPlatformAdmin)) throw ProblemException.notFound()
      if (school.status !== 'active' && !user.isPlatformAdmin) throw ProblemException.notFound()

      const permissions = membership
        ? effectivePermissions(
            membership.role,
            await rolePermissionOverride(trx, schoolId, membership.role),
            membership.extraPermissions
          )
        : new Set(PERMISSIONS)

      ctx.tenant = {
        schoolId: school.id,
        membershipId: membership?.id ?? null,
        school,
        membership,
        ...(await withholdAdminPermissions(user, school, permissions, state)),
        trx,
      }
      if (cached.gen !== null) {
        await writeSchoolContext(schoolId, user.id, {
          gen: cached.gen,
          school: rawRow(school),
          membership: membership ? rawRow(membership) : null,
          permissions: [...permissions],
        })
      }
      await recordActiveOnce(schoolId, user.id)
      await next()
      // A handler may commit early (to start a workflow that reads its rows).
      if (!trx.isCompleted) await trx.commit()
    } catch (error) {
      if (!trx.isCompleted) await trx.rollback()
      throw error
    }
  }
}
