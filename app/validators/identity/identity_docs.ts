/* OpenAPI descriptions of the routes in start/routes/identity/auth.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import * as v from '#validators/identity/auth'
import { object } from '#validators/platform/common_docs'

export const tokenPair = {
  type: 'object',
  required: ['accessToken', 'refreshToken', 'expiresIn', 'tokenType'],
  properties: {
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    expiresIn: { type: 'integer' },
    tokenType: { const: 'Bearer' },
    deviceId: { type: 'string', format: 'uuid' },
    deviceToken: { type: 'string' },
  },
}
/** What a first-factor sign-in yields (see completeSignIn in account_service). */
export const signInResult = {
  oneOf: [
    tokenPair,
    {
      type: 'object',
      required: ['mfaRequired', 'challengeToken', 'expiresIn'],
      properties: {
        mfaRequired: { const: true },
        challengeToken: { type: 'string' },
        expiresIn: { type: 'integer' },
      },
    },
    {
      type: 'object',
      required: ['mfaEnrollmentRequired', 'enrollmentToken', 'expiresIn'],
      properties: {
        mfaEnrollmentRequired: { const: true },
        enrollmentToken: { type: 'string' },
        expiresIn: { type: 'integer' },
      },
    },
  ],
}
/** A refresh whose user must now enroll a second factor (see rotateRefreshToken). */
const refreshResult = { oneOf: [tokenPair, signInResult.oneOf[2]] }

const tags = ['Authentication']
/** Public sign-in routes, here and in the OAuth and password-reset docs. */
export const authArea = docArea({ tags, security: 'none' })
const signedIn = docArea({ tags, security: 'bearer' })
/** The caller's own account. */
export const meArea = docArea({ tags: ['Me'], security: 'bearer' })

export const authDocs = {
  register: authArea('Create an account (answers the same whether or not the e-mail is taken)', {
    body: v.registerValidator,
    202: ['Check your inbox', object],
  }),
  verifyEmail: authArea('Confirm an e-mail address with the token from the link', {
    body: v.verifyEmailValidator,
    200: ['Verified', object],
    400: 'Invalid, used or expired token',
  }),
  login: authArea('Sign in with e-mail and password', {
    body: v.loginValidator,
    200: [
      'Access and refresh tokens, an MFA challenge, or an enrollment token (a school requires MFA for your admin role)',
      signInResult,
    ],
    401: 'Wrong e-mail or password (same answer for unknown accounts)',
    403: 'E-mail address not confirmed yet',
  }),
  refresh: authArea('Rotate a refresh token (one-time use; reuse revokes the session)', {
    body: v.refreshValidator,
    200: [
      'A new token pair, or an enrollment token when a second factor is now required (admin role, platform admin)',
      refreshResult,
    ],
    401: 'Invalid, expired, revoked or reused refresh token',
  }),
  logout: signedIn('End this session', { 204: 'Signed out' }),
  logoutAll: signedIn('End every session of the caller', { 204: 'Signed out everywhere' }),
}

export const meDocs = {
  show: meArea('The caller, their schools, roles and effective permissions', {
    200: ['The caller', object],
  }),
}
