import { ApplicationFailure } from '@temporalio/activity'
import type { RecoveryMailKind, RecoveryOutcome } from '#services/identity/mfa_recovery_service'

/** mfaRecovery activities: conditional status writes, factor reset in one transaction, mail once per key. */
export function mfaRecoveryActivities() {
  return {
    async sendRecoveryMail(
      recoveryId: string,
      tokenEncrypted: string | null,
      idempotencyKey: string,
      kind: RecoveryMailKind
    ): Promise<boolean> {
      const service = await import('#services/identity/mfa_recovery_service')
      try {
        return await service.sendRecoveryMail(recoveryId, tokenEncrypted, idempotencyKey, kind)
      } catch (error) {
        if (error instanceof service.RecoveryTokenUndecryptableError) {
          throw ApplicationFailure.nonRetryable(error.message, 'TokenUndecryptable')
        }
        throw error
      }
    },
    async markRecoveryVerified(recoveryId: string): Promise<void> {
      const service = await import('#services/identity/mfa_recovery_service')
      await service.markVerified(recoveryId)
    },
    async finishRecovery(
      recoveryId: string,
      outcome: RecoveryOutcome,
      byUserId: string | null
    ): Promise<RecoveryOutcome> {
      const service = await import('#services/identity/mfa_recovery_service')
      return service.finish(recoveryId, outcome, byUserId)
    },
  }
}
