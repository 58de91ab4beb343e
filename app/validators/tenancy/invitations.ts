import vine from '@vinejs/vine'
import { SCHOOL_ROLES } from '#services/tenancy/permissions'
import { paginationFields } from '#services/platform/pagination'
import { unpadded } from '#validators/identity/password'

export const createInvitationValidator = vine.create({
  email: vine.string().trim().email().maxLength(254).toLowerCase(),
  role: vine.enum(SCHOOL_ROLES),
  cohortIds: vine.array(vine.string().uuid()).maxLength(50).optional(),
})

export const listInvitationsValidator = vine.create({
  ...paginationFields,
  status: vine.enum(['pending', 'accepted', 'revoked', 'expired', 'failed']).optional(),
})

export const acceptInvitationValidator = vine.create({
  password: vine.string().maxLength(1024).use(unpadded()).optional(),
  fullName: vine.string().trim().minLength(1).maxLength(200).optional(),
})
