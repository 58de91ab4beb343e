import { hkdfSync } from 'node:crypto'
import env from '#start/env'

/*
| Purpose-specific keys derived from APP_KEY with HKDF-SHA256, so the encryption key and
| the MAC (signing) keys never share material. Rotation: APP_KEY signs/encrypts; the
| comma-separated APP_KEY_PREVIOUS keys are only tried when verifying/decrypting.
| Values written before derivation existed (raw APP_KEY) still decrypt ("legacy").
*/
export type KeyPurpose = 'encryption' | 'mfa-recovery-codes'

const SALT = 'pathways-keyring'

export function deriveKey(secret: string, purpose: KeyPurpose) {
  return Buffer.from(hkdfSync('sha256', secret, SALT, `pathways:${purpose}:v1`, 32))
}

export interface Keyring {
  current: string
  previous: string[]
}

function parsePreviousKeys(value: string | undefined) {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean)
}

export function appKeyring(): Keyring {
  return {
    current: env.get('APP_KEY').release(),
    previous: parsePreviousKeys(env.get('APP_KEY_PREVIOUS')?.release()),
  }
}

/** Keys for one purpose: the one to use first, then those only accepted. */
export function purposeKeys(purpose: KeyPurpose, keyring: Keyring = appKeyring()) {
  return [keyring.current, ...keyring.previous].map((secret) => deriveKey(secret, purpose))
}

/**
 * Secrets for the encryption service: the derived encryption keys (the first encrypts),
 * then the raw keys so values encrypted before derivation still decrypt.
 */
export function encryptionSecrets(keyring: Keyring = appKeyring()) {
  const derived = purposeKeys('encryption', keyring).map((key) => key.toString('base64url'))
  return [...derived, keyring.current, ...keyring.previous]
}
