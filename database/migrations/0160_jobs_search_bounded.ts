import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/**
 * PostgreSQL search with bounded counting (measured with bench/search.ts; EXPLAIN output in
 * bench/explain/):
 * - covering btrees, `school_id` leading for school-owned jobs and a partial one for global
 *   jobs, carrying every filter and facet column (`locations_lower` too): a search without
 *   text (filters only, newest first) is an index-only ordered scan per owner that stops
 *   after the counting bound;
 * - planner statistics and the visibility map kept fresh: ingestion inserts and rewrites many
 *   rows at once, so autovacuum runs after inserts too (index-only scans need the visibility
 *   map), and `pathways_refresh_job_statistics()` lets the app (which does not own the table)
 *   ANALYZE it after an ingestion batch, at most once per interval.
 */
export default class extends BaseSchema {
  async up() {
    const appRole = decodeURIComponent(new URL(env.get('DATABASE_URL')).username)
    const quoted = `"${appRole.replaceAll('"', '""')}"`
    this.schema.raw(`
      -- one per owner kind: the planner takes "school_id IS NULL" as a filter, not as a constant
      -- leading key, so a (school_id, posted_at) scan for global jobs would not come out ordered
      CREATE INDEX jobs_owner_newest_idx ON jobs (school_id, posted_at DESC, id DESC)
        INCLUDE (employment_type, remote, source_id, salary_min, salary_max, locations, locations_lower)
        WHERE status = 'open' AND school_id IS NOT NULL;
      -- (school_id included: the view's visibility predicate reads it, index-only scans need it)
      CREATE INDEX jobs_global_newest_idx ON jobs (posted_at DESC, id DESC)
        INCLUDE (school_id, employment_type, remote, source_id, salary_min, salary_max, locations,
                 locations_lower)
        WHERE status = 'open' AND school_id IS NULL;
      DROP INDEX IF EXISTS jobs_owner_posted_idx;
      -- superseded by the per-owner index (the planner preferred it for the global owner's
      -- scan, then fetched every row from the heap)
      DROP INDEX IF EXISTS jobs_posted_idx;

      ALTER TABLE jobs SET (
        autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_vacuum_insert_threshold = 1000,
        autovacuum_analyze_threshold = 1000
      );

      CREATE OR REPLACE FUNCTION pathways_refresh_job_statistics(min_interval interval)
        RETURNS boolean LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      DECLARE
        last timestamptz;
      BEGIN
        SELECT greatest(last_analyze, last_autoanalyze) INTO last
          FROM pg_stat_user_tables WHERE relid = 'public.jobs'::regclass;
        IF last IS NOT NULL AND last > now() - min_interval THEN
          RETURN false;
        END IF;
        ANALYZE public.jobs;
        RETURN true;
      END $$;
      REVOKE ALL ON FUNCTION pathways_refresh_job_statistics(interval) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION pathways_refresh_job_statistics(interval) TO ${quoted};
      ANALYZE jobs;
    `)
  }

  async down() {
    this.schema.raw(`
      DROP FUNCTION IF EXISTS pathways_refresh_job_statistics(interval);
      ALTER TABLE jobs RESET (autovacuum_vacuum_insert_scale_factor,
        autovacuum_vacuum_insert_threshold, autovacuum_analyze_threshold);
      CREATE INDEX IF NOT EXISTS jobs_owner_posted_idx ON jobs (school_id, posted_at DESC, id DESC)
        INCLUDE (employment_type, remote, source_id, salary_min, salary_max, locations)
        WHERE status = 'open';
      CREATE INDEX IF NOT EXISTS jobs_posted_idx ON jobs (posted_at DESC, id DESC) WHERE status = 'open';
      DROP INDEX IF EXISTS jobs_owner_newest_idx, jobs_global_newest_idx;
    `)
  }
}
