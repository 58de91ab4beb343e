/* Tenancy: platform administration of schools and school administration. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import * as tenancyValidators from '#validators/tenancy'
import { forbidden, list, object } from '#start/routes/schemas'

/** `vine.date({ formats: ['YYYY-MM-DD'] })` has no JSON Schema of its own. */
const cohortDates = {
  startsOn: { type: ['string', 'null'], format: 'date' },
  endsOn: { type: ['string', 'null'], format: 'date' },
}

const SchoolsController = () => import('#controllers/admin/schools_controller')
const MembersController = () => import('#controllers/admin/members_controller')
const CohortsController = () => import('#controllers/admin/cohorts_controller')
import { schoolAuditValidator } from '#validators/audit'
import { auditPageSchema } from '#services/audit_query'

const AuditEventsController = () => import('#controllers/admin/audit_events_controller')
const RolePermissionsController = () => import('#controllers/admin/role_permissions_controller')

const rolePermissions = {
  type: 'object',
  required: ['role', 'permissions', 'overridden'],
  properties: {
    role: { type: 'string' },
    permissions: { type: 'array', items: { type: 'string' } },
    overridden: { type: 'boolean' },
  },
}

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
      bodyProperties: cohortDates,
      responses: { 201: { description: 'Created', schema: object }, ...forbidden },
    })
    router.patch('/cohorts/:cohortId', [CohortsController, 'update']).doc({
      summary: 'Rename or archive a cohort',
      tags: ['School administration'],
      security: 'bearer',
      body: tenancyValidators.updateCohortValidator,
      bodyProperties: cohortDates,
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
    router.get('/roles', [RolePermissionsController, 'index']).doc({
      summary: "Each role's effective permission set in this school",
      tags: ['School administration'],
      security: 'bearer',
      responses: {
        200: {
          description: 'Every role',
          schema: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: rolePermissions } },
          },
        },
        ...forbidden,
      },
    })
    router.put('/roles/:role/permissions', [RolePermissionsController, 'update']).doc({
      summary: "Replace a role's permission set for this school",
      tags: ['School administration'],
      security: 'bearer',
      body: tenancyValidators.rolePermissionsValidator,
      responses: { 200: { description: 'The new set', schema: rolePermissions }, ...forbidden },
    })
    router.delete('/roles/:role/permissions', [RolePermissionsController, 'destroy']).doc({
      summary: "Reset a role to the platform's default permission set",
      tags: ['School administration'],
      security: 'bearer',
      responses: { 204: { description: 'Back to defaults' }, ...forbidden },
    })
    router.get('/audit-events', [AuditEventsController, 'index']).doc({
      summary: "The school's audit log",
      tags: ['School administration'],
      security: 'bearer',
      query: schoolAuditValidator,
      responses: {
        200: { description: 'A page of events, newest first', schema: auditPageSchema },
        ...forbidden,
      },
    })
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])
