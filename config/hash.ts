import { availableParallelism } from 'node:os'
import { configProvider } from '@adonisjs/core'
import { defineConfig, drivers } from '@adonisjs/core/hash'
import type { HashDriverContract } from '@adonisjs/core/types/hash'
import pLimit, { type LimitFunction } from 'p-limit'

/*
| Each argon2id hash holds its whole memory cost (64 MiB here) while it runs, on libuv's thread
| pool (4 threads). Hashes are CPU-bound, so more of them at once than cores adds memory
| (4 x 64 MiB under a sign-in burst) and no throughput: at most one per core (2 to 4,
| HASH_CONCURRENCY overrides) run at once, the others wait their turn in a p-limit queue (which
| also bounds what a flood of sign-ins can make the process allocate).
*/
export const HASH_CONCURRENCY = Math.max(
  1,
  Number(process.env.HASH_CONCURRENCY) || Math.max(2, Math.min(availableParallelism(), 4))
)
/** One queue for the process (every hasher instance shares it). */
export const hashLimit = pLimit(HASH_CONCURRENCY)

class BoundedHash implements HashDriverContract {
  constructor(
    private driver: HashDriverContract,
    private limit: LimitFunction
  ) {}
  isValidHash(value: string) {
    return this.driver.isValidHash(value)
  }
  needsReHash(value: string) {
    return this.driver.needsReHash(value)
  }
  make(value: string) {
    return this.limit(() => this.driver.make(value))
  }
  verify(hashedValue: string, plainValue: string) {
    return this.limit(() => this.driver.verify(hashedValue, plainValue))
  }
}

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

const argon = drivers.argon2(argonParameters)

const hashConfig = defineConfig({
  default: 'argon',
  list: {
    argon: configProvider.create(async (app) => {
      const make = await argon.resolver(app)
      return () => new BoundedHash(make(), hashLimit)
    }),
  },
})

export default hashConfig

declare module '@adonisjs/core/types' {
  export interface HashersList extends InferHashers<typeof hashConfig> {}
}
