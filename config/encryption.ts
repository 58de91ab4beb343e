import { defineConfig, drivers } from '@adonisjs/core/encryption'
import { encryptionSecrets } from '#services/platform/keyring'

/* Keys derived from APP_KEY for encryption only; APP_KEY_PREVIOUS keys still decrypt. */
const encryptionConfig = defineConfig({
  default: 'gcm',
  list: {
    gcm: drivers.aes256gcm({ keys: encryptionSecrets(), id: 'gcm' }),
  },
})

export default encryptionConfig

declare module '@adonisjs/core/types' {
  export interface EncryptorsList extends InferEncryptors<typeof encryptionConfig> {}
}
