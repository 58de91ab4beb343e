import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/**
 * Index shapes for the PostgreSQL search adapter, measured with bench/search.ts (EXPLAIN
 * output before and after in bench/explain/):
 * - `title_words` (the title split into lower-case words) with a GIN index, and a dictionary
 *   of every title word ever seen (`job_title_words`), so a typo-tolerant term is answered
 *   by expanding it against the small dictionary first, then one GIN lookup — instead of an
 *   edit-distance check on every row, which forced a sequential scan.
 * - `locations_lower` with a GIN index for the location filter.
 * - a covering btree with `school_id` leading: keyset pages per owner and index-only scans
 *   for totals and facets (autovacuum keeps the visibility map fresh; thresholds lowered
 *   because ingestion rewrites many rows at once).
 * The dictionary holds words only (no ids, no school); it is read only to expand a query,
 * whose matches are then filtered by row-level security as before.
 */
export default class extends BaseSchema {
  async up() {
    const appRole = decodeURIComponent(new URL(env.get('DATABASE_URL')).username)
    const quoted = `"${appRole.replaceAll('"', '""')}"`
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION pathways_lower_array(text[]) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN ARRAY(SELECT lower(x) FROM unnest($1) AS x);

      ALTER TABLE jobs
        ADD COLUMN title_words text[] GENERATED ALWAYS AS
          (regexp_split_to_array(lower(title), '[^[:alnum:]]+')) STORED,
        ADD COLUMN locations_lower text[] GENERATED ALWAYS AS
          (pathways_lower_array(locations)) STORED;

      CREATE INDEX jobs_title_words_idx ON jobs USING gin (title_words) WHERE status = 'open';
      CREATE INDEX jobs_locations_idx ON jobs USING gin (locations_lower) WHERE status = 'open';
      CREATE INDEX jobs_owner_posted_idx ON jobs (school_id, posted_at DESC, id DESC)
        INCLUDE (employment_type, remote, source_id, salary_min, salary_max, locations)
        WHERE status = 'open';
      DROP INDEX jobs_school_idx;

      -- Under row-level security PostgreSQL refuses to use a non-leakproof operator (@@, &&, @>)
      -- as an index condition, so every search was a sequential scan. Searches read this view
      -- instead: it runs as the table owner (exempt once FORCE is off; the app role is still
      -- bound by the policy on the table itself) and applies the policy's own predicate.
      ALTER TABLE jobs NO FORCE ROW LEVEL SECURITY;
      CREATE OR REPLACE VIEW visible_jobs AS
        SELECT id, source_id, school_id, title, company, locations, remote, employment_type,
               salary_min, salary_max, salary_currency, description_text, posted_at, apply_url,
               status, search_vector, title_words, locations_lower
          FROM jobs
         WHERE school_id IS NULL OR school_id = app_school_id() OR app_platform_scope();
      REVOKE ALL ON visible_jobs FROM ${quoted};
      GRANT SELECT ON visible_jobs TO ${quoted};

      ALTER TABLE jobs SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);

      CREATE TABLE job_title_words (word text PRIMARY KEY CHECK (length(word) BETWEEN 1 AND 200));
      CREATE INDEX job_title_words_initial_idx ON job_title_words (left(word, 1), length(word));
      CREATE INDEX job_title_words_prefix_idx ON job_title_words (word text_pattern_ops);
      REVOKE UPDATE, DELETE ON job_title_words FROM ${quoted};

      CREATE OR REPLACE FUNCTION jobs_collect_title_words() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO job_title_words (word)
          SELECT DISTINCT w FROM new_rows, unnest(new_rows.title_words) AS w
           WHERE w <> '' AND length(w) <= 200
          ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$;
      CREATE TRIGGER jobs_title_words_insert AFTER INSERT ON jobs
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_collect_title_words();
      CREATE TRIGGER jobs_title_words_update AFTER UPDATE ON jobs
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION jobs_collect_title_words();

      INSERT INTO job_title_words (word)
        SELECT DISTINCT w FROM jobs, unnest(jobs.title_words) AS w WHERE w <> '' AND length(w) <= 200
        ON CONFLICT DO NOTHING;
      ANALYZE jobs;
    `)
  }

  async down() {
    this.schema.raw(`
      DROP VIEW IF EXISTS visible_jobs;
      ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
      DROP TRIGGER IF EXISTS jobs_title_words_insert ON jobs;
      DROP TRIGGER IF EXISTS jobs_title_words_update ON jobs;
      DROP FUNCTION IF EXISTS jobs_collect_title_words();
      DROP TABLE IF EXISTS job_title_words;
      DROP INDEX IF EXISTS jobs_owner_posted_idx;
      CREATE INDEX IF NOT EXISTS jobs_school_idx ON jobs (school_id) WHERE status = 'open';
      ALTER TABLE jobs RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);
      ALTER TABLE jobs DROP COLUMN IF EXISTS title_words, DROP COLUMN IF EXISTS locations_lower;
      DROP FUNCTION IF EXISTS pathways_lower_array(text[]);
    `)
  }
}
