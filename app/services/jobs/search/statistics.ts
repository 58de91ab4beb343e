import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

/**
 * Refreshes the planner statistics of `jobs` after an ingestion batch (a large batch shifts
 * the row counts the search plans depend on before autovacuum notices). Runs as the table
 * owner through a SECURITY DEFINER function (migration 0160) and does nothing if the table
 * was analyzed within `minIntervalSeconds`. Returns whether it analyzed.
 */
export async function refreshSearchStatistics(
  options: { minIntervalSeconds?: number; client?: QueryClientContract } = {}
) {
  const client = options.client ?? db.connection()
  const { rows } = await client.rawQuery(
    `SELECT pathways_refresh_job_statistics(make_interval(secs => ?)) AS analyzed`,
    [options.minIntervalSeconds ?? 60]
  )
  return Boolean(rows[0]?.analyzed)
}
