/* OpenAPI descriptions of the routes in start/routes/identity/account_security.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as validators from '#validators/identity/account_security'
import { requiredObject } from '#validators/platform/common_docs'
import { tokenPair } from '#validators/identity/identity_docs'

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
const notFound = { 404: { description: 'No such session/device of yours' } }
/** Sensitive changes answer this when the session has not authenticated recently. */
const stepUp = {
  403: {
    description:
      'Problem type `…/reauthentication-required`: the session has not signed in or re-authenticated within the last 10 minutes; call POST /v1/me/reauthenticate, then retry',
  },
}
const stepUpNote =
  ' Needs a recent authentication (sign-in or POST /v1/me/reauthenticate within 10 minutes), else 403 `reauthentication-required`.'
const throttled = { 429: { description: 'Too many attempts (per account); see Retry-After' } }

export const passwordResetDocs = {
  forgot: {
    summary: 'Ask for a password reset link (always 202, same body for unknown addresses)',
    tags: ['Authentication'],
    security: 'none',
    body: validators.forgotPasswordValidator,
    responses: {
      202: {
        description: 'Check your inbox',
        schema: {
          type: 'object',
          required: ['message'],
          properties: { message: { type: 'string' } },
        },
      },
    },
  },
  reset: {
    summary:
      'Choose a new password with the mailed token (single use, 30 minutes); signs out everywhere',
    tags: ['Authentication'],
    security: 'none',
    body: validators.resetPasswordValidator,
    responses: {
      200: {
        description: 'Password changed, every session revoked',
        schema: {
          type: 'object',
          required: ['passwordReset'],
          properties: { passwordReset: { const: true } },
        },
      },
      400: { description: 'Invalid, used or expired token' },
      422: { description: 'The password does not meet the policy' },
    },
  },
} satisfies Record<string, RouteDoc>

export const mfaDocs = {
  challenge: {
    summary: 'Finish a sign-in with a TOTP code or a recovery code',
    description:
      'The challenge token comes from a sign-in answering `{ mfaRequired: true }`. It lives 5 minutes, works once, and dies after 5 wrong codes.',
    tags: ['Authentication'],
    security: 'none',
    body: validators.mfaChallengeValidator,
    bodyRequiresOneOf: ['code', 'recoveryCode'],
    responses: {
      200: { description: 'Access and refresh tokens', schema: tokenPair },
      401: { description: 'Wrong code, or invalid/used/expired challenge' },
    },
  },
  enroll: {
    summary: 'Start TOTP enrollment: a secret, its otpauth URI and a QR code',
    description:
      'Accepts an access token or the enrollment token of a sign-in that answered `{ mfaEnrollmentRequired: true }`. With an access token it' +
      stepUpNote.replace(' Needs', ' needs'),
    tags: ['MFA'],
    security: 'bearer',
    responses: {
      200: {
        description: 'The new secret (not active until confirmed)',
        schema: {
          type: 'object',
          required: ['secret', 'otpauthUri', 'qrCode', 'digits', 'period', 'algorithm'],
          properties: {
            secret: { type: 'string' },
            otpauthUri: { type: 'string', pattern: '^otpauth://totp/' },
            qrCode: { type: 'string', pattern: '^data:image/svg\\+xml;base64,' },
            digits: { const: 6 },
            period: { const: 30 },
            algorithm: { const: 'SHA1' },
          },
        },
      },
      401: { description: 'No valid access or enrollment token' },
      ...stepUp,
      409: { description: 'An authenticator is already set up' },
      ...throttled,
    },
  },
  confirm: {
    summary: 'Confirm TOTP enrollment with a first code; returns recovery codes (shown once)',
    description:
      'With an enrollment token, the answer also carries the token pair of the sign-in it completes. With an access token it' +
      stepUpNote.replace(' Needs', ' needs'),
    tags: ['MFA'],
    security: 'bearer',
    body: validators.totpConfirmValidator,
    responses: {
      200: {
        description: 'Confirmed',
        schema: {
          type: 'object',
          required: ['confirmed', 'recoveryCodes'],
          properties: {
            ...tokenPair.properties,
            confirmed: { const: true },
            recoveryCodes,
          },
        },
      },
      401: { description: 'No valid access or enrollment token' },
      ...stepUp,
      404: { description: 'No enrollment started' },
      409: { description: 'Already confirmed' },
      422: { description: 'Wrong or reused code' },
      ...throttled,
    },
  },
  disable: {
    summary: 'Remove the authenticator (needs a fresh TOTP code or a recovery code)',
    description: `Wrong codes count per account (5 per 15 minutes).${stepUpNote}`,
    tags: ['MFA'],
    security: 'bearer',
    body: validators.totpDisableValidator,
    bodyRequiresOneOf: ['code', 'recoveryCode'],
    responses: {
      204: { description: 'Removed, with the recovery codes and device trust' },
      ...stepUp,
      404: { description: 'No authenticator set up' },
      422: { description: 'Wrong or reused code' },
      ...throttled,
    },
  },
  recoveryCodes: {
    summary: 'Replace the recovery codes with 10 new one-time codes (needs a fresh TOTP code)',
    description: `Wrong codes count per account (5 per 15 minutes).${stepUpNote}`,
    tags: ['MFA'],
    security: 'bearer',
    body: validators.recoveryCodesValidator,
    responses: {
      200: {
        description: 'The new codes, shown once',
        schema: { type: 'object', required: ['recoveryCodes'], properties: { recoveryCodes } },
      },
      ...stepUp,
      404: { description: 'No authenticator set up' },
      422: { description: 'Wrong or reused code' },
      ...throttled,
    },
  },
} satisfies Record<string, RouteDoc>

