import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import { recordAudit, type RequestMeta } from '#services/platform/audit_service'
import { reclaimUnprovenAccount } from '#services/identity/account_status_service'
import { assertAcceptablePassword } from '#services/identity/password_policy'
import { hashToken } from '#services/identity/token_hash'
import { withTenant } from '#services/platform/tenant_context'
import { dispatchIds, enqueue } from '#services/platform/workflow_outbox'
import { signalIntent } from '#workflows/client'
import { invitationAccepted } from '#workflows/staff_invitation'

import { joinSchool } from '#services/tenancy/membership_service'
import { COLUMNS, type InvitationRow } from '#services/tenancy/invitation_service'

/** The invitation behind a token, read in platform scope (the token is the credential). */
async function byToken(trx: TransactionClientContract, token: string) {
  return (await trx
    .from('invitations as i')
    .join('schools as s', 's.id', 'i.school_id')
    .where('i.token_hash', hashToken(token))
    .select(COLUMNS.map((c) => `i.${c}`))
    .select('s.name as school_name', 's.status as school_status')
    .first()) as (InvitationRow & { school_name: string; school_status: string }) | null
}

function usable(row: Awaited<ReturnType<typeof byToken>>) {
  if (!row) throw ProblemException.notFound('The invitation does not exist.')
  const expired =
    row.status === 'expired' || (row.status === 'pending' && new Date(row.expires_at) <= new Date())
  if (row.status !== 'pending' || expired || row.school_status !== 'active') {
    throw ProblemException.gone(
      `The invitation is ${expired ? 'expired' : row.status === 'pending' ? 'no longer valid' : row.status}.`
    )
  }
  return row
}

/** `accountExists`: a confirmed account uses the address, so accepting needs a sign-in to it. */
export async function show(token: string) {
  const row = usable(await withTenant({ platformScope: true }, (trx) => byToken(trx, token)))
  const account = await db
    .from('users')
    .where('email', row.email)
    .whereNotNull('email_verified_at')
    .select('id')
    .first()
  return {
    school: { id: row.school_id, name: row.school_name },
    email: row.email,
    role: row.role,
    expiresAt: new Date(row.expires_at).toISOString(),
    accountExists: !!account,
  }
}

/** The password chosen at acceptance, checked against the policy and hashed. */
async function chosenPassword(input: { password?: string; fullName?: string }, email: string) {
  if (!input.password) {
    throw new ProblemException(
      422,
      'validation-error',
      'Unprocessable Content',
      'A password is required.',
      [{ field: 'password', message: 'Choose a password for your account', rule: 'required' }]
    )
  }
  assertAcceptablePassword(input.password, { email, name: input.fullName })
  return hash.use('argon').make(input.password)
}

/**
 * Accepts, by who holds the token (it was mailed to the address):
 * - no account: one is created (password policy; verified by this e-mail);
 * - an account never confirmed: whoever registered it did not prove the mailbox, the
 *   invitee just did — the password is replaced by the one given here, and every
 *   session, device, factor and challenge of the registrant ends (audited);
 * - a confirmed account: the invitee must be signed in as it (`signedInUserId`), else
 *   403 `sign-in-required`.
 * Then the membership with its role and cohort assignments, and the workflow completes.
 */
export async function accept(
  meta: RequestMeta | null,
  token: string,
  input: { password?: string; fullName?: string },
  signedInUserId: string | null = null
) {
  const result = await withTenant({ platformScope: true }, async (trx) => {
    const found = await byToken(trx, token)
    // Lock the row: the expiry activity and a concurrent accept wait here.
    if (found) await trx.from('invitations').where('id', found.id).forUpdate().first()
    const row = usable(found && (await byToken(trx, token)))

    let user = await trx
      .from('users')
      .where('email', row.email)
      .forUpdate()
      .select('id', 'status', 'email_verified_at')
      .first()
    if (user && user.status !== 'active')
      throw ProblemException.gone('The invitation is no longer valid.')
    let reclaimed = false
    if (!user) {
      ;[user] = await trx
        .table('users')
        .insert({
          email: row.email,
          password: await chosenPassword(input, row.email),
          full_name: input.fullName ?? null,
          email_verified_at: new Date(),
        })
        .returning(['id', 'status'])
    } else if (!user.email_verified_at) {
      await trx
        .from('users')
        .where('id', user.id)
        .update({
          password: await chosenPassword(input, row.email),
          full_name: input.fullName ?? null,
          email_verified_at: new Date(),
          updated_at: new Date(),
        })
      reclaimed = true
    } else if (signedInUserId !== user.id) {
      throw new ProblemException(
        403,
        'sign-in-required',
        'Forbidden',
        'An account already uses this address: sign in to it, then accept with its access token.'
      )
    }

    await trx.rawQuery(`select set_config('app.school_id', ?, true)`, [row.school_id])
    const joined = await joinSchool(trx, {
      schoolId: row.school_id,
      userId: user.id,
      role: row.role,
      existing: 'reactivate',
    })
    const membershipId = joined.membershipId as string // reactivate always yields one
    const cohortRole = row.role === 'mentor' ? 'mentor' : 'learner'
    for (const cohortId of row.cohort_ids) {
      await trx.rawQuery(
        `insert into cohort_members (school_id, cohort_id, membership_id, cohort_role)
         select ?, id, ?, ? from cohorts where school_id = ? and id = ?
         on conflict (cohort_id, membership_id) do nothing`,
        [row.school_id, membershipId, cohortRole, row.school_id, cohortId]
      )
    }
    await trx.from('invitations').where('id', row.id).update({
      status: 'accepted',
      accepted_at: new Date(),
      accepted_user_id: user.id,
      updated_at: new Date(),
    })
    await recordAudit(
      meta,
      {
        action: 'invitation.accepted',
        schoolId: row.school_id,
        actorUserId: user.id,
        targetType: 'invitation',
        targetId: row.id,
        changes: { role: row.role, membershipId },
      },
      trx
    )
    const accepted = await enqueue(trx, row.school_id, [
      signalIntent(row.workflow_id, invitationAccepted),
    ])
    const outboxIds = [...joined.outboxIds, ...accepted]
    return { row, userId: user.id as string, membershipId, reclaimed, outboxIds }
  })
  if (result.reclaimed) await reclaimUnprovenAccount(meta, result.userId, 'invitation')

  // Committed: deliver now when Temporal answers, else the worker's relay does.
  await dispatchIds(result.outboxIds).catch(() => false)
  return {
    schoolId: result.row.school_id,
    membershipId: result.membershipId,
    userId: result.userId,
    role: result.row.role,
  }
}
