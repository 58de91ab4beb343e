import vine from '@vinejs/vine'
import { issuedToken } from '#validators/identity/issued_token'
import { passwordProblem } from '#services/identity/password_policy'
import { unpadded } from '#validators/identity/password'

const email = () => vine.string().trim().email().maxLength(254).toLowerCase()

/** The password policy as a VineJS rule, with the sibling `email` and `fullName` as context. */
const strongPassword = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const problem = passwordProblem(value, {
    email: field.parent?.email,
    name: field.parent?.fullName,
  })
  if (problem) field.report(problem, 'password_policy', field)
})

export const registerValidator = vine.create({
  email: email(),
  password: vine.string().maxLength(200).use(unpadded()).use(strongPassword()),
  fullName: vine.string().trim().minLength(1).maxLength(200).optional(),
})

export const verifyEmailValidator = vine.create({
  token: issuedToken(),
})

/** `deviceId` + `deviceToken` come from an earlier sign-in: they identify a known (maybe trusted) device. */
export const deviceFields = {
  deviceId: vine.string().trim().uuid().optional(),
  deviceToken: vine.string().trim().maxLength(200).optional(),
}

export const loginValidator = vine.create({
  email: email(),
  // Checked as it was set: a password set before is found with or without spaces around it.
  password: vine.string().trim().maxLength(200),
  ...deviceFields,
})

export const refreshValidator = vine.create({
  refreshToken: vine.string().trim().minLength(10).maxLength(200),
})
