/* OpenAPI descriptions of the routes in start/routes/identity/oauth.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as oauthValidators from '#validators/identity/oauth'
import { tokenPair } from '#validators/identity/identity_docs'

/** What an exchanged code yields: the password-login token pair, or an MFA challenge. */
const signInResult = {
  oneOf: [
    tokenPair,
    {
      type: 'object',
      required: ['mfaRequired', 'challengeToken'],
      properties: { mfaRequired: { const: true }, challengeToken: { type: 'string' } },
    },
  ],
}

export const oauthDocs = {
  redirect: {
    summary: 'Start Google or Microsoft sign-in (redirects to the provider)',
    description:
      "Authorization code flow with PKCE, state and nonce. `codeChallenge` (S256 of the app's own verifier) is required: the app proves the verifier at POST /v1/auth/oauth/exchange. A school's Google hosted domains / Microsoft tenants apply to every school the sign-in would use or join (`schoolId`, the account's schools, schools allowing its domain); `returnTo` must be one of the configured return URLs.",
    tags: ['Authentication'],
    security: 'none',
    query: oauthValidators.oauthRedirectValidator,
    responses: {
      302: { description: 'Redirect to the provider' },
      404: { description: 'Provider unknown or not configured' },
    },
  },
  callback: {
    summary: 'Provider callback: verifies the ID token and signs in',
    description:
      'Redirects to `returnTo` with `?code=` (a one-time code for POST /v1/auth/oauth/exchange) or `?error=`; without a return URL answers the code as JSON. Tokens never appear in a URL.',
    tags: ['Authentication'],
    security: 'none',
    query: oauthValidators.oauthCallbackValidator,
    responses: {
      200: {
        description: 'One-time code (when no return URL is configured)',
        schema: {
          type: 'object',
          required: ['code', 'expiresIn'],
          properties: { code: { type: 'string' }, expiresIn: { type: 'integer' } },
        },
      },
      302: { description: 'Back to the app with `code` or `error`' },
      400: { description: 'State, PKCE or ID-token check failed' },
      403: {
        description: 'Refused: unverified e-mail, school restriction or disabled account',
      },
    },
  },
  exchange: {
    summary: 'Exchange the one-time sign-in code (and the PKCE verifier) for tokens',
    tags: ['Authentication'],
    security: 'none',
    body: oauthValidators.oauthExchangeValidator,
    responses: {
      200: { description: 'Token pair (or an MFA challenge)', schema: signInResult },
      400: { description: 'Invalid, used or expired code' },
    },
  },
} satisfies Record<string, RouteDoc>
