import vine from '@vinejs/vine'
import { issuedToken } from '#validators/issued_token'

/** `GET /v1/auth/oauth/:provider/redirect` query. */
export const oauthRedirectValidator = vine.create({
  schoolId: vine.string().trim().uuid().optional(),
  returnTo: vine.string().trim().maxLength(2000).optional(),
  /** Optional app-side PKCE for the code exchange: BASE64URL(SHA-256(codeVerifier)). */
  codeChallenge: vine
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/)
    .optional(),
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
  code: issuedToken(),
  /** Required when the redirect carried a `codeChallenge`. */
  codeVerifier: vine
    .string()
    .regex(/^[A-Za-z0-9._~-]{43,128}$/)
    .optional(),
})
