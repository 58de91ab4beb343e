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

/** Turns ISO timestamp strings into Dates, at any depth, in place. */
function reviveDates(value: unknown): unknown {
  if (typeof value === 'string') return ISO.test(value) ? new Date(value) : value
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveDates(value[i])
    return value
  }
  const row = value as Record<string, unknown>
  for (const key of Object.keys(row)) {
    const revived = reviveDates(row[key])
    // an own `__proto__` key stays as it was: assigning it would replace the prototype
    if (revived !== row[key] && key !== '__proto__') row[key] = revived
  }
  return row
}

/**
 * JSON.parse that revives ISO timestamps to Date (as pg returns them). A walk after a plain
 * parse: a reviver function made it 3-4x slower (every authenticated request parses one or two).
 */
export function parseRow<T>(json: string): T {
  return reviveDates(JSON.parse(json)) as T
}
