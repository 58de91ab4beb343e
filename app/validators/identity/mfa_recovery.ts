import vine from '@vinejs/vine'
import { issuedToken } from '#validators/identity/issued_token'

export const mfaRecoveryRequestValidator = vine.create({
  email: vine.string().trim().email().maxLength(254).toLowerCase(),
})

export const mfaRecoveryTokenValidator = vine.create({
  token: issuedToken(),
})
