/* OpenAPI descriptions of the routes in start/routes/identity/machine_clients.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import * as v from '#validators/identity/machine_clients'
import { dataOf, forbidden, requiredObject } from '#validators/platform/common_docs'

const str = { type: 'string' }
const client = requiredObject({
  id: str,
  name: str,
  clientId: str,
  scopes: { type: 'array', items: str },
  createdAt: str,
  revoked: { type: 'boolean' },
})
const clientWithSecret = requiredObject({ client, clientSecret: str })
const accessToken = requiredObject({
  access_token: str,
  token_type: { const: 'Bearer' },
  expires_in: { type: 'integer' },
  scope: str,
})
const rosterReport = requiredObject({
  summary: { type: 'object' },
  results: {
    type: 'array',
    items: {
      type: 'object',
      required: ['email', 'status'],
      properties: {
        email: str,
        status: { enum: ['created', 'updated', 'unchanged', 'failed'] },
        membershipId: str,
        error: str,
      },
    },
  },
})
const tags = ['Machine clients']
const admin = docArea({ tags, security: 'bearer', ...forbidden })

export const machineClientsDocs = {
  token: docArea({ tags, security: 'none' })(
    'OAuth 2.0 client credentials: a short-lived token for a machine client',
    {
      description:
        'Authenticate with client_id/client_secret in the body or HTTP Basic. Tokens last 10 minutes.',
      body: v.tokenRequestValidator,
      200: ['An access token', accessToken],
      400: 'A requested scope is not granted',
      401: 'Client authentication failed',
    }
  ),
  index: admin("The school's machine clients", {
    200: ['Clients', dataOf(client)],
  }),
  store: admin('Create a machine client (the secret is shown once)', {
    body: v.createMachineClientValidator,
    201: ['Created', clientWithSecret],
  }),
  rotate: admin('Rotate the secret (old secret and tokens stop working)', {
    200: ['The new secret', clientWithSecret],
  }),
  destroy: admin('Revoke a machine client and its tokens', { 204: 'Revoked' }),
  rosterSync: docArea({ tags, security: 'client', ...forbidden })(
    'Bulk, idempotent upsert of learners and cohort memberships (scope roster.write)',
    {
      body: v.rosterSyncValidator,
      200: ['A per-row report', rosterReport],
      401: 'Missing or invalid client token',
    }
  ),
}
