import app from '@adonisjs/core/services/app'
import hash from '@adonisjs/core/services/hash'
import encryption from '@adonisjs/core/services/encryption'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { msToNumber } from '@temporalio/common'
import { appUrl } from '#config/app'
import type { WorkflowsConfig } from '#config/workflows'
import { ProblemException } from '#exceptions/problem_exception'
import { DependencyUnavailableError } from '#exceptions/dependency_unavailable_error'
import { isWorkflowGone } from '#exceptions/temporal_problem'
import { recordAudit } from '#services/audit_service'
import { reclaimUnprovenAccount } from '#services/account_status_service'
import { assertAcceptablePassword } from '#services/password_policy'
import { hashToken, newOpaqueToken } from '#services/token_hash'
import { withTenant } from '#services/tenant_context'
import type { SchoolRole } from '#services/permissions'
import { assertWithinCeiling } from '#services/role_ceiling'
import { sendOnce } from '#services/notification_service'
import { profileNudgesIntent } from '#services/profile_nudges_service'
import { dispatchIds, dispatchSoon, enqueue } from '#services/workflow_outbox'
import { paginateRows } from '#services/pagination'
import { updateDeadlineMs } from '#config/workflows'
import {
  signalIntent,
  startIntent,
  UpdateDeadlineError,
  UpdateRejectedError,
  updateWorkflow,
  type WorkflowIntent,
} from '#workflows/client'
import {
  invitationAccepted,
  resendInvitation,
  revokeInvitation,
  staffInvitation,
} from '#workflows/staff_invitation'
import {
  InviteEmailKey,
  InviteStatusKey,
  SchoolIdKey,
  WorkflowKindKey,
} from '#workflows/search_attributes'

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired' | 'failed'

/** The token in the workflow input cannot be decrypted (app key rotated): retrying cannot help. */
export class TokenUndecryptableError extends Error {}

export interface InvitationRow {
  id: string
  school_id: string
  email: string
  role: SchoolRole
  cohort_ids: string[]
  status: InvitationStatus
  workflow_id: string
  expires_at: Date
  reminded_at: Date | null
  accepted_at: Date | null
  created_at: Date
}

const TOKEN_PURPOSE = 'invitation-token'

const COLUMNS = [
  'id',
  'school_id',
  'email',
  'role',
  'cohort_ids',
  'status',
  'workflow_id',
  'expires_at',
  'reminded_at',
  'accepted_at',
  'created_at',
]

export function invitationWorkflowId(schoolId: string, email: string) {
  return `invitation:${schoolId}:${email.toLowerCase()}`
}

export function serializeInvitation(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    cohortIds: row.cohort_ids,
    status: row.status,
    workflowId: row.workflow_id,
    expiresAt: new Date(row.expires_at).toISOString(),
    remindedAt: row.reminded_at ? new Date(row.reminded_at).toISOString() : null,
    acceptedAt: row.accepted_at ? new Date(row.accepted_at).toISOString() : null,
    createdAt: new Date(row.created_at).toISOString(),
  }
}

async function temporal() {
  return app.container.make('temporal.client')
}

function settings() {
  return app.config.get<WorkflowsConfig>('workflows').invitation
}

/**
 * Creates the invitation row and, in the same transaction, the outbox intent that starts
 * `staffInvitation`; 409 with the pending one on a duplicate. `started` tells whether the
 * workflow already runs (false while Temporal is unreachable: the relay starts it later).
 */
