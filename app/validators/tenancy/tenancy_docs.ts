/* OpenAPI descriptions of the routes in start/routes/tenancy/schools.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as tenancyValidators from '#validators/tenancy/tenancy'
import { forbidden, list, object } from '#validators/platform/common_docs'
import { schoolAuditValidator } from '#validators/platform/audit'
import { auditPageSchema } from '#services/platform/audit_query'

/** `vine.date({ formats: ['YYYY-MM-DD'] })` has no JSON Schema of its own. */
const cohortDates = {
  startsOn: { type: ['string', 'null'], format: 'date' },
  endsOn: { type: ['string', 'null'], format: 'date' },
}
const rolePermissions = {
  type: 'object',
  required: ['role', 'permissions', 'overridden'],
  properties: {
    role: { type: 'string' },
    permissions: { type: 'array', items: { type: 'string' } },
    overridden: { type: 'boolean' },
  },
}

export const schoolsDocs = {
  index: {
    summary: 'List schools (platform admin)',
    tags: ['Platform'],
    security: 'bearer',
    query: tenancyValidators.listQueryValidator,
    responses: { 200: { description: 'A page of schools', schema: list }, ...forbidden },
  },
  store: {
    summary: 'Create a school (platform admin)',
    tags: ['Platform'],
    security: 'bearer',
    body: tenancyValidators.createSchoolValidator,
    responses: {
      201: { description: 'Created', schema: object },
      409: { description: 'Slug taken' },
      ...forbidden,
    },
  },
  update: {
    summary: 'Update or suspend a school (platform admin)',
    tags: ['Platform'],
    security: 'bearer',
    body: tenancyValidators.updateSchoolValidator,
    responses: { 200: { description: 'Updated', schema: object }, ...forbidden },
  },
} satisfies Record<string, RouteDoc>

export const membersDocs = {
  index: {
    summary: 'List members (filter by role, status, cohort; search by name or e-mail)',
    tags: ['School administration'],
    security: 'bearer',
    query: tenancyValidators.listMembersValidator,
    responses: { 200: { description: 'A page of members', schema: list }, ...forbidden },
  },
  update: {
    summary: "Change a member's role, status or extra permissions",
    tags: ['School administration'],
    security: 'bearer',
    body: tenancyValidators.updateMemberValidator,
    responses: { 200: { description: 'Updated', schema: object }, ...forbidden },
  },
} satisfies Record<string, RouteDoc>

export const cohortsDocs = {
  index: {
    summary: 'List cohorts',
    tags: ['School administration'],
    security: 'bearer',
    query: tenancyValidators.listQueryValidator,
    responses: { 200: { description: 'A page of cohorts', schema: list }, ...forbidden },
  },
  store: {
    summary: 'Create a cohort',
    tags: ['School administration'],
    security: 'bearer',
    body: tenancyValidators.createCohortValidator,
    bodyProperties: cohortDates,
    responses: { 201: { description: 'Created', schema: object }, ...forbidden },
  },
  update: {
    summary: 'Rename or archive a cohort',
    tags: ['School administration'],
    security: 'bearer',
    body: tenancyValidators.updateCohortValidator,
    bodyProperties: cohortDates,
    responses: { 200: { description: 'Updated', schema: object }, ...forbidden },
  },
  addMember: {
    summary: 'Add a learner or mentor to a cohort',
    tags: ['School administration'],
    security: 'bearer',
    body: tenancyValidators.addCohortMemberValidator,
    responses: {
      201: { description: 'Added', schema: object },
      409: { description: 'Already in the cohort' },
      ...forbidden,
    },
  },
  removeMember: {
    summary: 'Remove someone from a cohort',
    tags: ['School administration'],
    security: 'bearer',
    responses: { 204: { description: 'Removed' }, ...forbidden },
  },
  assignMentor: {
    summary: 'Assign a mentor to a learner within a cohort',
    tags: ['School administration'],
    security: 'bearer',
    body: tenancyValidators.mentorAssignmentValidator,
    responses: {
      201: { description: 'Assigned', schema: object },
      409: { description: 'This mentor is already assigned to this learner in the cohort' },
      ...forbidden,
    },
  },
} satisfies Record<string, RouteDoc>

export const rolePermissionsDocs = {
  index: {
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
  },
  update: {
    summary: "Replace a role's permission set for this school",
    tags: ['School administration'],
    security: 'bearer',
    body: tenancyValidators.rolePermissionsValidator,
    responses: { 200: { description: 'The new set', schema: rolePermissions }, ...forbidden },
  },
  destroy: {
    summary: "Reset a role to the platform's default permission set",
    tags: ['School administration'],
    security: 'bearer',
    responses: { 204: { description: 'Back to defaults' }, ...forbidden },
  },
} satisfies Record<string, RouteDoc>

export const auditEventsDocs = {
  index: {
    summary: "The school's audit log",
    tags: ['School administration'],
    security: 'bearer',
    query: schoolAuditValidator,
    responses: {
      200: { description: 'A page of events, newest first', schema: auditPageSchema },
      ...forbidden,
    },
  },
} satisfies Record<string, RouteDoc>
