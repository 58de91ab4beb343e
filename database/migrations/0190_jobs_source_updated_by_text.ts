import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The catch-up index keyed on the source's id as text, so that it only serves the queries that
 * ask for it (`source_id::text = ?`). Keyed on `source_id` itself, it competed with the unique
 * (source_id, external_id) index for the page upsert's probe: when the statistics put a new
 * source at one row (taken while only other sources had jobs), the planner probed through it and
 * read every job of the source per posting (3,000 rows per probe at 3,000 jobs; the ingestion
 * benchmark after the search benchmark ran at 0.05x instead of ~0.65x).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      DROP INDEX IF EXISTS jobs_source_updated_idx;
      CREATE INDEX jobs_source_updated_idx ON jobs ((source_id::text), updated_at, id);
    `)
  }

  async down() {
    this.schema.raw(`
      DROP INDEX IF EXISTS jobs_source_updated_idx;
      CREATE INDEX jobs_source_updated_idx ON jobs (source_id, updated_at, id);
    `)
  }
}
