import vine from '@vinejs/vine'

/**
 * A token or code the server issued (a prefix and base64url), taken exactly as sent: no
 * trimming, and a fixed alphabet, so the documented schema and the check agree character for
 * character.
 */
export const issuedToken = () =>
  vine
    .string()
    .minLength(10)
    .maxLength(200)
    .regex(/^[A-Za-z0-9_-]+$/)
