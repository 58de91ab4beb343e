/* OpenAPI descriptions of the routes in start/routes/identity/account_security.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import * as v from '#validators/identity/account_security'
import { requiredObject } from '#validators/platform/common_docs'
import { authArea as auth, meArea as me, tokenPair } from '#validators/identity/identity_docs'

const recoveryCodes = { type: 'array', minItems: 10, maxItems: 10, items: { type: 'string' } }
const isoDate = { type: 'string', format: 'date-time' }
const session = {
  type: 'object',
  required: ['id', 'deviceId', 'deviceName', 'lastIp', 'createdAt', 'lastUsedAt', 'current'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    deviceId: { type: 'string', format: 'uuid' },
    deviceName: { type: 'string' },
    lastIp: { type: ['string', 'null'] },
    createdAt: isoDate,
    lastUsedAt: isoDate,
    current: { type: 'boolean' },
  },
}
const device = {
  type: 'object',
  required: [
    'id',
    'name',
    'lastIp',
    'firstSeenAt',
    'lastSeenAt',
    'trustedUntil',
    'activeSessions',
    'current',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    lastIp: { type: ['string', 'null'] },
    firstSeenAt: isoDate,
    lastSeenAt: isoDate,
    trustedUntil: { oneOf: [isoDate, { type: 'null' }] },
    activeSessions: { type: 'integer' },
    current: { type: 'boolean' },
  },
}
const listOf = (item: object) => ({
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: { data: { type: 'array', items: item }, nextCursor: { type: 'null' } },
})
const notFound = { 404: 'No such session/device of yours' }
/** Sensitive changes answer this when the session has not authenticated recently. */
const stepUp = {
  403: 'Problem type `…/reauthentication-required`: the session has not signed in or re-authenticated within the last 10 minutes; call POST /v1/me/reauthenticate, then retry',
}
const stepUpNote =
  ' Needs a recent authentication (sign-in or POST /v1/me/reauthenticate within 10 minutes), else 403 `reauthentication-required`.'
const throttled = { 429: 'Too many attempts (per account); see Retry-After' }
/** Wrong second-factor codes are throttled per account. */
const codeChecked = { ...throttled, 422: 'Wrong or reused code' }
const codeNote = `Wrong codes count per account (5 per 15 minutes).${stepUpNote}`
const enrollmentNote = (start: string) => start + stepUpNote.replace(' Needs', ' needs')
const noAuthenticator = { 404: 'No authenticator set up' }
const noToken = { 401: 'No valid access or enrollment token' }
const str = { type: 'string' }
const enrollment = requiredObject({
  secret: str,
  otpauthUri: { type: 'string', pattern: '^otpauth://totp/' },
  qrCode: { type: 'string', pattern: '^data:image/svg\\+xml;base64,' },
  digits: { const: 6 },
  period: { const: 30 },
  algorithm: { const: 'SHA1' },
})
const confirmation = {
  type: 'object',
  required: ['confirmed', 'recoveryCodes'],
  properties: { ...tokenPair.properties, confirmed: { const: true }, recoveryCodes },
}
/** Changing your own factors: a recent authentication, and code attempts are counted. */
const mfa = docArea({ tags: ['MFA'], security: 'bearer', ...stepUp, ...throttled })

export const passwordResetDocs = {
  forgot: auth('Ask for a password reset link (always 202, same body for unknown addresses)', {
    body: v.forgotPasswordValidator,
    202: ['Check your inbox', requiredObject({ message: str })],
  }),
  reset: auth(
    'Choose a new password with the mailed token (single use, 30 minutes); signs out everywhere',
    {
      body: v.resetPasswordValidator,
      200: [
        'Password changed, every session revoked',
        requiredObject({ passwordReset: { const: true } }),
      ],
      400: 'Invalid, used or expired token',
      422: 'The password does not meet the policy',
    }
  ),
}

