import {
  ResourceTransformer,
  columns,
  iso,
  isoOrNull,
} from '#transformers/jobs/resource_transformer'
import type { InvitationRow } from '#services/tenancy/invitation_service'

/** `revoking`: signalled to end, before the workflow marks it revoked. */
type ShownInvitation = Omit<InvitationRow, 'status'> & {
  status: InvitationRow['status'] | 'revoking'
}

/** A staff invitation as the school's admins see it (never its token). */
export default class InvitationTransformer extends ResourceTransformer<ShownInvitation> {
  toObject() {
    const row = this.resource
    return {
      ...columns(row, 'id', 'email', 'role', 'cohort_ids', 'status', 'workflow_id'),
      expiresAt: iso(row.expires_at),
      remindedAt: isoOrNull(row.reminded_at),
      acceptedAt: isoOrNull(row.accepted_at),
      createdAt: iso(row.created_at),
    }
  }
}
