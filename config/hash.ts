import { defineConfig, drivers } from '@adonisjs/core/hash'

/*
| argon2id with OWASP's recommended minimums (19 MiB, t=2, p=1) raised a notch. Exported: the
| Keycloak side-by-side benchmark sets Keycloak's argon2 to the same parameters.
*/
export const argonParameters = {
  version: 0x13,
  variant: 'id',
  iterations: 3,
  memory: 65536,
  parallelism: 1,
  saltSize: 16,
  hashLength: 32,
} as const

const hashConfig = defineConfig({
  default: 'argon',
  list: {
    argon: drivers.argon2(argonParameters),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
