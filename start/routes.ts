/*
| Routes. Every route carries `.doc({...})`: the OpenAPI document is built from
| these, and a test fails when a registered route has none.
*/
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { authIpThrottle } from '#start/limiter'
import * as authValidators from '#validators/auth'
import * as tenancyValidators from '#validators/tenancy'

const HealthController = () => import('#controllers/health_controller')
const OpenApiController = () => import('#controllers/openapi_controller')
const ApiIndexController = () => import('#controllers/api_index_controller')
const AuthController = () => import('#controllers/auth_controller')
const MeController = () => import('#controllers/me_controller')
const SchoolsController = () => import('#controllers/admin/schools_controller')
const MembersController = () => import('#controllers/admin/members_controller')
const CohortsController = () => import('#controllers/admin/cohorts_controller')
const AuditEventsController = () => import('#controllers/admin/audit_events_controller')

const object = { type: 'object' }
const list = {
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: { data: { type: 'array' }, nextCursor: { type: ['string', 'null'] } },
}
const tokenPair = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'expiresIn', 'tokenType'],
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    expiresIn: { type: 'integer' },
    tokenType: { const: 'Bearer' },
  },
}
const forbidden = { 403: { description: 'The caller lacks the permission' } }

const healthReport = {
  type: 'object',
  properties: {
    status: { enum: ['ok', 'warning', 'error'] },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          status: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
}

router.get('/health/live', [HealthController, 'live']).doc({
  summary: 'Liveness probe',
  tags: ['Operations'],
  security: 'none',
  responses: { 200: { description: 'The process serves HTTP', schema: { type: 'object' } } },
})
router.get('/health/ready', [HealthController, 'ready']).doc({
  summary: 'Readiness probe (PostgreSQL, Redis, Temporal, S3, search)',
  tags: ['Operations'],
  security: 'none',
  responses: {
    200: { description: 'Every dependency answers', schema: healthReport },
    503: { description: 'At least one dependency is failing' },
  },
})
router.get('/openapi.json', [OpenApiController, 'document']).doc({
  summary: 'This OpenAPI 3.1 document',
  tags: ['Operations'],
  security: 'none',
  responses: { 200: { description: 'The document', schema: { type: 'object' } } },
})
router.get('/docs', [OpenApiController, 'page']).doc({
  summary: 'Readable API documentation',
  tags: ['Operations'],
  security: 'none',
  responses: {
    200: { description: 'HTML page', contentType: 'text/html', schema: { type: 'string' } },
  },
})
router.get('/docs/assets/:file', [OpenApiController, 'asset']).doc({
  summary: 'Static assets of the documentation page',
  tags: ['Operations'],
  security: 'none',
  responses: {
    200: {
      description: 'CSS or JavaScript',
      contentType: 'text/plain',
      schema: { type: 'string' },
    },
  },
})

router
  .group(() => {
    router.get('/', [ApiIndexController, 'show']).doc({
      summary: 'API index',
      tags: ['Operations'],
      security: 'none',
      responses: {
        200: {
          description: 'Name, version and links',
          schema: {
            type: 'object',
            required: ['name', 'version'],
            properties: {
              name: { type: 'string' },
              version: { type: 'string' },
              links: { type: 'object' },
            },
          },
        },
      },
    })
  })
  .prefix('/v1')

/* Identity */
router
  .group(() => {
    router
      .post('/register', [AuthController, 'register'])
      .use(authIpThrottle)
      .doc({
        summary: 'Create an account (answers the same whether or not the e-mail is taken)',
        tags: ['Authentication'],
        security: 'none',
        body: authValidators.registerValidator,
        responses: { 202: { description: 'Check your inbox', schema: object } },
      })
    router
      .post('/verify-email', [AuthController, 'verifyEmail'])
      .use(authIpThrottle)
      .doc({
        summary: 'Confirm an e-mail address with the token from the link',
        tags: ['Authentication'],
        security: 'none',
        body: authValidators.verifyEmailValidator,
        responses: {
          200: { description: 'Verified', schema: object },
          400: { description: 'Invalid, used or expired token' },
        },
      })
    router
      .post('/login', [AuthController, 'login'])
      .use(authIpThrottle)
      .doc({
        summary: 'Sign in with e-mail and password',
        tags: ['Authentication'],
        security: 'none',
        body: authValidators.loginValidator,
        responses: {
          200: { description: 'Access and refresh tokens', schema: tokenPair },
          401: { description: 'Wrong e-mail or password (same answer for unknown accounts)' },
          403: { description: 'E-mail address not confirmed yet' },
        },
      })
    router
      .post('/refresh', [AuthController, 'refresh'])
      .use(authIpThrottle)
      .doc({
        summary: 'Rotate a refresh token (one-time use; reuse revokes the session)',
        tags: ['Authentication'],
        security: 'none',
        body: authValidators.refreshValidator,
        responses: {
          200: { description: 'A new token pair', schema: tokenPair },
          401: { description: 'Invalid, expired, revoked or reused refresh token' },
        },
      })
    router
      .post('/logout', [AuthController, 'logout'])
      .use(middleware.auth())
      .doc({
        summary: 'End this session',
        tags: ['Authentication'],
        security: 'bearer',
        responses: { 204: { description: 'Signed out' } },
      })
    router
      .post('/logout-all', [AuthController, 'logoutAll'])
      .use(middleware.auth())
      .doc({
        summary: 'End every session of the caller',
        tags: ['Authentication'],
        security: 'bearer',
        responses: { 204: { description: 'Signed out everywhere' } },
      })
  })
  .prefix('/v1/auth')

router
  .get('/v1/me', [MeController, 'show'])
  .use(middleware.auth())
  .doc({
    summary: 'The caller, their schools, roles and effective permissions',
    tags: ['Me'],
    security: 'bearer',
    responses: { 200: { description: 'The caller', schema: object } },
  })

/* Platform administration */
router
  .group(() => {
    router.get('/', [SchoolsController, 'index']).doc({
      summary: 'List schools (platform admin)',
      tags: ['Platform'],
      security: 'bearer',
      query: tenancyValidators.listQueryValidator,
      responses: { 200: { description: 'A page of schools', schema: list }, ...forbidden },
    })
    router.post('/', [SchoolsController, 'store']).doc({
      summary: 'Create a school (platform admin)',
      tags: ['Platform'],
      security: 'bearer',
      body: tenancyValidators.createSchoolValidator,
      responses: {
        201: { description: 'Created', schema: object },
        409: { description: 'Slug taken' },
        ...forbidden,
      },
    })
    router.patch('/:id', [SchoolsController, 'update']).doc({
      summary: 'Update or suspend a school (platform admin)',
      tags: ['Platform'],
      security: 'bearer',
      body: tenancyValidators.updateSchoolValidator,
      responses: { 200: { description: 'Updated', schema: object }, ...forbidden },
    })
  })
  .prefix('/v1/platform/schools')
  .use(middleware.auth())

/* Inside one school: the school context middleware resolves :schoolId and opens the RLS transaction. */
router
  .group(() => {
    router.get('/members', [MembersController, 'index']).doc({
      summary: 'List members (filter by role, status, cohort; search by name or e-mail)',
      tags: ['School administration'],
      security: 'bearer',
      query: tenancyValidators.listMembersValidator,
      responses: { 200: { description: 'A page of members', schema: list }, ...forbidden },
    })
    router.patch('/members/:membershipId', [MembersController, 'update']).doc({
      summary: "Change a member's role, status or extra permissions",
      tags: ['School administration'],
      security: 'bearer',
      body: tenancyValidators.updateMemberValidator,
      responses: { 200: { description: 'Updated', schema: object }, ...forbidden },
    })
    router.get('/cohorts', [CohortsController, 'index']).doc({
      summary: 'List cohorts',
      tags: ['School administration'],
      security: 'bearer',
      query: tenancyValidators.listQueryValidator,
      responses: { 200: { description: 'A page of cohorts', schema: list }, ...forbidden },
    })
    router.post('/cohorts', [CohortsController, 'store']).doc({
      summary: 'Create a cohort',
      tags: ['School administration'],
      security: 'bearer',
      body: tenancyValidators.createCohortValidator,
      responses: { 201: { description: 'Created', schema: object }, ...forbidden },
    })
    router.patch('/cohorts/:cohortId', [CohortsController, 'update']).doc({
      summary: 'Rename or archive a cohort',
      tags: ['School administration'],
      security: 'bearer',
      body: tenancyValidators.updateCohortValidator,
      responses: { 200: { description: 'Updated', schema: object }, ...forbidden },
    })
    router.post('/cohorts/:cohortId/members', [CohortsController, 'addMember']).doc({
      summary: 'Add a learner or mentor to a cohort',
      tags: ['School administration'],
      security: 'bearer',
      body: tenancyValidators.addCohortMemberValidator,
      responses: {
        201: { description: 'Added', schema: object },
        409: { description: 'Already in the cohort' },
        ...forbidden,
      },
    })
    router
      .delete('/cohorts/:cohortId/members/:membershipId', [CohortsController, 'removeMember'])
      .doc({
        summary: 'Remove someone from a cohort',
        tags: ['School administration'],
        security: 'bearer',
        responses: { 204: { description: 'Removed' }, ...forbidden },
      })
    router.post('/cohorts/:cohortId/mentor-assignments', [CohortsController, 'assignMentor']).doc({
      summary: 'Assign a mentor to a learner within a cohort',
      tags: ['School administration'],
      security: 'bearer',
      body: tenancyValidators.mentorAssignmentValidator,
      responses: { 201: { description: 'Assigned', schema: object }, ...forbidden },
    })
    router.get('/audit-events', [AuditEventsController, 'index']).doc({
      summary: "The school's audit log",
      tags: ['School administration'],
      security: 'bearer',
      query: tenancyValidators.listAuditValidator,
      responses: {
        200: { description: 'A page of events, newest first', schema: list },
        ...forbidden,
      },
    })
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])
