/* OpenAPI descriptions of the routes in start/routes/identity/machine_clients.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as validators from '#validators/identity/machine_clients'
import { forbidden } from '#validators/platform/common_docs'

const client = {
  type: 'object',
  required: ['id', 'name', 'clientId', 'scopes', 'createdAt', 'revoked'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    clientId: { type: 'string' },
    scopes: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string' },
    revoked: { type: 'boolean' },
  },
}
const clientWithSecret = {
  type: 'object',
  required: ['client', 'clientSecret'],
  properties: { client, clientSecret: { type: 'string' } },
}

export const machineClientsDocs = {
  token: {
    summary: 'OAuth 2.0 client credentials: a short-lived token for a machine client',
    description:
      'Authenticate with client_id/client_secret in the body or HTTP Basic. Tokens last 10 minutes.',
    tags: ['Machine clients'],
    security: 'none',
    body: validators.tokenRequestValidator,
    responses: {
      200: {
        description: 'An access token',
        schema: {
          type: 'object',
          required: ['access_token', 'token_type', 'expires_in', 'scope'],
          properties: {
            access_token: { type: 'string' },
            token_type: { const: 'Bearer' },
            expires_in: { type: 'integer' },
            scope: { type: 'string' },
          },
        },
      },
      400: { description: 'A requested scope is not granted' },
      401: { description: 'Client authentication failed' },
    },
  },
  index: {
    summary: "The school's machine clients",
    tags: ['Machine clients'],
    security: 'bearer',
    responses: {
      200: {
        description: 'Clients',
        schema: {
          type: 'object',
          required: ['data'],
          properties: { data: { type: 'array', items: client } },
        },
      },
      ...forbidden,
    },
  },
  store: {
    summary: 'Create a machine client (the secret is shown once)',
    tags: ['Machine clients'],
    security: 'bearer',
    body: validators.createMachineClientValidator,
    responses: { 201: { description: 'Created', schema: clientWithSecret }, ...forbidden },
  },
  rotate: {
    summary: 'Rotate the secret (old secret and tokens stop working)',
    tags: ['Machine clients'],
    security: 'bearer',
    responses: { 200: { description: 'The new secret', schema: clientWithSecret }, ...forbidden },
  },
  destroy: {
    summary: 'Revoke a machine client and its tokens',
    tags: ['Machine clients'],
    security: 'bearer',
    responses: { 204: { description: 'Revoked' }, ...forbidden },
  },
  rosterSync: {
    summary: 'Bulk, idempotent upsert of learners and cohort memberships (scope roster.write)',
    tags: ['Machine clients'],
    security: 'client',
    body: validators.rosterSyncValidator,
    responses: {
      200: {
        description: 'A per-row report',
        schema: {
          type: 'object',
          required: ['summary', 'results'],
          properties: {
            summary: { type: 'object' },
            results: {
              type: 'array',
              items: {
                type: 'object',
                required: ['email', 'status'],
                properties: {
                  email: { type: 'string' },
                  status: { enum: ['created', 'updated', 'unchanged', 'failed'] },
                  membershipId: { type: 'string' },
                  error: { type: 'string' },
                },
              },
            },
          },
        },
      },
      401: { description: 'Missing or invalid client token' },
      ...forbidden,
    },
  },
} satisfies Record<string, RouteDoc>