export const meSecurityDocs = {
  reauthenticate: {
    summary: 'Re-authenticate this session (step-up) with your password or a TOTP code',
    description:
      'Sensitive changes (authenticator enrollment and removal, recovery codes, device trust, password) answer 403 with problem type `…/reauthentication-required` when this session has not signed in or re-authenticated within the last 10 minutes (`SESSION_REAUTHENTICATION_WINDOW`). Send `{ password }` or `{ code }` here, then retry the change. Wrong passwords count against the account lockout of sign-in; wrong codes against the per-account second-factor limit. Refreshing tokens does not renew the authentication time.',
    tags: ['Me'],
    security: 'bearer',
    body: validators.reauthenticateValidator,
    bodyRequiresOneOf: ['password', 'code'],
    responses: {
      200: {
        description: 'Re-authenticated; sensitive changes are allowed until `validUntil`',
        schema: {
          type: 'object',
          required: ['authenticatedAt', 'validUntil'],
          properties: { authenticatedAt: isoDate, validUntil: isoDate },
        },
      },
      404: { description: 'A code was sent but no authenticator is set up' },
      422: { description: 'Wrong password, or wrong or reused code' },
      ...throttled,
    },
  },
  changePassword: {
    summary: 'Change your password; signs out every other session',
    description:
      '`currentPassword` proves it is you now (wrong answers count against the sign-in lockout). Without it (accounts created by Google/Microsoft sign-in have no password you know) the session must have authenticated within the last 10 minutes, else 403 `reauthentication-required`. The password policy applies to `newPassword`; other sessions and pending reset links end, and a notice is e-mailed.',
    tags: ['Me'],
    security: 'bearer',
    body: validators.changePasswordValidator,
    responses: {
      204: { description: 'Changed; this session stays signed in' },
      ...stepUp,
      422: { description: 'Wrong current password, or the new one breaks the policy' },
      ...throttled,
    },
  },
} satisfies Record<string, RouteDoc>

export const meSessionsDocs = {
  sessions: {
    summary: 'Your active sessions',
    tags: ['Me'],
    security: 'bearer',
    responses: { 200: { description: 'Sessions', schema: listOf(session) } },
  },
  destroySession: {
    summary: 'End one of your sessions (effective on its next request)',
    tags: ['Me'],
    security: 'bearer',
    responses: { 204: { description: 'Revoked' }, ...notFound },
  },
  devices: {
    summary: 'Your devices',
    tags: ['Me'],
    security: 'bearer',
    responses: { 200: { description: 'Devices', schema: listOf(device) } },
  },
  trust: {
    summary: 'Trust a device: sign-ins proving it skip MFA for 30 days',
    description: stepUpNote.trim(),
    tags: ['Me'],
    security: 'bearer',
    responses: {
      200: {
        description: 'Trusted',
        schema: requiredObject({ id: { type: 'string', format: 'uuid' }, trustedUntil: isoDate }),
      },
      ...stepUp,
      ...notFound,
    },
  },
  destroyDevice: {
    summary: 'Forget a device: its trust ends and its sessions are revoked',
    tags: ['Me'],
    security: 'bearer',
    responses: { 204: { description: 'Revoked' }, ...notFound },
  },
} satisfies Record<string, RouteDoc>
