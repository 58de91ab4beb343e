/* OpenAPI descriptions of the routes in start/routes/platform/users.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import { disableUserValidator } from '#validators/identity/account_security'

const userStatus = {
  type: 'object',
  required: ['id', 'status'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: ['active', 'disabled'] },
  },
}

export const platformUsersDocs = {
  disable: {
    summary: 'Disable an account (platform admin): every session and token ends at once',
    description:
      'Sign-in, token refresh, MFA challenges and every access token stop immediately (cached token lookups are revoked too). School admins cannot disable accounts, which may belong to other schools; they suspend the membership in their school (PATCH /v1/schools/{schoolId}/members/{membershipId} `{ status: "suspended" }`).',
    tags: ['Platform'],
    security: 'bearer',
    body: disableUserValidator,
    responses: {
      200: { description: 'Disabled', schema: userStatus },
      403: { description: 'Not a platform admin, or your own account' },
      404: { description: 'No such account' },
    },
  },
  enable: {
    summary: 'Enable a disabled account again (platform admin); the user signs in anew',
    tags: ['Platform'],
    security: 'bearer',
    responses: {
      200: { description: 'Enabled', schema: userStatus },
      403: { description: 'Not a platform admin' },
      404: { description: 'No such account' },
    },
  },
} satisfies Record<string, RouteDoc>
