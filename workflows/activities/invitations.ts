import { ApplicationFailure } from '@temporalio/activity'
import {
  TokenUndecryptableError,
  type InvitationStatus,
} from '#services/tenancy/invitation_service'

/** staffInvitation activities: conditional status writes and mail sent once per idempotency key. */
export function invitationActivities() {
  return {
    async sendInvitationMail(
      invitationId: string,
      schoolId: string,
      tokenEncrypted: string,
      idempotencyKey: string,
      kind: 'invitation' | 'reminder'
    ): Promise<boolean> {
      const service = await import('#services/tenancy/invitation_delivery_service')
      try {
        return await service.sendInvitationMail(
          invitationId,
          schoolId,
          tokenEncrypted,
          idempotencyKey,
          kind
        )
      } catch (error) {
        if (error instanceof TokenUndecryptableError) {
          throw ApplicationFailure.nonRetryable(error.message, 'TokenUndecryptable')
        }
        throw error
      }
    },

    async setInvitationStatus(
      invitationId: string,
      schoolId: string,
      status: InvitationStatus,
      extra: { expiresAt?: string; byUserId?: string | null; failure?: string } = {}
    ): Promise<InvitationStatus> {
      const service = await import('#services/tenancy/invitation_delivery_service')
      return service.setStatus(invitationId, schoolId, status, extra)
    },
  }
}
