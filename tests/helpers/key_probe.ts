/*
| Boots the app in a child process with the APP_KEY / APP_KEY_PREVIOUS it was given and
| runs a few key operations, so tests can see a real key rotation across "deployments".
|   node --import=@poppinss/ts-exec tests/helpers/key_probe.ts '[["encrypt","x"],["hashes","CODE"]]'
| Prints a JSON array of results (null where an operation failed).
*/
import { bootApp } from '#tests/helpers/boot_app'

const app = await bootApp()
const encryption = (await import('@adonisjs/core/services/encryption')).default
const mfa: Record<string, any> = await import('#services/identity/mfa_service')

const results: unknown[] = []
for (const [op, value] of JSON.parse(process.argv[2]) as [string, string][]) {
  try {
    if (op === 'encrypt') results.push(encryption.encrypt(value, undefined, 'key-probe'))
    else if (op === 'decrypt') results.push(encryption.decrypt(value, 'key-probe'))
    else if (op === 'hashes')
      results.push(
        (mfa.recoveryCodeHashes(value, Buffer.alloc(16)) as Buffer[]).map((h) => h.toString('hex'))
      )
    else results.push(null)
  } catch {
    results.push(null)
  }
}
process.stdout.write(JSON.stringify(results))
await app.terminate()
