import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/**
 * A narrow search table for the PostgreSQL search adapter (measured with bench/search.ts;
 * EXPLAIN output before and after in bench/explain/). A text search matching many jobs read
 * one wide `jobs` heap page per match (description, HTML, URLs…); `job_search` holds only
 * what matching, filtering, ranking, facets and sort read, for open jobs only, so the same
 * matches touch a fraction of the pages:
 * - GIN on the weighted tsvector, on the title words and on the lower-case locations;
 * - pg_trgm on the lower-case title (suggestions);
 * - covering btrees with `school_id` leading (and a partial one for global jobs) for the
 *   newest-first keyset scans without text.
 * Kept in step by statement-level triggers on `jobs` (transition tables: one set-based
 * statement per ingestion batch, not per row); a row whose searchable fields did not change
 * is not rewritten. The app role may only read it, under the same policy as `jobs`; searches
 * read it through `visible_job_search` (the policy's predicate in a view, so the GIN indexes apply). The search indexes on `jobs` are dropped (nothing else reads them).
 */
export default class extends BaseSchema {
  async up() {
    const appRole = decodeURIComponent(new URL(env.get('DATABASE_URL')).username)
    const quoted = `"${appRole.replaceAll('"', '""')}"`
    const columns = `id, school_id, source_id, title, posted_at, employment_type, remote, salary_top,
                     locations, locations_lower, title_words, search_vector`
    const fromJobs = `n.id, n.school_id, n.source_id, n.title, n.posted_at, n.employment_type, n.remote,
                      coalesce(n.salary_max, n.salary_min), n.locations, n.locations_lower,
                      n.title_words, n.search_vector`
    this.schema.raw(`
      CREATE TABLE job_search (
        id uuid PRIMARY KEY,
        school_id uuid,
        source_id uuid NOT NULL,
        title text NOT NULL,
        posted_at timestamptz,
        employment_type text,
        remote boolean NOT NULL,
        -- the top of the salary range, or its only figure (the minimum-salary filter)
        salary_top numeric(14, 2),
        locations text[] NOT NULL,
        locations_lower text[] NOT NULL,
        title_words text[] NOT NULL,
        search_vector tsvector NOT NULL
      ) WITH (
        autovacuum_vacuum_scale_factor = 0.02,
        autovacuum_analyze_scale_factor = 0.02,
        autovacuum_vacuum_insert_scale_factor = 0.02,
        autovacuum_vacuum_insert_threshold = 1000,
        autovacuum_analyze_threshold = 1000
      );
      ALTER TABLE job_search ENABLE ROW LEVEL SECURITY;
      CREATE POLICY job_search_visibility ON job_search
        USING (school_id IS NULL OR school_id = app_school_id() OR app_platform_scope());
      -- read-only to the app role, under the policy (searches go through the view below);
      -- the triggers write it
      REVOKE ALL ON job_search FROM ${quoted};
      GRANT SELECT ON job_search TO ${quoted};

      CREATE OR REPLACE VIEW visible_job_search AS
        SELECT ${columns}
          FROM job_search
         WHERE school_id IS NULL OR school_id = app_school_id() OR app_platform_scope();
      REVOKE ALL ON visible_job_search FROM ${quoted};
      GRANT SELECT ON visible_job_search TO ${quoted};

      CREATE OR REPLACE FUNCTION jobs_sync_search() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          DELETE FROM job_search s USING old_rows o WHERE s.id = o.id;
          RETURN NULL;
        END IF;
        IF TG_OP = 'UPDATE' THEN
          DELETE FROM job_search s USING new_rows n WHERE s.id = n.id AND n.status <> 'open';
        END IF;
        INSERT INTO job_search (${columns})
          SELECT ${fromJobs} FROM new_rows n WHERE n.status = 'open'
          ON CONFLICT (id) DO UPDATE SET
            school_id = excluded.school_id, source_id = excluded.source_id, title = excluded.title,
            posted_at = excluded.posted_at, employment_type = excluded.employment_type,
            remote = excluded.remote, salary_top = excluded.salary_top,
            locations = excluded.locations, locations_lower = excluded.locations_lower,
            title_words = excluded.title_words, search_vector = excluded.search_vector
          WHERE (job_search.school_id, job_search.source_id, job_search.title, job_search.posted_at,
                 job_search.employment_type, job_search.remote, job_search.salary_top,
                 job_search.locations, job_search.search_vector)
                IS DISTINCT FROM
                (excluded.school_id, excluded.source_id, excluded.title, excluded.posted_at,
                 excluded.employment_type, excluded.remote, excluded.salary_top,
                 excluded.locations, excluded.search_vector);
        RETURN NULL;
      END $$;
      REVOKE ALL ON FUNCTION jobs_sync_search() FROM PUBLIC;
      CREATE TRIGGER jobs_search_insert AFTER INSERT ON jobs
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_sync_search();
      CREATE TRIGGER jobs_search_update AFTER UPDATE ON jobs
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_sync_search();
      CREATE TRIGGER jobs_search_delete AFTER DELETE ON jobs
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_sync_search();

      CREATE OR REPLACE FUNCTION jobs_truncate_search() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
      BEGIN
        -- (not TRUNCATE: refused while the same statement truncates job_search too)
        DELETE FROM job_search;
        RETURN NULL;
      END $$;
      REVOKE ALL ON FUNCTION jobs_truncate_search() FROM PUBLIC;
      CREATE TRIGGER jobs_search_truncate AFTER TRUNCATE ON jobs
        FOR EACH STATEMENT EXECUTE FUNCTION jobs_truncate_search();

      INSERT INTO job_search (${columns})
        SELECT ${fromJobs} FROM jobs n WHERE n.status = 'open';

      CREATE INDEX job_search_text_idx ON job_search USING gin (search_vector);
      CREATE INDEX job_search_title_words_idx ON job_search USING gin (title_words);
      CREATE INDEX job_search_locations_idx ON job_search USING gin (locations_lower);
      CREATE INDEX job_search_title_trgm_idx ON job_search USING gin (lower(title) gin_trgm_ops);
      -- one per owner kind: the planner takes "school_id IS NULL" as a filter, not as a constant
      -- leading key, so a (school_id, posted_at) scan for global jobs would not come out ordered
      CREATE INDEX job_search_owner_newest_idx ON job_search (school_id, posted_at DESC, id DESC)
        INCLUDE (employment_type, remote, source_id, salary_top, locations, locations_lower)
        WHERE school_id IS NOT NULL;
      CREATE INDEX job_search_global_newest_idx ON job_search (posted_at DESC, id DESC)
        INCLUDE (school_id, employment_type, remote, source_id, salary_top, locations, locations_lower)
        WHERE school_id IS NULL;

      DROP INDEX IF EXISTS jobs_search_idx, jobs_title_words_idx, jobs_locations_idx,
        jobs_title_trgm_idx, jobs_owner_newest_idx, jobs_global_newest_idx;

      -- the app's post-ingestion refresh covers the search table too
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
        ANALYZE public.job_search;
        RETURN true;
      END $$;
      ANALYZE job_search;
    `)
  }

