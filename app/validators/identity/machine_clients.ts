import vine from '@vinejs/vine'
import { MACHINE_SCOPES } from '#services/identity/machine_client_service'

export const createMachineClientValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(200),
  scopes: vine.array(vine.enum(MACHINE_SCOPES)).minLength(1).maxLength(MACHINE_SCOPES.length),
})

export const tokenRequestValidator = vine.create({
  grant_type: vine.literal('client_credentials'),
  client_id: vine.string().trim().maxLength(100).optional(),
  client_secret: vine.string().trim().maxLength(200).optional(),
  scope: vine.string().trim().maxLength(200).optional(),
})

export const rosterSyncValidator = vine.create({
  learners: vine
    .array(
      vine.object({
        email: vine.string().trim().email().maxLength(254).toLowerCase(),
        fullName: vine.string().trim().minLength(1).maxLength(200).optional(),
        cohortIds: vine.array(vine.string().uuid()).maxLength(20).optional(),
      })
    )
    .minLength(1)
    .maxLength(500),
})
