import type { AuthState } from '#services/identity/cache_tokens'
import { writeUserContext, type CachedMembership } from '#services/platform/cache_service'
import { hasConfirmedTotp } from '#services/identity/mfa_service'
import { withTenant } from '#services/platform/tenant_context'

/*
| The caller's memberships (active, in active schools, with each school's override of the
| role's permissions) and whether they have a confirmed second factor: from the request's
| Redis lookup when fresh, else from the database (then cached, see cache_service.ts).
*/
export interface CallerContext {
  memberships: CachedMembership[]
  totpConfirmed: boolean
}

/** A stamp that never matches: the next request re-reads and stamps with known generations. */
const UNKNOWN_GEN = '?'

async function fromDatabase(userId: string): Promise<CallerContext> {
  // RLS lets a user read their own memberships (app.user_id) across schools.
  const [rows, totpConfirmed] = await Promise.all([
    withTenant({ userId }, (trx) =>
      trx
        .from('memberships as m')
        .join('schools as s', 's.id', 'm.school_id')
        .leftJoin('role_permissions as rp', (join) => {
          join.on('rp.school_id', 'm.school_id').andOn('rp.role', 'm.role')
        })
        .where('m.user_id', userId)
        .where('m.status', 'active')
        .where('s.status', 'active')
        .select(
          's.id',
          's.slug',
          's.name',
          's.mfa_required_for_admins',
          'm.id as membership_id',
          'm.role',
          'm.extra_permissions',
          'rp.permissions'
        )
        .orderBy('s.name')
    ),
    hasConfirmedTotp(userId),
  ])
  return {
    totpConfirmed,
    memberships: rows.map((row) => ({
      schoolId: row.id,
      slug: row.slug,
      name: row.name,
      mfaRequiredForAdmins: Boolean(row.mfa_required_for_admins),
      membershipId: row.membership_id,
      role: row.role,
      extraPermissions: row.extra_permissions ?? [],
      rolePermissions: row.permissions ?? null,
    })),
  }
}

/** The caller's context; `state` is what the request's token lookup found (null: none). */
export async function callerContext(
  userId: string,
  state: AuthState | null
): Promise<CallerContext> {
  const mine = state?.userId === userId ? state : null
  if (mine?.userContext) return mine.userContext
  const context = await fromDatabase(userId)
  // Stamps read before the rows (the lookup): the user's generation, and each school's when
  // the previous entry listed it; a school it did not list gets a stamp that never matches.
  if (mine && mine.userGen !== null) {
    const entry = {
      gen: mine.userGen,
      schoolGens: context.memberships.map(
        (membership) => mine.knownSchoolGens.get(membership.schoolId) ?? UNKNOWN_GEN
      ),
      ...context,
    }
    await writeUserContext(userId, entry)
    mine.userContext = entry.schoolGens.includes(UNKNOWN_GEN) ? null : entry
  }
  return context
}

/**
 * Whether the user has a confirmed TOTP factor: the request's cached caller context when it
 * is theirs and fresh (a factor change invalidates it), else the database.
 */
export async function confirmedTotp(userId: string, state: AuthState | null) {
  if (state?.userId === userId && state.userGen !== null) {
    const context = await callerContext(userId, state)
    return context.totpConfirmed
  }
  return hasConfirmedTotp(userId)
}
