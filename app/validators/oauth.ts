import vine from '@vinejs/vine'

/** `GET /v1/auth/oauth/:provider/redirect` query. */
export const oauthRedirectValidator = vine.create({
  schoolId: vine.string().trim().uuid().optional(),
  returnTo: vine.string().trim().maxLength(2000).optional(),
  /**
   * The app's PKCE challenge for the code exchange, BASE64URL(SHA-256(codeVerifier)).
   * Required: apps are public clients (no secret), so the verifier is what binds the
   * one-time code to the app instance that started the sign-in.
   */
  codeChallenge: vine.string().regex(/^[A-Za-z0-9_-]{43}$/),
})

/** `GET /v1/auth/oauth/:provider/callback` query, as the provider sends it. */
export const oauthCallbackValidator = vine.create({
  code: vine.string().maxLength(4000).optional(),
  state: vine.string().maxLength(500).optional(),
  error: vine.string().maxLength(200).optional(),
  error_description: vine.string().maxLength(2000).optional(),
})

/** `POST /v1/auth/oauth/exchange` body. */
export const oauthExchangeValidator = vine.create({
  code: vine.string().trim().minLength(10).maxLength(200),
  /** The PKCE verifier whose challenge the redirect carried. */
  codeVerifier: vine.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
})
