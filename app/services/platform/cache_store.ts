import app from '@adonisjs/core/services/app'
import logger from '@adonisjs/core/services/logger'
import type { Redis } from 'ioredis'

/*
| The Redis client behind caches and analytics: the app's `main` connection. Tests
| may point it at another client (for example a closed port) to exercise the
| fallbacks; `useCacheRedis(null)` restores the default.
*/
let override: Redis | null = null

export async function cacheRedis(): Promise<Redis> {
  if (override) return override
  const manager = await app.container.make('redis')
  return manager.connection().ioConnection as unknown as Redis
}

export function useCacheRedis(client: Redis | null) {
  override = client
}

/** Runs `work` against Redis; on any Redis error logs and returns `fallback` instead of failing. */
export async function bestEffort<T>(what: string, fallback: T, work: (redis: Redis) => Promise<T>) {
  try {
    return await work(await cacheRedis())
  } catch (error) {
    logger.warn({ err: error }, `redis unavailable (${what}); continuing without cache`)
    return fallback
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
/** JSON.parse that revives ISO timestamps to Date (as pg returns them). */
export function parseRow<T>(json: string): T {
  return JSON.parse(json, (_key, value) =>
    typeof value === 'string' && ISO.test(value) ? new Date(value) : value
  )
}
