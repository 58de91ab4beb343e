/* Durable workflows: staff invitations and MFA recovery. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { authIpThrottle } from '#start/limiter'
import * as validators from '#validators/workflows'
import { forbidden } from '#start/routes/schemas'

const InvitationsController = () => import('#controllers/invitations_controller')
const MfaRecoveryController = () => import('#controllers/mfa_recovery_controller')

const isoDate = { type: 'string', format: 'date-time' }
/** Routes that signal or update a workflow: Temporal's own errors never reach the client. */
const temporalErrors = {
  409: { description: 'The workflow has already finished (generic detail)' },
  503: { description: 'Temporal is unavailable; retry after Retry-After' },
}
const roles = { type: 'string', enum: ['school_admin', 'staff', 'mentor', 'learner'] }
const invitation = {
  type: 'object',
  required: ['id', 'email', 'role', 'cohortIds', 'status', 'workflowId', 'expiresAt', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    role: roles,
    cohortIds: { type: 'array', items: { type: 'string', format: 'uuid' } },
    status: { type: 'string', enum: ['pending', 'accepted', 'revoked', 'expired', 'failed'] },
    workflowId: { type: 'string' },
    expiresAt: isoDate,
    remindedAt: { type: ['string', 'null'], format: 'date-time' },
    acceptedAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: isoDate,
  },
}
const invitationPage = {
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: {
    data: { type: 'array', items: invitation },
    nextCursor: { type: ['string', 'null'] },
  },
}
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

/* Inside one school */
router
  .group(() => {
    router.get('/invitations', [InvitationsController, 'index']).doc({
      summary: 'List staff invitations (filter by status, cursor)',
      tags: ['Invitations'],
      security: 'bearer',
      query: validators.listInvitationsValidator,
      responses: {
        200: { description: 'A page of invitations', schema: invitationPage },
        ...forbidden,
      },
    })
    router.post('/invitations', [InvitationsController, 'store']).doc({
      summary: 'Invite someone to the school (starts the staffInvitation workflow)',
      tags: ['Invitations'],
      security: 'bearer',
      body: validators.createInvitationValidator,
      responses: {
        201: { description: 'Invitation created; its workflow runs', schema: invitation },
        202: {
          description:
            'Invitation created; its workflow starts as soon as Temporal answers (outbox)',
          schema: invitation,
        },
        409: { description: 'A pending invitation exists: problem+json with `invitation`' },
        ...forbidden,
      },
    })
    router
      .post('/invitations/:id/revoke', [InvitationsController, 'revoke'])
      .where('id', router.matchers.uuid())
      .doc({
        summary: 'Revoke a pending invitation (signal)',
        tags: ['Invitations'],
        security: 'bearer',
        responses: {
          202: {
            description: 'Revocation sent to the workflow',
            schema: {
              ...invitation,
              properties: {
                ...invitation.properties,
                status: { type: 'string', enum: ['revoking'] },
              },
            },
          },
          ...temporalErrors,
          409: { description: 'Not pending' },
          ...forbidden,
        },
      })
    router
      .post('/invitations/:id/resend', [InvitationsController, 'resend'])
      .where('id', router.matchers.uuid())
      .doc({
        summary: 'Resend a pending invitation and reset its expiry (update)',
        tags: ['Invitations'],
        security: 'bearer',
        responses: {
          200: {
            description: 'The new expiry',
            schema: {
              type: 'object',
              required: ['id', 'expiresAt'],
              properties: { id: { type: 'string', format: 'uuid' }, expiresAt: isoDate },
            },
          },
          ...temporalErrors,
          409: { description: 'Not pending' },
          ...forbidden,
        },
      })
    router
      .post('/mfa-recoveries/:id/approve', [MfaRecoveryController, 'approve'])
      .where('id', router.matchers.uuid())
      .doc({
        summary: "Approve a member's verified MFA recovery before its cooling-off period ends",
        tags: ['MFA recovery'],
        security: 'bearer',
        responses: {
          202: { description: 'Approval sent', schema: decision },
          ...temporalErrors,
          409: { description: 'Not verified yet' },
          ...forbidden,
        },
      })
    router
      .post('/mfa-recoveries/:id/deny', [MfaRecoveryController, 'deny'])
      .where('id', router.matchers.uuid())
      .doc({
        summary: "Deny a member's MFA recovery",
        tags: ['MFA recovery'],
        security: 'bearer',
        responses: {
          202: { description: 'Denial sent', schema: decision },
          ...temporalErrors,
          ...forbidden,
        },
      })
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])

/* Invitee side: the mailed token is the credential */
router
  .group(() => {
    router.get('/:token', [InvitationsController, 'show']).doc({
      summary: 'Show an invitation (school and role) to the invitee',
      tags: ['Invitations'],
      security: 'none',
      responses: {
        200: {
          description: 'The invitation',
          schema: {
            type: 'object',
            required: ['school', 'email', 'role', 'expiresAt', 'accountExists'],
            properties: {
              school: {
                type: 'object',
                required: ['id', 'name'],
                properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' } },
              },
              email: { type: 'string' },
              role: roles,
              expiresAt: isoDate,
              accountExists: { type: 'boolean' },
            },
          },
        },
        410: { description: 'Expired, revoked or used' },
      },
    })
    router
      .post('/:token/accept', [InvitationsController, 'accept'])
      .use(authIpThrottle)
      .doc({
        summary: 'Accept an invitation (creates the account when needed, and the membership)',
        description:
          'No account for the address, or one that was never confirmed: send `password` (the policy applies); a never-confirmed account gets this password instead of its old one, and all its sessions, devices and factors end. A confirmed account (`accountExists` in the GET answer): send its access token as `Authorization: Bearer`, else 403 `sign-in-required`.',
        tags: ['Invitations'],
        security: 'none',
        body: validators.acceptInvitationValidator,
        responses: {
          201: {
            description: 'Membership created',
            schema: {
              type: 'object',
              required: ['schoolId', 'membershipId', 'userId', 'role'],
              properties: {
                schoolId: { type: 'string', format: 'uuid' },
                membershipId: { type: 'string', format: 'uuid' },
                userId: { type: 'string', format: 'uuid' },
                role: roles,
              },
            },
          },
          401: { description: 'An Authorization header with an invalid or revoked token' },
          403: { description: 'A confirmed account uses the address: sign in to it first' },
          410: { description: 'Expired, revoked or used' },
        },
      })
  })
  .prefix('/v1/invitations')

/* MFA recovery (no session: the user lost their second factor) */
router
  .group(() => {
    router
      .post('/', [MfaRecoveryController, 'request'])
      .use(authIpThrottle)
      .doc({
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
      })
    router
      .post('/verify', [MfaRecoveryController, 'verify'])
      .use(authIpThrottle)
      .doc({
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
      })
    router
      .post('/cancel', [MfaRecoveryController, 'cancel'])
      .use(authIpThrottle)
      .doc({
        summary: 'Cancel a recovery ("not you?") with the mailed cancel token',
        tags: ['MFA recovery'],
        security: 'none',
        body: validators.mfaRecoveryTokenValidator,
        responses: {
          200: { description: 'Cancelling', schema: recoveryState },
          410: { description: 'Invalid or finished' },
          ...temporalErrors,
        },
      })
  })
  .prefix('/v1/auth/mfa/recovery')
