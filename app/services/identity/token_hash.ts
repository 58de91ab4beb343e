import { createHash, randomBytes } from 'node:crypto'

/** A high-entropy opaque token and the SHA-256 we store instead of it. */
export function newOpaqueToken(prefix: string) {
  const value = `${prefix}${randomBytes(32).toString('base64url')}`
  return { value, hash: hashToken(value) }
}

/* Tokens carry 256 bits of entropy, so a fast hash is enough to make a stolen table useless. */
export function hashToken(value: string) {
  return createHash('sha256').update(value).digest()
}
