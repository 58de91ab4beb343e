import vine from '@vinejs/vine'
import { issuedToken } from '#validators/identity/issued_token'

/** `GET /v1/auth/oauth/:provider/redirect` query. */
export const oauthRedirectValidator = vine.create({
  schoolId: vine.string().trim().uuid().optional(),
  /** A URL (printable ASCII), checked against the allowlist. */
  returnTo: vine
    .string()
    .maxLength(2000)
    .regex(/^[\x21-\x7E]+$/)
    .optional(),
  /**
   * The app's PKCE challenge for the code exchange, BASE64URL(SHA-256(codeVerifier)).
   * Required: apps are public clients (no secret), so the verifier is what binds the
   * one-time code to the app instance that started the sign-in.
   */
  codeChallenge: vine.string().regex(/^[A-Za-z0-9_-]{43}$/),
})

/**
 * `GET /v1/auth/oauth/:provider/callback` query, as the provider sends it. RFC 6749 values are
 * printable ASCII; the bounds keep the whole URL under the HTTP server's 16 KB header limit.
 */
const oauthText = (max: number) =>
  vine
    .string()
    .maxLength(max)
    .regex(/^[\x20-\x7E]*$/)
export const oauthCallbackValidator = vine.create({
  code: oauthText(2048).optional(),
  state: oauthText(500).optional(),
  error: oauthText(200).optional(),
  error_description: oauthText(500).optional(),
})

/** `POST /v1/auth/oauth/exchange` body. */
export const oauthExchangeValidator = vine.create({
  code: issuedToken(),
  /** The PKCE verifier whose challenge the redirect carried. */
  codeVerifier: vine.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
})
