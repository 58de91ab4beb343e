/* OpenAPI descriptions of the routes in start/routes/identity/auth.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as authValidators from '#validators/identity/auth'
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

export const authDocs = {
  register: {
    summary: 'Create an account (answers the same whether or not the e-mail is taken)',
    tags: ['Authentication'],
    security: 'none',
    body: authValidators.registerValidator,
    responses: { 202: { description: 'Check your inbox', schema: object } },
  },
  verifyEmail: {
    summary: 'Confirm an e-mail address with the token from the link',
    tags: ['Authentication'],
    security: 'none',
    body: authValidators.verifyEmailValidator,
    responses: {
      200: { description: 'Verified', schema: object },
      400: { description: 'Invalid, used or expired token' },
    },
  },
  login: {
    summary: 'Sign in with e-mail and password',
    tags: ['Authentication'],
    security: 'none',
    body: authValidators.loginValidator,
    responses: {
      200: {
        description:
          'Access and refresh tokens, an MFA challenge, or an enrollment token (a school requires MFA for your admin role)',
        schema: signInResult,
      },
      401: { description: 'Wrong e-mail or password (same answer for unknown accounts)' },
      403: { description: 'E-mail address not confirmed yet' },
    },
  },
  refresh: {
    summary: 'Rotate a refresh token (one-time use; reuse revokes the session)',
    tags: ['Authentication'],
    security: 'none',
    body: authValidators.refreshValidator,
    responses: {
      200: {
        description:
          'A new token pair, or an enrollment token when a second factor is now required (admin role, platform admin)',
        schema: refreshResult,
      },
      401: { description: 'Invalid, expired, revoked or reused refresh token' },
    },
  },
  logout: {
    summary: 'End this session',
    tags: ['Authentication'],
    security: 'bearer',
    responses: { 204: { description: 'Signed out' } },
  },
  logoutAll: {
    summary: 'End every session of the caller',
    tags: ['Authentication'],
    security: 'bearer',
    responses: { 204: { description: 'Signed out everywhere' } },
  },
} satisfies Record<string, RouteDoc>

export const meDocs = {
  show: {
    summary: 'The caller, their schools, roles and effective permissions',
    tags: ['Me'],
    security: 'bearer',
    responses: { 200: { description: 'The caller', schema: object } },
  },
} satisfies Record<string, RouteDoc>
