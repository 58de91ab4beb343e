/* OpenAPI descriptions of the routes in start/routes/tenancy/invitations.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as validators from '#validators/tenancy/invitations'
import { forbidden, requiredObject, temporalErrors } from '#validators/platform/common_docs'

const isoDate = { type: 'string', format: 'date-time' }
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
export const invitationsDocs = {
  index: {
    summary: 'List staff invitations (filter by status, cursor)',
    tags: ['Invitations'],
    security: 'bearer',
    query: validators.listInvitationsValidator,
    responses: {
      200: { description: 'A page of invitations', schema: invitationPage },
      ...forbidden,
    },
  },
  store: {
    summary: 'Invite someone to the school (starts the staffInvitation workflow)',
    tags: ['Invitations'],
    security: 'bearer',
    body: validators.createInvitationValidator,
    responses: {
      201: { description: 'Invitation created; its workflow runs', schema: invitation },
      202: {
        description: 'Invitation created; its workflow starts as soon as Temporal answers (outbox)',
        schema: invitation,
      },
      409: { description: 'A pending invitation exists: problem+json with `invitation`' },
      ...forbidden,
    },
  },
  revoke: {
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
  },
  resend: {
    summary: 'Resend a pending invitation and reset its expiry (update)',
    tags: ['Invitations'],
    security: 'bearer',
    responses: {
      200: {
        description: 'The new expiry',
        schema: requiredObject({ id: { type: 'string', format: 'uuid' }, expiresAt: isoDate }),
      },
      ...temporalErrors,
      409: { description: 'Not pending' },
      ...forbidden,
    },
  },
  show: {
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
  },
  accept: {
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
      409: { description: 'The account is already a member of the school (another invitation)' },
      410: { description: 'Expired, revoked or used' },
    },
  },
} satisfies Record<string, RouteDoc>
