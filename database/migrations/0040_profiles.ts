import { BaseSchema } from '@adonisjs/lucid/schema'
import { SKILLS } from '#services/profiles/profile_skills'

/**
 * Learner profiles (one per membership), their sections, a global normalized skill
 * list with aliases, resumes and reports stored on S3. Tenant tables: school_id NOT
 * NULL, composite FKs into memberships, RLS forced.
 */
export default class extends BaseSchema {
  async up() {
    const values = SKILLS.map(
      ([slug, name, aliases]) =>
        `('${slug}', '${name.replace(/'/g, "''")}', ARRAY[${aliases.map((a) => `'${a}'`).join(',')}]::text[])`
    ).join(',\n')
    this.schema.raw(`
      CREATE TABLE skills (
        id serial PRIMARY KEY,
        slug text NOT NULL UNIQUE,
        name text NOT NULL UNIQUE,
        aliases text[] NOT NULL DEFAULT '{}'
      );
      INSERT INTO skills (slug, name, aliases) VALUES ${values}
        ON CONFLICT (slug) DO NOTHING;

      CREATE TABLE profiles (
        school_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        headline text CHECK (length(headline) <= 200),
        summary text CHECK (length(summary) <= 5000),
        preferences jsonb NOT NULL DEFAULT '{}',
        notification_preferences jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (school_id, membership_id),
        FOREIGN KEY (school_id, membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );

      CREATE TABLE profile_education (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        institution text NOT NULL CHECK (length(institution) BETWEEN 1 AND 200),
        degree text CHECK (length(degree) <= 200),
        field text CHECK (length(field) <= 200),
        start_date date,
        end_date date,
        current boolean NOT NULL DEFAULT false,
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date),
        FOREIGN KEY (school_id, membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX profile_education_idx ON profile_education (school_id, membership_id, position);

      CREATE TABLE profile_experience (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        organization text NOT NULL CHECK (length(organization) BETWEEN 1 AND 200),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        location text CHECK (length(location) <= 200),
        start_date date,
        end_date date,
        current boolean NOT NULL DEFAULT false,
        description text CHECK (length(description) <= 5000),
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (start_date IS NULL OR end_date IS NULL OR end_date >= start_date),
        FOREIGN KEY (school_id, membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX profile_experience_idx ON profile_experience (school_id, membership_id, position);

      CREATE TABLE profile_skills (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        skill_id integer NOT NULL REFERENCES skills(id),
        level text NOT NULL DEFAULT 'intermediate'
          CHECK (level IN ('beginner', 'intermediate', 'advanced', 'expert')),
        position integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (school_id, membership_id, skill_id),
        FOREIGN KEY (school_id, membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );

      CREATE TABLE resumes (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        object_key text NOT NULL UNIQUE,
        filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
        content_type text NOT NULL,
        size_bytes integer,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready')),
        is_default boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (school_id, membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX resumes_owner_idx ON resumes (school_id, membership_id, created_at DESC);
      CREATE UNIQUE INDEX resumes_one_default ON resumes (school_id, membership_id) WHERE is_default;

      CREATE TABLE reports (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('cohort_profile_completion')),
        cohort_id uuid,
        requested_by uuid REFERENCES users(id) ON DELETE SET NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'ready', 'failed')),
        object_key text,
        row_count integer,
        error text,
        workflow_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (school_id, cohort_id) REFERENCES cohorts (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX reports_school_idx ON reports (school_id, created_at DESC);
    `)
    for (const table of [
      'profiles',
      'profile_education',
      'profile_experience',
      'profile_skills',
      'resumes',
      'reports',
    ]) {
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
      DROP TABLE IF EXISTS reports, resumes, profile_skills, profile_experience, profile_education,
        profiles, skills CASCADE;
    `)
  }
}
