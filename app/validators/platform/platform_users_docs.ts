/* OpenAPI descriptions of the routes in start/routes/platform/users.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import { disableUserValidator } from '#validators/identity/account_security'
import { requiredObject } from '#validators/platform/common_docs'

const userStatus = requiredObject({
  id: { type: 'string', format: 'uuid' },
  status: { type: 'string', enum: ['active', 'disabled'] },
})
const platform = docArea({ tags: ['Platform'], security: 'bearer', 404: 'No such account' })

export const platformUsersDocs = {
  disable: platform('Disable an account (platform admin): every session and token ends at once', {
    description:
      'Sign-in, token refresh, MFA challenges and every access token stop immediately (cached token lookups are revoked too). School admins cannot disable accounts, which may belong to other schools; they suspend the membership in their school (PATCH /v1/schools/{schoolId}/members/{membershipId} `{ status: "suspended" }`).',
    body: disableUserValidator,
    200: ['Disabled', userStatus],
    403: 'Not a platform admin, or your own account',
  }),
  enable: platform('Enable a disabled account again (platform admin); the user signs in anew', {
    200: ['Enabled', userStatus],
    403: 'Not a platform admin',
  }),
}
