import {
  condition,
  defineSignal,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { Duration } from '@temporalio/common'
import { msToNumber as ms } from '@temporalio/common'
import type { Activities } from './activities/index.js'
import { InviteStatusKey } from './search_attributes.js'

export interface StaffInvitationInput {
  invitationId: string
  schoolId: string
  email: string
  /** the invitation token, encrypted with the app key (only the mail activity decrypts it) */
  tokenEncrypted: string
  reminderAfter: Duration
  expiresAfter: Duration
}

export type InvitationOutcome = 'accepted' | 'revoked' | 'expired'

export const revokeInvitation = defineSignal<[{ byUserId: string | null }]>('revoke')
/** Sent by the accept endpoint after it committed the account and membership. */
export const invitationAccepted = defineSignal('accepted')
/** Resends the invitation mail and resets the expiry; returns the new expiry (ISO). */
export const resendInvitation = defineUpdate<{ expiresAt: string }>('resend')

const { sendInvitationMail, setInvitationStatus } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
})

/**
 * One staff invitation, id `invitation:{schoolId}:{email}`: sends the invitation mail,
 * one reminder, and waits for acceptance until it expires. Revoke is a signal, resend an
 * update (resets the expiry). The `invitations` row is the source of truth for status
 * transitions (the accept endpoint and the expiry race there); the workflow mirrors each
 * status into the `InviteStatus` search attribute.
 */
export async function staffInvitation(input: StaffInvitationInput): Promise<InvitationOutcome> {
  // The id is reused by a later invitation to the same address: keys also carry the invitation id.
  const { workflowId } = workflowInfo()
  let deadline = Date.now() + ms(input.expiresAfter)
  let outcome: InvitationOutcome | null = null
  let revokedBy: string | null = null
  let resends = 0

  setHandler(revokeInvitation, ({ byUserId }) => {
    if (!outcome) {
      outcome = 'revoked'
      revokedBy = byUserId
    }
  })
  setHandler(invitationAccepted, () => {
    outcome ??= 'accepted'
  })
  setHandler(
    resendInvitation,
    async () => {
      resends += 1
      deadline = Date.now() + ms(input.expiresAfter)
      const expiresAt = new Date(deadline).toISOString()
      await setInvitationStatus(input.invitationId, input.schoolId, 'pending', { expiresAt })
      await sendInvitationMail(
        input.invitationId,
        input.schoolId,
        input.tokenEncrypted,
        `${workflowId}:${input.invitationId}:resend:${resends}`,
        'invitation'
      )
      return { expiresAt }
    },
    {
      validator: () => {
        if (outcome) throw new Error(`the invitation is ${outcome}`)
      },
    }
  )

  await sendInvitationMail(
    input.invitationId,
    input.schoolId,
    input.tokenEncrypted,
    `${workflowId}:${input.invitationId}:invite`,
    'invitation'
  )

  const reminderAt = Date.now() + ms(input.reminderAfter)
  if ((await condition(() => outcome !== null, Math.max(0, reminderAt - Date.now()))) === false) {
    if (Date.now() < deadline) {
      await sendInvitationMail(
        input.invitationId,
        input.schoolId,
        input.tokenEncrypted,
        `${workflowId}:${input.invitationId}:reminder`,
        'reminder'
      )
    }
  }

  // Wait until accepted/revoked or the (possibly reset) deadline passes.
  while (outcome === null) {
    const remaining = deadline - Date.now()
    if (remaining <= 0) break
    await condition(() => outcome !== null || deadline - Date.now() > remaining, remaining)
  }

  const wanted: InvitationOutcome = outcome ?? 'expired'
  // The row decides: an accept committed just before the expiry wins.
  const final = await setInvitationStatus(input.invitationId, input.schoolId, wanted, {
    byUserId: revokedBy,
  })
  upsertSearchAttributes([{ key: InviteStatusKey, value: final }])
  return final as InvitationOutcome
}
