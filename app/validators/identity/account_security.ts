import vine from '@vinejs/vine'
import { issuedToken } from '#validators/identity/issued_token'
import { unpadded } from '#validators/identity/password'

const totpCode = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{6}$/)
const recoveryCode = () => vine.string().trim().minLength(8).maxLength(40)

export const forgotPasswordValidator = vine.create({
  email: vine.string().trim().email().maxLength(254).toLowerCase(),
})

/** The password policy needs the account's e-mail: the service checks it with the token's user. */
export const resetPasswordValidator = vine.create({
  token: issuedToken(),
  password: vine.string().maxLength(200).use(unpadded()),
})

export const mfaChallengeValidator = vine.create({
  challengeToken: issuedToken(),
  code: totpCode().optional().requiredIfMissing('recoveryCode'),
  recoveryCode: recoveryCode().optional(),
})

export const totpConfirmValidator = vine.create({
  code: totpCode(),
})

export const totpDisableValidator = vine.create({
  code: totpCode().optional().requiredIfMissing('recoveryCode'),
  recoveryCode: recoveryCode().optional(),
})

export const recoveryCodesValidator = vine.create({
  code: totpCode(),
})

/** Re-authentication of the current session: the password, or a TOTP code. */
export const reauthenticateValidator = vine.create({
  password: vine.string().trim().maxLength(1024).optional().requiredIfMissing('code'),
  code: totpCode().optional(),
})

/** The policy (length, common passwords, e-mail) is checked by the service. */
export const changePasswordValidator = vine.create({
  currentPassword: vine.string().trim().maxLength(1024).optional(),
  newPassword: vine.string().maxLength(200).use(unpadded()),
})

export const disableUserValidator = vine.create({
  reason: vine.string().trim().maxLength(500).optional(),
})
