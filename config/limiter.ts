import logger from '@adonisjs/core/services/logger'
import type { ConfigProvider } from '@adonisjs/core/types'
import { defineConfig, stores } from '@adonisjs/limiter'
import type {
  LimiterConsumptionOptions,
  LimiterManagerStoreFactory,
  LimiterStoreContract,
} from '@adonisjs/limiter/types'
import { unavailableDependency } from '#exceptions/dependency_unavailable_error'

/*
| Counters live in Redis so every API replica shares them. When Redis is unreachable
| the limits degrade to per-process counters (same rules, counted in this replica's
| memory) instead of failing every request: sign-in and reads keep working, and a
| client still cannot exceed the limit on any one replica. Back to Redis on the next
| call once it answers.
*/
class RedisWithMemoryFallback implements LimiterStoreContract {
  constructor(
    private primary: LimiterStoreContract,
    private fallback: LimiterStoreContract
  ) {}

  get name() {
    return this.primary.name
  }
  get requests() {
    return this.primary.requests
  }
  get duration() {
    return this.primary.duration
  }
  get blockDuration() {
    return this.primary.blockDuration
  }

  private async run<T>(call: (store: LimiterStoreContract) => Promise<T>): Promise<T> {
    try {
      return await call(this.primary)
    } catch (error) {
      if (unavailableDependency(error) !== 'redis') throw error
      logger.warn(
        { err: (error as Error).message },
        'rate limits: Redis unavailable, per-process counters'
      )
      return call(this.fallback)
    }
  }

  consume(key: string | number, amount?: number) {
    return this.run((store) => store.consume(key, amount))
  }
  increment(key: string | number, amount?: number) {
    return this.run((store) => store.increment(key, amount))
  }
  decrement(key: string | number, amount?: number) {
    return this.run((store) => store.decrement(key, amount))
  }
  block(key: string | number, duration: string | number) {
    return this.run((store) => store.block(key, duration))
  }
  set(key: string | number, requests: number, duration?: string | number) {
    return this.run((store) => store.set(key, requests, duration))
  }
  delete(key: string | number) {
    return this.run((store) => store.delete(key))
  }
  deleteInMemoryBlockedKeys() {
    this.primary.deleteInMemoryBlockedKeys?.()
    this.fallback.deleteInMemoryBlockedKeys?.()
  }
  clear() {
    return this.run((store) => store.clear())
  }
  get(key: string | number) {
    return this.run((store) => store.get(key))
  }
}

function redisWithMemoryFallback(): ConfigProvider<LimiterManagerStoreFactory> {
  const redis = stores.redis({ connectionName: 'main' })
  const memory = stores.memory({})
  return {
    type: 'provider',
    async resolver(app) {
      const primary = await redis.resolver(app)
      return (options: LimiterConsumptionOptions) =>
        new RedisWithMemoryFallback(primary(options), memory(options))
    },
  }
}

const limiterConfig = defineConfig({
  default: 'redis',
  stores: {
    redis: redisWithMemoryFallback(),
  },
})

export default limiterConfig

declare module '@adonisjs/limiter/types' {
  export interface LimitersList extends InferLimiters<typeof limiterConfig> {}
}
