import {
  condition,
  defineSignal,
  defineUpdate,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { Duration } from '@temporalio/common'
import { msToNumber as ms } from '@temporalio/common'
import type { Activities } from './activities/index.js'
import { InviteStatusKey } from './search_attributes.js'
import { mailOptions, recordOptions } from './activity_options.js'

export interface StaffInvitationInput {
  invitationId: string
  schoolId: string
  email: string
  /** the invitation token, encrypted with the app key (only the mail activity decrypts it) */
  tokenEncrypted: string
  reminderAfter: Duration
  expiresAfter: Duration
}

export type InvitationOutcome = 'accepted' | 'revoked' | 'expired' | 'failed'

export const revokeInvitation = defineSignal<[{ byUserId: string | null }]>('revoke')
/** Sent by the accept endpoint after it committed the account and membership. */
export const invitationAccepted = defineSignal('accepted')
/** Resends the invitation mail and resets the expiry; returns the new expiry (ISO). */
export const resendInvitation = defineUpdate<{ expiresAt: string }>('resend')

/** Status writes: the row is the source of truth, so they retry until the database answers. */
const { setInvitationStatus } = proxyActivities<Activities>(recordOptions)

/** Mail retries are bounded by the business deadline (the invitation's expiry). */
function mailUntil(deadline: number) {
  return proxyActivities<Activities>(mailOptions(deadline - Date.now())).sendInvitationMail
}

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
  let resendsQueued = 0
  let resendsSent = 0

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
      // The mail goes out from the main loop: an update never waits on SMTP.
      if (patched('resend-mail-outside-update')) {
        resendsQueued += 1
        return { expiresAt }
      }
      await mailUntil(deadline)(
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

  const fail = async (error: unknown) => {
    const cause = (error as { cause?: Error }).cause ?? (error as Error)
    const final = await setInvitationStatus(input.invitationId, input.schoolId, 'failed', {
      failure: cause?.message ?? 'the invitation mail could not be sent',
    })
    upsertSearchAttributes([{ key: InviteStatusKey, value: final }])
    return final as InvitationOutcome
  }

  /** One mail per step, sent once (the key names the step), retried until the expiry. */
  const sendMail = (step: string, kind: 'invitation' | 'reminder') =>
    mailUntil(deadline)(
      input.invitationId,
      input.schoolId,
      input.tokenEncrypted,
      `${workflowId}:${input.invitationId}:${step}`,
      kind
    )

  try {
    await sendMail('invite', 'invitation')
  } catch (error) {
    return fail(error)
  }

  const sendQueuedResends = async () => {
    while (resendsSent < resendsQueued && outcome === null) {
      resendsSent += 1
      await sendMail(`resend:${resendsSent}`, 'invitation')
    }
  }

  const reminderAt = Date.now() + ms(input.reminderAfter)
  for (;;) {
    const woke = await condition(
      () => outcome !== null || resendsSent < resendsQueued,
      Math.max(0, reminderAt - Date.now())
    )
    if (woke && outcome === null) {
      try {
        await sendQueuedResends()
      } catch (error) {
        return fail(error)
      }
      continue
    }
    if (!woke && Date.now() < deadline) {
      try {
        await sendMail('reminder', 'reminder')
      } catch (error) {
        return fail(error)
      }
    }
    break
  }

  // Wait until accepted/revoked or the (possibly reset) deadline passes.
  while (outcome === null) {
    try {
      await sendQueuedResends()
    } catch (error) {
      return fail(error)
    }
    const remaining = deadline - Date.now()
    if (remaining <= 0) break
    await condition(
      () => outcome !== null || deadline - Date.now() > remaining || resendsSent < resendsQueued,
      remaining
    )
  }

  const wanted: InvitationOutcome = outcome ?? 'expired'
  // The row decides: an accept committed just before the expiry wins.
  const final = await setInvitationStatus(input.invitationId, input.schoolId, wanted, {
    byUserId: revokedBy,
  })
  upsertSearchAttributes([{ key: InviteStatusKey, value: final }])
  return final as InvitationOutcome
}
