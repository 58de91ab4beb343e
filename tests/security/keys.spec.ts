import { createHmac, randomBytes } from 'node:crypto'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import encryption from '@adonisjs/core/services/encryption'
import { Encryption } from '@adonisjs/core/encryption'
import { AES256GCM } from '@adonisjs/core/encryption/drivers/aes_256_gcm'
import env from '#start/env'
import { deriveKey } from '#services/platform/keyring'
import { freshState } from '#tests/helpers/database'
import { asOwner, createUser } from '#tests/helpers/fixtures'
import { enableTotp } from '#tests/helpers/identity_helpers'

const run = promisify(execFile)

/** The app booted in a child process with these keys; returns each operation's result. */
async function probe(keys: { APP_KEY: string; APP_KEY_PREVIOUS?: string }, ops: string[][]) {
  const { stdout } = await run(
    process.execPath,
    ['--import=@poppinss/ts-exec', 'tests/helpers/key_probe.ts', JSON.stringify(ops)],
    {
      cwd: app.makePath(),
      env: { ...process.env, APP_KEY_PREVIOUS: '', ...keys },
      timeout: 30_000,
    }
  )
  return JSON.parse(stdout) as any[]
}

/** An encryptor keyed with the raw APP_KEY, as before purpose-specific derivation. */
function rawKeyEncryption(raw: string) {
  return new Encryption({ driver: (key) => new AES256GCM({ id: 'gcm', key }), keys: [raw] })
}

test.group('Keys: derived per purpose from APP_KEY, rotated with APP_KEY_PREVIOUS', (group) => {
  freshState(group)

  test('the encryption key and the recovery-code MAC key are derived, not APP_KEY itself', async ({
    assert,
  }) => {
    const raw = env.get('APP_KEY').release()
    const sealed = encryption.encrypt('totp-secret', undefined, 'purpose')
    assert.isNull(
      rawKeyEncryption(raw).decrypt(sealed, 'purpose'),
      'APP_KEY alone does not open what the app encrypts'
    )
    // values sealed with the raw key before derivation existed still open
    const legacy = rawKeyEncryption(raw).encrypt('old-secret', undefined, 'purpose')
    assert.equal(encryption.decrypt(legacy, 'purpose'), 'old-secret')

    const user = await createUser('keys@keys.test')
    const { recoveryCodes } = await enableTotp(user)
    const stored = await asOwner((trx) =>
      trx.from('mfa_recovery_codes').where('user_id', user.id).select('code_hash', 'code_salt')
    )
    const normalized = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '')
    const keyed = (key: string | Buffer, code: string, salt: Buffer) =>
      createHmac('sha256', key)
        .update('mfa-recovery-code:')
        .update(salt)
        .update(normalized(code))
        .digest()
    const derived = deriveKey(raw, 'mfa-recovery-codes')
    for (const row of stored) {
      const salt = Buffer.from(row.code_salt)
      const hash = Buffer.from(row.code_hash)
      assert.isFalse(
        recoveryCodes.some((code) => keyed(raw, code, salt).equals(hash)),
        'no stored hash is keyed with APP_KEY itself'
      )
      assert.isTrue(
        recoveryCodes.some((code) => keyed(derived, code, salt).equals(hash)),
        'each stored hash is keyed with the derived recovery-code key'
      )
    }
  }).timeout(30_000)

  test('rotation: the new key encrypts and signs, the previous one still decrypts and verifies', async ({
    assert,
  }) => {
    const OLD = randomBytes(32).toString('base64url')
    const NEW = randomBytes(32).toString('base64url')
    const [sealedByOld, oldHashes] = await probe({ APP_KEY: OLD }, [
      ['encrypt', 'invitation-token'],
      ['hashes', 'ABCDE-12345'],
    ])
    const [opened, rotatedHashes, sealedByNew] = await probe(
      { APP_KEY: NEW, APP_KEY_PREVIOUS: OLD },
      [
        ['decrypt', sealedByOld],
        ['hashes', 'ABCDE-12345'],
        ['encrypt', 'new-token'],
      ]
    )
    assert.equal(opened, 'invitation-token', 'a value from before the rotation still decrypts')
    assert.include(rotatedHashes, oldHashes[0], 'a recovery code from before still verifies')
    assert.notEqual(rotatedHashes[0], oldHashes[0], 'new codes are hashed with the new key')
    const [oldOpensNew] = await probe({ APP_KEY: OLD }, [['decrypt', sealedByNew]])
    assert.isNull(oldOpensNew, 'new values are encrypted with the new key')
    const [afterRetirement] = await probe({ APP_KEY: NEW }, [['decrypt', sealedByOld]])
    assert.isNull(afterRetirement, 'once the old key is dropped its values no longer open')
  }).timeout(60_000)
})
