/* Machine clients: OAuth 2.0 client credentials, their administration, roster sync. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { authIpThrottle, machineClientThrottle } from '#start/limiter'
import * as validators from '#validators/machine_clients'
import { forbidden } from '#start/routes/schemas'

const MachineClientsController = () => import('#controllers/machine_clients_controller')

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

router
  .post('/v1/oauth/token', [MachineClientsController, 'token'])
  .use(authIpThrottle)
  .doc({
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
  })

router
  .group(() => {
    router.get('/oauth-clients', [MachineClientsController, 'index']).doc({
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
    })
    router.post('/oauth-clients', [MachineClientsController, 'store']).doc({
      summary: 'Create a machine client (the secret is shown once)',
      tags: ['Machine clients'],
      security: 'bearer',
      body: validators.createMachineClientValidator,
      responses: { 201: { description: 'Created', schema: clientWithSecret }, ...forbidden },
    })
    router.post('/oauth-clients/:clientId/rotate', [MachineClientsController, 'rotate']).doc({
      summary: 'Rotate the secret (old secret and tokens stop working)',
      tags: ['Machine clients'],
      security: 'bearer',
      responses: { 200: { description: 'The new secret', schema: clientWithSecret }, ...forbidden },
    })
    router.delete('/oauth-clients/:clientId', [MachineClientsController, 'destroy']).doc({
      summary: 'Revoke a machine client and its tokens',
      tags: ['Machine clients'],
      security: 'bearer',
      responses: { 204: { description: 'Revoked' }, ...forbidden },
    })
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])

/* `roster/sync`, not `roster:sync`: in an Adonis pattern `:sync` would be a route parameter. */
router
  .post('/v1/schools/:schoolId/roster/sync', [MachineClientsController, 'rosterSync'])
  .use([middleware.client({ scope: 'roster.write' }), machineClientThrottle])
  .doc({
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
  })
