import vine from '@vinejs/vine'
import { PERMISSIONS, SCHOOL_ROLES } from '#services/tenancy/permissions'
import { paginationFields } from '#services/platform/pagination'

const domain = () =>
  vine
    .string()
    .trim()
    .toLowerCase()
    .maxLength(253)
    .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/)

export const createSchoolValidator = vine.create({
  slug: vine
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
  name: vine.string().trim().minLength(1).maxLength(200),
  allowedEmailDomains: vine.array(domain()).maxLength(20).optional(),
  mfaRequiredForAdmins: vine.boolean().optional(),
})

export const updateSchoolValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(200).optional(),
  status: vine.enum(['active', 'suspended']).optional(),
  allowedEmailDomains: vine.array(domain()).maxLength(20).optional(),
  mfaRequiredForAdmins: vine.boolean().optional(),
})

export const listQueryValidator = vine.create({ ...paginationFields })

export const listMembersValidator = vine.create({
  ...paginationFields,
  role: vine.enum(SCHOOL_ROLES).optional(),
  status: vine.enum(['active', 'suspended', 'ended']).optional(),
  cohortId: vine.string().uuid().optional(),
  search: vine.string().trim().maxLength(200).optional(),
})

export const updateMemberValidator = vine.create({
  role: vine.enum(SCHOOL_ROLES).optional(),
  status: vine.enum(['active', 'suspended', 'ended']).optional(),
  extraPermissions: vine.array(vine.enum(PERMISSIONS)).maxLength(PERMISSIONS.length).optional(),
})

const isoDate = () => vine.date({ formats: ['YYYY-MM-DD'] })

export const createCohortValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(200),
  term: vine.string().trim().maxLength(100).optional(),
  startsOn: isoDate().optional(),
  endsOn: isoDate().afterOrSameAs('startsOn').optional(),
})

export const updateCohortValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(200).optional(),
  term: vine.string().trim().maxLength(100).optional(),
  archived: vine.boolean().optional(),
})

export const addCohortMemberValidator = vine.create({
  membershipId: vine.string().uuid(),
  cohortRole: vine.enum(['mentor', 'learner']),
})

export const mentorAssignmentValidator = vine.create({
  mentorMembershipId: vine.string().uuid(),
  learnerMembershipId: vine.string().uuid(),
})

export const rolePermissionsValidator = vine.create({
  permissions: vine.array(vine.enum(PERMISSIONS)).maxLength(PERMISSIONS.length),
})
