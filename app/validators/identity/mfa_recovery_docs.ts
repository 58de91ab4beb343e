/* OpenAPI descriptions of the routes in start/routes/identity/mfa_recovery.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as validators from '#validators/identity/mfa_recovery'
import { forbidden, temporalErrors } from '#validators/platform/common_docs'

const recoveryState = {
  type: 'object',
  required: ['id', 'status'],
  properties: { id: { type: 'string', format: 'uuid' }, status: { type: 'string' } },
}
const decision = {
  type: 'object',
  required: ['id', 'decision'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    decision: { type: 'string', enum: ['approve', 'deny'] },
  },
}

export const mfaRecoveryDocs = {
  approve: {
    summary: "Approve a member's verified MFA recovery before its cooling-off period ends",
    tags: ['MFA recovery'],
    security: 'bearer',
    responses: {
      202: { description: 'Approval sent', schema: decision },
      ...temporalErrors,
      409: { description: 'Not verified yet' },
      ...forbidden,
    },
  },
  deny: {
    summary: "Deny a member's MFA recovery",
    tags: ['MFA recovery'],
    security: 'bearer',
    responses: {
      202: { description: 'Denial sent', schema: decision },
      ...temporalErrors,
      ...forbidden,
    },
  },
  request: {
    summary: 'Ask to recover a lost second factor (always 202)',
    tags: ['MFA recovery'],
    security: 'none',
    body: validators.mfaRecoveryRequestValidator,
    responses: {
      202: {
        description: 'Accepted (same answer for unknown addresses)',
        schema: {
          type: 'object',
          required: ['status'],
          properties: { status: { type: 'string' } },
        },
      },
    },
  },
  verify: {
    summary:
      'Confirm a recovery with the mailed verification token (starts the cooling-off period)',
    tags: ['MFA recovery'],
    security: 'none',
    body: validators.mfaRecoveryTokenValidator,
    responses: {
      200: { description: 'Verified', schema: recoveryState },
      410: { description: 'Invalid, used or expired' },
      ...temporalErrors,
    },
  },
  cancel: {
    summary: 'Cancel a recovery ("not you?") with the mailed cancel token',
    tags: ['MFA recovery'],
    security: 'none',
    body: validators.mfaRecoveryTokenValidator,
    responses: {
      200: { description: 'Cancelling', schema: recoveryState },
      410: { description: 'Invalid or finished' },
      ...temporalErrors,
    },
  },
} satisfies Record<string, RouteDoc>
