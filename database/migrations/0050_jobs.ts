import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Job sources, jobs, ingestion runs (global or school-owned) and applications (tenant).
 *
 * Visibility of sources, jobs and runs: a global row (school_id IS NULL) is visible to
 * everyone; a school-owned row only inside its school's context (or platform scope).
 * Only platform scope writes global rows. Applications are plain tenant tables.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE job_sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        school_id uuid REFERENCES schools(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind text NOT NULL CHECK (kind IN ('greenhouse', 'lever', 'json_feed')),
        url text CHECK (length(url) <= 2000),
        board_token text CHECK (length(board_token) <= 200),
        company text CHECK (length(company) <= 200),
        interval_minutes integer NOT NULL DEFAULT 360 CHECK (interval_minutes BETWEEN 5 AND 10080),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
        last_run_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (id, school_id)
      );
      CREATE INDEX job_sources_school_idx ON job_sources (school_id, id);

      CREATE TABLE jobs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_id uuid NOT NULL REFERENCES job_sources(id) ON DELETE CASCADE,
        school_id uuid REFERENCES schools(id) ON DELETE CASCADE,
        external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 300),
        content_hash text NOT NULL,
        title text NOT NULL,
        company text NOT NULL,
        locations text[] NOT NULL DEFAULT '{}',
        remote boolean NOT NULL DEFAULT false,
        employment_type text CHECK (employment_type IN
          ('full_time', 'part_time', 'contract', 'temporary', 'internship', 'volunteer', 'other')),
        salary_min numeric(14, 2),
        salary_max numeric(14, 2),
        salary_currency text CHECK (salary_currency ~ '^[A-Z]{3}$'),
        description_html text NOT NULL DEFAULT '',
        description_text text NOT NULL DEFAULT '',
        posted_at timestamptz,
        apply_url text,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        search_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') ||
          setweight(to_tsvector('english', company), 'B') ||
          setweight(to_tsvector('english', left(description_text, 100000)), 'C')
        ) STORED,
        UNIQUE (source_id, external_id),
        -- a job always carries its source's owner (NULL = global), checked by the trigger below
        FOREIGN KEY (source_id, school_id) REFERENCES job_sources (id, school_id) ON DELETE CASCADE
      );
      CREATE INDEX jobs_search_idx ON jobs USING gin (search_vector);
      CREATE INDEX jobs_title_trgm_idx ON jobs USING gin (lower(title) gin_trgm_ops);
      CREATE INDEX jobs_posted_idx ON jobs (posted_at DESC, id DESC) WHERE status = 'open';
      CREATE INDEX jobs_school_idx ON jobs (school_id) WHERE status = 'open';

      -- The composite key is skipped when school_id is NULL (MATCH SIMPLE): copy it from the source.
      CREATE OR REPLACE FUNCTION jobs_owner_from_source() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT school_id INTO NEW.school_id FROM job_sources WHERE id = NEW.source_id;
        RETURN NEW;
      END $$;
      CREATE TRIGGER jobs_owner BEFORE INSERT OR UPDATE OF source_id, school_id ON jobs
        FOR EACH ROW EXECUTE FUNCTION jobs_owner_from_source();

      CREATE TABLE job_ingestion_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_id uuid NOT NULL REFERENCES job_sources(id) ON DELETE CASCADE,
        school_id uuid REFERENCES schools(id) ON DELETE CASCADE,
        workflow_id text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
        fetched integer NOT NULL DEFAULT 0,
        created integer NOT NULL DEFAULT 0,
        updated integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        closed integer NOT NULL DEFAULT 0,
        failed integer NOT NULL DEFAULT 0,
        duration_ms integer,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        FOREIGN KEY (source_id, school_id) REFERENCES job_sources (id, school_id) ON DELETE CASCADE
      );
      CREATE INDEX job_ingestion_runs_source_idx ON job_ingestion_runs (source_id, started_at DESC);
    `)

    for (const table of ['job_sources', 'jobs', 'job_ingestion_runs']) {
      this.schema.raw(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${table}_visibility ON ${table}
          USING (school_id IS NULL OR school_id = app_school_id() OR app_platform_scope())
          WITH CHECK ((school_id IS NOT NULL AND school_id = app_school_id()) OR app_platform_scope());
      `)
    }

    this.schema.raw(`
      CREATE TABLE applications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        membership_id uuid NOT NULL,
        job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        status text NOT NULL DEFAULT 'saved' CHECK (status IN
          ('saved', 'applied', 'interviewing', 'offer', 'rejected', 'withdrawn')),
        notes text CHECK (length(notes) <= 10000),
        applied_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (school_id, membership_id, job_id),
        UNIQUE (school_id, id),
        FOREIGN KEY (school_id, membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX applications_list_idx ON applications (school_id, status, id);
      CREATE INDEX applications_member_idx ON applications (school_id, membership_id, id);

      CREATE TABLE application_events (
        id bigserial PRIMARY KEY,
        school_id uuid NOT NULL,
        application_id uuid NOT NULL,
        from_status text,
        to_status text,
        note text CHECK (length(note) <= 10000),
        actor_user_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (school_id, application_id) REFERENCES applications (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX application_events_app_idx ON application_events (school_id, application_id, id);
    `)
    for (const table of ['applications', 'application_events']) {
      this.schema.raw(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${table}_isolation ON ${table}
          USING (school_id = app_school_id() OR app_platform_scope())
          WITH CHECK (school_id = app_school_id() OR app_platform_scope());
      `)
    }
  }

  async down() {
    this.schema.raw(`
      DROP TABLE IF EXISTS application_events, applications, job_ingestion_runs, jobs, job_sources CASCADE;
      DROP FUNCTION IF EXISTS jobs_owner_from_source;
    `)
  }
}
