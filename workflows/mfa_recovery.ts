import {
  condition,
  defineSignal,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow'
import type { Duration } from '@temporalio/common'
import { msToNumber } from '@temporalio/common'
import type { Activities } from './activities/index.js'
import { WorkflowKindKey } from './search_attributes.js'
import { mailOptions, recordOptions } from './activity_options.js'

export interface MfaRecoveryInput {
  recoveryId: string
  userId: string
  /** verification and cancel tokens, encrypted with the app key */
  verifyTokenEncrypted: string
  cancelTokenEncrypted: string
  verifyWithin: Duration
  coolingOff: Duration
}

export type MfaRecoveryOutcome = 'completed' | 'cancelled' | 'denied' | 'expired' | 'failed'

export const recoveryVerified = defineSignal('verified')
export const recoveryCancelled = defineSignal('cancel')
export const recoveryApproved = defineSignal<[{ byUserId: string }]>('approve')
export const recoveryDenied = defineSignal<[{ byUserId: string }]>('deny')

/** Database writes retry until the database answers (the row decides the outcome). */
const { finishRecovery, markRecoveryVerified } = proxyActivities<Activities>(recordOptions)

type MailKind = Parameters<Activities['sendRecoveryMail']>[3]

/** Mail retries are bounded by the step's business window, not an attempt count. */
function mailWithin(window: Duration) {
  return proxyActivities<Activities>(mailOptions(msToNumber(window))).sendRecoveryMail
}

/**
 * MFA recovery, id `mfa-recovery:{userId}`: e-mails a verification link; once verified,
 * waits the cooling-off period (admins may approve early or deny; the user may cancel from
 * the "not you?" mail), then removes the second factors and revokes every session.
 */
export async function mfaRecovery(input: MfaRecoveryInput): Promise<MfaRecoveryOutcome> {
  const { workflowId } = workflowInfo()
  /** One of the recovery's mails; the idempotency key names its step, so a retry never sends twice. */
  const mail = (kind: MailKind, tokenEncrypted: string | null, window: Duration) =>
    mailWithin(window)(
      input.recoveryId,
      tokenEncrypted,
      `${workflowId}:${input.recoveryId}:${kind}-mail`,
      kind
    )
  let verified = false
  type Decision = { outcome: 'approved' | 'denied' | 'cancelled'; byUserId: string | null }
  let decision = null as Decision | null
  // Handlers assign `decision`; read it through a function so TypeScript does not narrow it.
  const decided = () => decision as Decision | null

  setHandler(recoveryVerified, () => {
    verified = true
  })
  setHandler(recoveryCancelled, () => {
    decision ??= { outcome: 'cancelled', byUserId: input.userId }
  })
  setHandler(recoveryApproved, ({ byUserId }) => {
    if (verified) decision ??= { outcome: 'approved', byUserId }
  })
  setHandler(recoveryDenied, ({ byUserId }) => {
    decision ??= { outcome: 'denied', byUserId }
  })
  upsertSearchAttributes([{ key: WorkflowKindKey, value: 'mfa-recovery' }])

  try {
    await mail('verify', input.verifyTokenEncrypted, input.verifyWithin)
  } catch {
    // Never stuck: the request ends `failed` and the user may ask again.
    return finishRecovery(input.recoveryId, 'failed', null)
  }
  const inTime = await condition(() => verified || decision !== null, input.verifyWithin)
  if (!inTime) return finishRecovery(input.recoveryId, 'expired', null)
  const early = decided()
  if (!verified && early)
    return finishRecovery(input.recoveryId, early.outcome as 'denied', early.byUserId)

  await markRecoveryVerified(input.recoveryId)
  try {
    await mail('cooling-off', input.cancelTokenEncrypted, input.coolingOff)
  } catch {
    // Without the "not you?" mail the user could not cancel: do not reset the factors.
    return finishRecovery(input.recoveryId, 'failed', null)
  }
  await condition(() => decision !== null, input.coolingOff)

  const final = decided()
  if (final && final.outcome !== 'approved') {
    return finishRecovery(input.recoveryId, final.outcome, final.byUserId)
  }
  const outcome = await finishRecovery(input.recoveryId, 'completed', final?.byUserId ?? null)
  if (outcome === 'completed') {
    await mail('confirmation', null, input.coolingOff).catch(() => {})
  }
  return outcome
}