export async function invite(
  ctx: HttpContext,
  input: { email: string; role: SchoolRole; cohortIds?: string[] }
) {
  const { tenant } = ctx
  const schoolId = tenant.school.id
  await assertWithinCeiling(tenant.trx, schoolId, tenant.permissions, { role: input.role })
  const email = input.email.toLowerCase()
  const existing = await tenant.trx
    .from('invitations')
    .where({ school_id: schoolId, email, status: 'pending' })
    .select(COLUMNS)
    .first()
  if (existing) return { duplicate: serializeInvitation(existing) }

  const cohortIds = [...new Set(input.cohortIds ?? [])]
  if (cohortIds.length > 0) {
    const found = await tenant.trx
      .from('cohorts')
      .where('school_id', schoolId)
      .whereIn('id', cohortIds)
      .whereNull('archived_at')
      .count('* as n')
    if (Number(found[0].n) !== cohortIds.length) {
      throw new ProblemException(
        422,
        'validation-error',
        'Unprocessable Content',
        'Unknown cohort.',
        [{ field: 'cohortIds', message: 'Every cohort must exist in this school', rule: 'exists' }]
      )
    }
  }

  const { reminderAfter, expiresAfter } = settings()
  const workflowId = invitationWorkflowId(schoolId, email)
  const token = newOpaqueToken('inv_')
  const [row] = await tenant.trx
    .table('invitations')
    .insert({
      school_id: schoolId,
      email,
      role: input.role,
      cohort_ids: cohortIds,
      token_hash: token.hash,
      workflow_id: workflowId,
      invited_by: ctx.auth.user?.id ?? null,
      expires_at: new Date(Date.now() + msToNumber(expiresAfter as '1 second')),
    })
    .returning(COLUMNS)
  await recordAudit(
    ctx,
    {
      action: 'invitation.created',
      schoolId,
      targetType: 'invitation',
      targetId: row.id,
      changes: { email, role: input.role, cohortIds },
    },
    tenant.trx
  )
  const intents = await enqueue(tenant.trx, schoolId, [
    startIntent(staffInvitation, {
      workflowId,
      args: [
        {
          invitationId: row.id,
          schoolId,
          email,
          // Encrypted with the app key: the history and the outbox show no usable token.
          tokenEncrypted: encryption.encrypt(token.value, undefined, TOKEN_PURPOSE),
          reminderAfter,
          expiresAfter,
        },
      ],
      searchAttributes: [
        { key: SchoolIdKey, value: schoolId },
        { key: WorkflowKindKey, value: 'invitation' },
        { key: InviteEmailKey, value: email },
        { key: InviteStatusKey, value: 'pending' },
      ],
    }),
  ])
  // The workflow's first activity reads the row: deliver once it is committed.
  await tenant.trx.commit()
  const started = await dispatchIds(intents).catch(() => false)
  return { created: serializeInvitation(row), started }
}

async function pendingInvitation(trx: TransactionClientContract, schoolId: string, id: string) {
  const row = (await trx
    .from('invitations')
    .where({ school_id: schoolId, id })
    .select(COLUMNS)
    .first()) as InvitationRow | null
  if (!row) throw ProblemException.notFound()
  if (row.status !== 'pending') throw ProblemException.conflict(`The invitation is ${row.status}.`)
  return row
}

export async function revoke(ctx: HttpContext, id: string) {
  const { tenant } = ctx
  const row = await pendingInvitation(tenant.trx, tenant.school.id, id)
  const intents = await enqueue(tenant.trx, tenant.school.id, [
    signalIntent(row.workflow_id, revokeInvitation, { byUserId: ctx.auth.user?.id ?? null }),
  ])
  dispatchSoon(tenant.trx, intents)
  await recordAudit(
    ctx,
    {
      action: 'invitation.revoked',
      schoolId: tenant.school.id,
      targetType: 'invitation',
      targetId: id,
    },
    tenant.trx
  )
  return { ...serializeInvitation(row), status: 'revoking' as const }
}

export async function resend(ctx: HttpContext, id: string) {
  const { tenant } = ctx
  const row = await pendingInvitation(tenant.trx, tenant.school.id, id)
  const client = await temporal()
  const result = await updateWorkflow(client, row.workflow_id, resendInvitation, {
    args: [],
    deadlineMs: updateDeadlineMs(),
  }).catch((error) => {
    if (error instanceof UpdateRejectedError || isWorkflowGone(error)) {
      // the workflow refused or has ended: a generic conflict (Temporal's text stays in the log)
      throw ProblemException.conflict('The invitation can no longer be resent.')
    }
    // No worker or no Temporal before the deadline: a dependency failure, not a conflict.
    if (error instanceof UpdateDeadlineError)
      throw new DependencyUnavailableError('temporal', error)
    throw error
  })
  await recordAudit(
    ctx,
    {
      action: 'invitation.resent',
      schoolId: tenant.school.id,
      targetType: 'invitation',
      targetId: id,
    },
    tenant.trx
  )
  return { id, expiresAt: result.expiresAt }
}

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
  ctx: HttpContext | null,
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
    const existing = await trx
      .from('memberships')
      .where({ school_id: row.school_id, user_id: user.id })
      .select('id', 'status')
      .first()
    let membershipId: string
    if (existing?.status === 'active') {
      throw ProblemException.conflict('You are already a member of this school.')
    } else if (existing) {
      await trx
        .from('memberships')
        .where('id', existing.id)
        .update({ role: row.role, status: 'active', updated_at: new Date() })
      membershipId = existing.id
    } else {
      const [membership] = await trx
        .table('memberships')
        .insert({ school_id: row.school_id, user_id: user.id, role: row.role })
        .returning('id')
      membershipId = membership.id
    }
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
      ctx,
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
    const intents: WorkflowIntent[] = [signalIntent(row.workflow_id, invitationAccepted)]
    if (row.role === 'learner') {
      intents.push(profileNudgesIntent(row.school_id, user.id, membershipId))
    }
    const outboxIds = await enqueue(trx, row.school_id, intents)
    return { row, userId: user.id as string, membershipId, reclaimed, outboxIds }
  })
  if (result.reclaimed) await reclaimUnprovenAccount(ctx, result.userId, 'invitation')

  // Committed: deliver now when Temporal answers, else the worker's relay does.
  await dispatchIds(result.outboxIds).catch(() => false)
  return {
    schoolId: result.row.school_id,
    membershipId: result.membershipId,
    userId: result.userId,
    role: result.row.role,
  }
}

