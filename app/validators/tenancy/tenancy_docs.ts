/* OpenAPI descriptions of the routes in start/routes/tenancy/schools.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import * as v from '#validators/tenancy/tenancy'
import { dataOf, forbidden, list, object } from '#validators/platform/common_docs'
import { schoolAuditValidator } from '#validators/platform/audit'
import { auditPageSchema } from '#services/platform/audit_query'

/** `vine.date({ formats: ['YYYY-MM-DD'] })` has no JSON Schema of its own. */
const bodyProperties = {
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
const platform = docArea({ tags: ['Platform'], security: 'bearer', ...forbidden })
const admin = docArea({ tags: ['School administration'], security: 'bearer', ...forbidden })
const created = ['Created', object] as const
const updated = ['Updated', object] as const

export const schoolsDocs = {
  index: platform('List schools (platform admin)', {
    query: v.listQueryValidator,
    200: ['A page of schools', list],
  }),
  store: platform('Create a school (platform admin)', {
    body: v.createSchoolValidator,
    201: created,
    409: 'Slug taken',
  }),
  update: platform('Update or suspend a school (platform admin)', {
    body: v.updateSchoolValidator,
    200: updated,
  }),
}

export const membersDocs = {
  index: admin('List members (filter by role, status, cohort; search by name or e-mail)', {
    query: v.listMembersValidator,
    200: ['A page of members', list],
  }),
  update: admin("Change a member's role, status or extra permissions", {
    body: v.updateMemberValidator,
    200: updated,
  }),
}

export const cohortsDocs = {
  index: admin('List cohorts', { query: v.listQueryValidator, 200: ['A page of cohorts', list] }),
  store: admin('Create a cohort', {
    body: v.createCohortValidator,
    bodyProperties,
    201: created,
  }),
  update: admin('Rename or archive a cohort', {
    body: v.updateCohortValidator,
    bodyProperties,
    200: updated,
  }),
  addMember: admin('Add a learner or mentor to a cohort', {
    body: v.addCohortMemberValidator,
    201: ['Added', object],
    409: 'Already in the cohort',
  }),
  removeMember: admin('Remove someone from a cohort', { 204: 'Removed' }),
  assignMentor: admin('Assign a mentor to a learner within a cohort', {
    body: v.mentorAssignmentValidator,
    201: ['Assigned', object],
    409: 'This mentor is already assigned to this learner in the cohort',
  }),
}

export const rolePermissionsDocs = {
  index: admin("Each role's effective permission set in this school", {
    200: ['Every role', dataOf(rolePermissions)],
  }),
  update: admin("Replace a role's permission set for this school", {
    body: v.rolePermissionsValidator,
    200: ['The new set', rolePermissions],
  }),
  destroy: admin("Reset a role to the platform's default permission set", {
    204: 'Back to defaults',
  }),
}

export const auditEventsDocs = {
  index: admin("The school's audit log", {
    query: schoolAuditValidator,
    200: ['A page of events, newest first', auditPageSchema],
  }),
}
