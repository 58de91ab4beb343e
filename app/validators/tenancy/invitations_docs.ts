/* OpenAPI descriptions of the routes in start/routes/tenancy/invitations.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import * as v from '#validators/tenancy/invitations'
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
const revoking = {
  ...invitation,
  properties: { ...invitation.properties, status: { type: 'string', enum: ['revoking'] } },
}
const uuid = { type: 'string', format: 'uuid' }
const invitationView = requiredObject({
  school: requiredObject({ id: uuid, name: { type: 'string' } }),
  email: { type: 'string' },
  role: roles,
  expiresAt: isoDate,
  accountExists: { type: 'boolean' },
})
const membershipCreated = requiredObject({
  schoolId: uuid,
  membershipId: uuid,
  userId: uuid,
  role: roles,
})
const gone = { 410: 'Expired, revoked or used' }
const tags = ['Invitations']
const admin = docArea({ tags, security: 'bearer', ...forbidden })
/** Signalling or updating the invitation's workflow. */
const pending = docArea({
  tags,
  security: 'bearer',
  ...temporalErrors,
  409: 'Not pending',
  ...forbidden,
})
const invitee = docArea({ tags, security: 'none' })

export const invitationsDocs = {
  index: admin('List staff invitations (filter by status, cursor)', {
    query: v.listInvitationsValidator,
    200: ['A page of invitations', invitationPage],
  }),
  store: admin('Invite someone to the school (starts the staffInvitation workflow)', {
    body: v.createInvitationValidator,
    201: ['Invitation created; its workflow runs', invitation],
    202: [
      'Invitation created; its workflow starts as soon as Temporal answers (outbox)',
      invitation,
    ],
    409: 'A pending invitation exists: problem+json with `invitation`',
  }),
  revoke: pending('Revoke a pending invitation (signal)', {
    202: ['Revocation sent to the workflow', revoking],
  }),
  resend: pending('Resend a pending invitation and reset its expiry (update)', {
    200: ['The new expiry', requiredObject({ id: uuid, expiresAt: isoDate })],
  }),
  show: invitee('Show an invitation (school and role) to the invitee', {
    200: ['The invitation', invitationView],
    ...gone,
  }),
  accept: invitee('Accept an invitation (creates the account when needed, and the membership)', {
    description:
      'No account for the address, or one that was never confirmed: send `password` (the policy applies); a never-confirmed account gets this password instead of its old one, and all its sessions, devices and factors end. A confirmed account (`accountExists` in the GET answer): send its access token as `Authorization: Bearer`, else 403 `sign-in-required`.',
    body: v.acceptInvitationValidator,
    201: ['Membership created', membershipCreated],
    401: 'An Authorization header with an invalid or revoked token',
    403: 'A confirmed account uses the address: sign in to it first',
    409: 'The account is already a member of the school (another invitation)',
    ...gone,
  }),
}
