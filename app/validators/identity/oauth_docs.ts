/* OpenAPI descriptions of the routes in start/routes/identity/oauth.ts: summaries, request validators, response schemas. */
import * as v from '#validators/identity/oauth'
import { authArea as auth, tokenPair } from '#validators/identity/identity_docs'
import { requiredObject } from '#validators/platform/common_docs'

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

const oneTimeCode = requiredObject({ code: { type: 'string' }, expiresIn: { type: 'integer' } })

export const oauthDocs = {
  redirect: auth('Start Google or Microsoft sign-in (redirects to the provider)', {
    description:
      "Authorization code flow with PKCE, state and nonce. `codeChallenge` (S256 of the app's own verifier) is required: the app proves the verifier at POST /v1/auth/oauth/exchange. A school's Google hosted domains / Microsoft tenants apply to every school the sign-in would use or join (`schoolId`, the account's schools, schools allowing its domain); `returnTo` must be one of the configured return URLs.",
    query: v.oauthRedirectValidator,
    302: 'Redirect to the provider',
    404: 'Provider unknown or not configured',
  }),
  callback: auth('Provider callback: verifies the ID token and signs in', {
    description:
      'Redirects to `returnTo` with `?code=` (a one-time code for POST /v1/auth/oauth/exchange) or `?error=`; without a return URL answers the code as JSON. Tokens never appear in a URL.',
    query: v.oauthCallbackValidator,
    200: ['One-time code (when no return URL is configured)', oneTimeCode],
    302: 'Back to the app with `code` or `error`',
    400: 'State, PKCE or ID-token check failed',
    403: 'Refused: unverified e-mail, school restriction or disabled account',
  }),
  exchange: auth('Exchange the one-time sign-in code (and the PKCE verifier) for tokens', {
    body: v.oauthExchangeValidator,
    200: ['Token pair (or an MFA challenge)', signInResult],
    400: 'Invalid, used or expired code',
  }),
}
