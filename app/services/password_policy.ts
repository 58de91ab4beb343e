import { readFileSync } from 'node:fs'

/* A bundled list of the most common passwords (lower-cased), loaded once. */
const COMMON = new Set(
  readFileSync(new URL('./common_passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean)
)

export const MIN_PASSWORD_LENGTH = 12

/** Why a password is refused, or null. Length, common list, e-mail local part. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`
  }
  const lower = password.toLowerCase()
  if (COMMON.has(lower)) return 'This password is too common.'
  const localPart = email?.split('@')[0]?.toLowerCase()
  if (localPart && localPart.length >= 3 && lower.includes(localPart)) {
    return 'The password must not contain your e-mail address.'
  }
  return null
}
