import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { SchoolRole } from '#services/tenancy/permissions'
import { paginateRows } from '#services/platform/pagination'

/*
| Staff invitations. The record and its shape live here; the jobs around it each have
| their file: invitation_admin_service (invite, revoke, resend), invitation_acceptance_service
| (show and accept by token), invitation_delivery_service (the workflow's activities).
*/

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

export const TOKEN_PURPOSE = 'invitation-token'

export const COLUMNS = [
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