/* ---- activity side (called from workflows/activities/invitations.ts) ---- */

/** Conditional status change: only a pending row moves; returns the row's final status. */
export async function setStatus(
  invitationId: string,
  schoolId: string,
  status: InvitationStatus,
  extra: { expiresAt?: string; byUserId?: string | null; failure?: string } = {}
): Promise<InvitationStatus> {
  return withTenant({ schoolId }, async (trx) => {
    const row = await trx
      .from('invitations')
      .where({ id: invitationId, school_id: schoolId })
      .forUpdate()
      .select('status')
      .first()
    if (!row) return 'revoked'
    if (row.status !== 'pending') return row.status
    const changes: Record<string, unknown> = { status, updated_at: new Date() }
    if (extra.expiresAt) changes.expires_at = new Date(extra.expiresAt)
    if (extra.failure) changes.failure = extra.failure.slice(0, 500)
    await trx.from('invitations').where('id', invitationId).update(changes)
    if (status !== 'pending') {
      await recordAudit(
        null,
        {
          action: `invitation.${status}`,
          schoolId,
          actorUserId: extra.byUserId ?? null,
          actorService: 'temporal:staffInvitation',
          targetType: 'invitation',
          targetId: invitationId,
        },
        trx
      )
    }
    return status
  })
}

export async function sendInvitationMail(
  invitationId: string,
  schoolId: string,
  tokenEncrypted: string,
  idempotencyKey: string,
  kind: 'invitation' | 'reminder'
) {
  const token = encryption.decrypt<string>(tokenEncrypted, TOKEN_PURPOSE)
  if (!token) throw new TokenUndecryptableError('the invitation token cannot be decrypted')
  const row = await withTenant({ schoolId }, (trx) =>
    trx
      .from('invitations as i')
      .join('schools as s', 's.id', 'i.school_id')
      .where('i.id', invitationId)
      .select('i.email', 'i.role', 'i.status', 'i.expires_at', 's.name as school_name')
      .first()
  )
  if (!row || row.status !== 'pending') return false
  const link = `${appUrl}/invitations/${token}`
  const sent = await sendOnce({
    idempotencyKey,
    to: row.email,
    subject:
      kind === 'reminder'
        ? `Reminder: your invitation to ${row.school_name} on Pathways`
        : `You are invited to ${row.school_name} on Pathways`,
    text: `You were invited to join ${row.school_name} on Pathways as ${row.role.replace('_', ' ')}.\nAccept before ${new Date(row.expires_at).toUTCString()}:\n${link}\n\nInvitation token: ${token}`,
  })
  if (sent && kind === 'reminder') {
    await withTenant({ schoolId }, (trx) =>
      trx.from('invitations').where('id', invitationId).update({ reminded_at: new Date() })
    )
  }
  return sent
}

/** A page of the school's invitations, optionally of one status. */
export function listInvitations(
  trx: TransactionClientContract,
  schoolId: string,
  query: { status?: string; cursor?: string; limit?: number }
) {
  const builder = trx.from('invitations').where('school_id', schoolId)
  if (query.status) builder.where('status', query.status)
  return paginateRows<InvitationRow>(builder, query)
}