  async down() {
    this.schema.raw(`
      DROP TRIGGER IF EXISTS jobs_search_insert ON jobs;
      DROP TRIGGER IF EXISTS jobs_search_update ON jobs;
      DROP TRIGGER IF EXISTS jobs_search_delete ON jobs;
      DROP TRIGGER IF EXISTS jobs_search_truncate ON jobs;
      DROP FUNCTION IF EXISTS jobs_sync_search();
      DROP FUNCTION IF EXISTS jobs_truncate_search();
      DROP VIEW IF EXISTS visible_job_search;
      DROP TABLE IF EXISTS job_search;
      CREATE INDEX IF NOT EXISTS jobs_search_idx ON jobs USING gin (search_vector);
      CREATE INDEX IF NOT EXISTS jobs_title_trgm_idx ON jobs USING gin (lower(title) gin_trgm_ops);
      CREATE INDEX IF NOT EXISTS jobs_title_words_idx ON jobs USING gin (title_words) WHERE status = 'open';
      CREATE INDEX IF NOT EXISTS jobs_locations_idx ON jobs USING gin (locations_lower) WHERE status = 'open';
      CREATE INDEX IF NOT EXISTS jobs_owner_newest_idx ON jobs (school_id, posted_at DESC, id DESC)
        INCLUDE (employment_type, remote, source_id, salary_min, salary_max, locations, locations_lower)
        WHERE status = 'open' AND school_id IS NOT NULL;
      CREATE INDEX IF NOT EXISTS jobs_global_newest_idx ON jobs (posted_at DESC, id DESC)
        INCLUDE (school_id, employment_type, remote, source_id, salary_min, salary_max, locations,
                 locations_lower)
        WHERE status = 'open' AND school_id IS NULL;
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
    `)
  }
}
