import vine from '@vinejs/vine'
import { issuedToken } from '#validators/issued_token'
import { SCHOOL_ROLES } from '#services/permissions'
import { paginationFields } from '#services/pagination'

const email = () => vine.string().trim().email().maxLength(254).toLowerCase()

export const createInvitationValidator = vine.create({
  email: email(),
  role: vine.enum(SCHOOL_ROLES),
  cohortIds: vine.array(vine.string().uuid()).maxLength(50).optional(),
})

export const listInvitationsValidator = vine.create({
  ...paginationFields,
  status: vine.enum(['pending', 'accepted', 'revoked', 'expired', 'failed']).optional(),
})

export const acceptInvitationValidator = vine.create({
  password: vine.string().maxLength(1024).optional(),
  fullName: vine.string().trim().minLength(1).maxLength(200).optional(),
})

export const mfaRecoveryRequestValidator = vine.create({ email: email() })

export const mfaRecoveryTokenValidator = vine.create({
  token: issuedToken(),
})
