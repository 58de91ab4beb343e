import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Ingestion runs carry a warning (a suspicious answer: nothing was closed), and the
 * catch-up indexing step reads a source's jobs written since a run started.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      ALTER TABLE job_ingestion_runs ADD COLUMN warning text CHECK (length(warning) <= 2000);
      CREATE INDEX jobs_source_updated_idx ON jobs (source_id, updated_at, id);
    `)
  }

  async down() {
    this.schema.raw(`
      DROP INDEX IF EXISTS jobs_source_updated_idx;
      ALTER TABLE job_ingestion_runs DROP COLUMN IF EXISTS warning;
    `)
  }
}
