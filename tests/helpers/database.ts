import type { Group } from '@japa/runner/core'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'

/** Fails fast, with the fix, when the test database was not migrated (bin/test does it). */
export async function assertMigrated() {
  const owner = db.connection('owner')
  const result = await owner.rawQuery<{ rows: { exists: boolean }[] }>(
    `select to_regclass('public.adonis_schema') is not null as exists`
  )
  if (!result.rows[0].exists) {
    throw new Error('The test database is not migrated: run bin/test (it migrates before testing).')
  }
}

/**
 * Empties every application table through the owner connection (the app role may
 * not TRUNCATE). Tests call it in `group.each.setup` to stay order-independent.
 */
export async function resetDatabase() {
  const owner = db.connection('owner')
  const { rows } = await owner.rawQuery<{ rows: { tablename: string }[] }>(
    `select tablename from pg_tables where schemaname = 'public'
       and tablename not in ('adonis_schema', 'adonis_schema_versions')`
  )
  if (rows.length === 0) return
  const tables = rows.map((row) => `"${row.tablename}"`).join(', ')
  // A workflow the previous test left running may still write while the tables are locked one
  // by one; PostgreSQL then breaks the deadlock by failing one side. Try again when it was us.
  for (let attempt = 1; ; attempt++) {
    try {
      await owner.rawQuery(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`)
      return
    } catch (error) {
      if ((error as { code?: string }).code !== DEADLOCK_DETECTED || attempt === 5) throw error
    }
  }
}

const DEADLOCK_DETECTED = '40P01'

/** Empty tables and an empty Redis database (this run's own, PATHWAYS_TEST_REDIS_DB). */
export async function resetState() {
  await resetDatabase()
  await redis.flushdb()
}

/** Every test of `group` starts from `resetState()`. */
export function freshState(group: Group) {
  group.each.setup(() => resetState())
}
