import type { ApplicationService } from '@adonisjs/core/types'

export function pingActivities(app: ApplicationService) {
  return {
    /** Reads the database clock through Lucid: idempotent, no side effect. */
    async pingDatabase(_message: string): Promise<string> {
      const db = await app.container.make('lucid.db')
      const result = await db.rawQuery<{ rows: { now: Date }[] }>('select now() as now')
      return result.rows[0].now.toISOString()
    },
  }
}