export const mfaDocs = {
  challenge: auth('Finish a sign-in with a TOTP code or a recovery code', {
    description:
      'The challenge token comes from a sign-in answering `{ mfaRequired: true }`. It lives 5 minutes, works once, and dies after 5 wrong codes.',
    body: v.mfaChallengeValidator,
    bodyRequiresOneOf: ['code', 'recoveryCode'],
    200: ['Access and refresh tokens', tokenPair],
    401: 'Wrong code, or invalid/used/expired challenge',
  }),
  enroll: mfa('Start TOTP enrollment: a secret, its otpauth URI and a QR code', {
    description: enrollmentNote(
      'Accepts an access token or the enrollment token of a sign-in that answered `{ mfaEnrollmentRequired: true }`. With an access token it'
    ),
    200: ['The new secret (not active until confirmed)', enrollment],
    ...noToken,
    409: 'An authenticator is already set up',
  }),
  confirm: mfa('Confirm TOTP enrollment with a first code; returns recovery codes (shown once)', {
    description: enrollmentNote(
      'With an enrollment token, the answer also carries the token pair of the sign-in it completes. With an access token it'
    ),
    body: v.totpConfirmValidator,
    200: ['Confirmed', confirmation],
    ...noToken,
    404: 'No enrollment started',
    409: 'Already confirmed',
    ...codeChecked,
  }),
  disable: mfa('Remove the authenticator (needs a fresh TOTP code or a recovery code)', {
    description: codeNote,
    body: v.totpDisableValidator,
    bodyRequiresOneOf: ['code', 'recoveryCode'],
    204: 'Removed, with the recovery codes and device trust',
    ...noAuthenticator,
    ...codeChecked,
  }),
  recoveryCodes: mfa(
    'Replace the recovery codes with 10 new one-time codes (needs a fresh TOTP code)',
    {
      description: codeNote,
      body: v.recoveryCodesValidator,
      200: ['The new codes, shown once', requiredObject({ recoveryCodes })],
      ...noAuthenticator,
      ...codeChecked,
    }
  ),
}

export const meSecurityDocs = {
  reauthenticate: me('Re-authenticate this session (step-up) with your password or a TOTP code', {
    description:
      'Sensitive changes (authenticator enrollment and removal, recovery codes, device trust, password) answer 403 with problem type `…/reauthentication-required` when this session has not signed in or re-authenticated within the last 10 minutes (`SESSION_REAUTHENTICATION_WINDOW`). Send `{ password }` or `{ code }` here, then retry the change. Wrong passwords count against the account lockout of sign-in; wrong codes against the per-account second-factor limit. Refreshing tokens does not renew the authentication time.',
    body: v.reauthenticateValidator,
    bodyRequiresOneOf: ['password', 'code'],
    200: [
      'Re-authenticated; sensitive changes are allowed until `validUntil`',
      requiredObject({ authenticatedAt: isoDate, validUntil: isoDate }),
    ],
    404: 'A code was sent but no authenticator is set up',
    422: 'Wrong password, or wrong or reused code',
    ...throttled,
  }),
  changePassword: me('Change your password; signs out every other session', {
    description:
      '`currentPassword` proves it is you now (wrong answers count against the sign-in lockout). Without it (accounts created by Google/Microsoft sign-in have no password you know) the session must have authenticated within the last 10 minutes, else 403 `reauthentication-required`. The password policy applies to `newPassword`; other sessions and pending reset links end, and a notice is e-mailed.',
    body: v.changePasswordValidator,
    204: 'Changed; this session stays signed in',
    ...stepUp,
    422: 'Wrong current password, or the new one breaks the policy',
    ...throttled,
  }),
}

export const meSessionsDocs = {
  sessions: me('Your active sessions', { 200: ['Sessions', listOf(session)] }),
  destroySession: me('End one of your sessions (effective on its next request)', {
    204: 'Revoked',
    ...notFound,
  }),
  devices: me('Your devices', { 200: ['Devices', listOf(device)] }),
  trust: me('Trust a device: sign-ins proving it skip MFA for 30 days', {
    description: stepUpNote.trim(),
    200: [
      'Trusted',
      requiredObject({ id: { type: 'string', format: 'uuid' }, trustedUntil: isoDate }),
    ],
    ...stepUp,
    ...notFound,
  }),
  destroyDevice: me('Forget a device: its trust ends and its sessions are revoked', {
    204: 'Revoked',
    ...notFound,
  }),
}
