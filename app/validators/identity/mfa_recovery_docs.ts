/* OpenAPI descriptions of the routes in start/routes/identity/mfa_recovery.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import * as v from '#validators/identity/mfa_recovery'
import { forbidden, requiredObject, temporalErrors } from '#validators/platform/common_docs'

const id = { type: 'string', format: 'uuid' }
const status = { type: 'string' }
const recoveryState = requiredObject({ id, status })
const decision = requiredObject({ id, decision: { type: 'string', enum: ['approve', 'deny'] } })
const admin = docArea({
  tags: ['MFA recovery'],
  security: 'bearer',
  ...temporalErrors,
  ...forbidden,
})
const user = docArea({ tags: ['MFA recovery'], security: 'none' })

export const mfaRecoveryDocs = {
  approve: admin("Approve a member's verified MFA recovery before its cooling-off period ends", {
    202: ['Approval sent', decision],
    409: 'Not verified yet',
  }),
  deny: admin("Deny a member's MFA recovery", { 202: ['Denial sent', decision] }),
  request: user('Ask to recover a lost second factor (always 202)', {
    body: v.mfaRecoveryRequestValidator,
    202: ['Accepted (same answer for unknown addresses)', requiredObject({ status })],
  }),
  verify: user(
    'Confirm a recovery with the mailed verification token (starts the cooling-off period)',
    {
      body: v.mfaRecoveryTokenValidator,
      200: ['Verified', recoveryState],
      410: 'Invalid, used or expired',
      ...temporalErrors,
    }
  ),
  cancel: user('Cancel a recovery ("not you?") with the mailed cancel token', {
    body: v.mfaRecoveryTokenValidator,
    200: ['Cancelling', recoveryState],
    410: 'Invalid or finished',
    ...temporalErrors,
  }),
}
