import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Schools and everything they own. Tenant tables carry school_id NOT NULL and
 * reference each other through composite (school_id, id) keys, so the database
 * refuses a row that points into another school. Row-level security compares
 * school_id with the transaction's `app.school_id` (set by the tenant middleware);
 * without that setting a tenant table shows no rows to the app role.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE OR REPLACE FUNCTION app_school_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('app.school_id', true), '')::uuid $$;
      CREATE OR REPLACE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
      CREATE OR REPLACE FUNCTION app_platform_scope() RETURNS boolean LANGUAGE sql STABLE AS
        $$ SELECT coalesce(current_setting('app.platform_scope', true), '') = 'on' $$;

      CREATE TABLE schools (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug citext NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        allowed_email_domains text[] NOT NULL DEFAULT '{}',
        sso_google_hosted_domains text[] NOT NULL DEFAULT '{}',
        sso_microsoft_tenant_ids text[] NOT NULL DEFAULT '{}',
        mfa_required_for_admins boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE memberships (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('school_admin', 'staff', 'mentor', 'learner')),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'ended')),
        extra_permissions text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (school_id, user_id),
        UNIQUE (school_id, id)
      );
      CREATE INDEX memberships_user_idx ON memberships (user_id);
      CREATE INDEX memberships_list_idx ON memberships (school_id, role, status, id);

      CREATE TABLE cohorts (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        term text CHECK (length(term) <= 100),
        starts_on date,
        ends_on date,
        archived_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (school_id, id),
        CHECK (starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on)
      );
      CREATE INDEX cohorts_list_idx ON cohorts (school_id, archived_at, id);

      CREATE TABLE cohort_members (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL,
        cohort_id uuid NOT NULL,
        membership_id uuid NOT NULL,
        cohort_role text NOT NULL CHECK (cohort_role IN ('mentor', 'learner')),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cohort_id, membership_id),
        UNIQUE (school_id, id),
        FOREIGN KEY (school_id, cohort_id) REFERENCES cohorts (school_id, id) ON DELETE CASCADE,
        FOREIGN KEY (school_id, membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX cohort_members_membership_idx ON cohort_members (school_id, membership_id);

      CREATE TABLE mentor_assignments (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL,
        cohort_id uuid NOT NULL,
        mentor_membership_id uuid NOT NULL,
        learner_membership_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cohort_id, mentor_membership_id, learner_membership_id),
        CHECK (mentor_membership_id <> learner_membership_id),
        FOREIGN KEY (school_id, cohort_id) REFERENCES cohorts (school_id, id) ON DELETE CASCADE,
        FOREIGN KEY (school_id, mentor_membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE,
        FOREIGN KEY (school_id, learner_membership_id) REFERENCES memberships (school_id, id) ON DELETE CASCADE
      );
      CREATE INDEX mentor_assignments_mentor_idx ON mentor_assignments (school_id, mentor_membership_id);
      CREATE INDEX mentor_assignments_learner_idx ON mentor_assignments (school_id, learner_membership_id);

      CREATE TABLE role_permissions (
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('school_admin', 'staff', 'mentor', 'learner')),
        permissions text[] NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (school_id, role)
      );

      -- Append-only. school_id is NULL for identity events outside any school.
      CREATE TABLE audit_events (
        id bigserial PRIMARY KEY,
        school_id uuid REFERENCES schools(id) ON DELETE CASCADE,
        actor_user_id uuid,
        actor_service text,
        action text NOT NULL,
        target_type text,
        target_id text,
        changes jsonb NOT NULL DEFAULT '{}',
        outcome text NOT NULL DEFAULT 'success' CHECK (outcome IN ('success', 'failure', 'denied')),
        ip inet,
        user_agent text,
        request_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX audit_events_school_idx ON audit_events (school_id, id DESC);
      CREATE INDEX audit_events_actor_idx ON audit_events (actor_user_id, id DESC);

      CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

      -- Row-level security: tenant rows only inside their school's context.
      ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
      ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
      -- A user also sees their own memberships (to list their schools and resolve context).
      CREATE POLICY memberships_isolation ON memberships
        USING (school_id = app_school_id() OR user_id = app_user_id() OR app_platform_scope())
        WITH CHECK (school_id = app_school_id() OR app_platform_scope());
    `)

    for (const table of ['cohorts', 'cohort_members', 'mentor_assignments']) {
      this.schema.raw(`
        ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
        ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
        CREATE POLICY ${table}_isolation ON ${table}
          USING (school_id = app_school_id() OR app_platform_scope())
          WITH CHECK (school_id = app_school_id() OR app_platform_scope());
      `)
    }

    // Members read their school's role overrides (GET /v1/me); only school context writes them.
    this.schema.raw(`
      ALTER TABLE role_permissions ENABLE ROW LEVEL SECURITY;
      ALTER TABLE role_permissions FORCE ROW LEVEL SECURITY;
      CREATE POLICY role_permissions_isolation ON role_permissions
        USING (school_id = app_school_id() OR app_platform_scope())
        WITH CHECK (school_id = app_school_id() OR app_platform_scope());
      CREATE POLICY role_permissions_member_read ON role_permissions FOR SELECT
        USING (EXISTS (SELECT 1 FROM memberships m
                        WHERE m.school_id = role_permissions.school_id AND m.user_id = app_user_id()));
    `)

    this.schema.raw(`
      ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
      ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
      CREATE POLICY audit_events_read ON audit_events FOR SELECT
        USING (school_id = app_school_id() OR app_platform_scope());
      -- Platform scope reaches every row, so UPDATE/DELETE meet the append-only trigger.
      CREATE POLICY audit_events_platform ON audit_events USING (app_platform_scope());
      CREATE POLICY audit_events_write ON audit_events FOR INSERT
        WITH CHECK (school_id IS NULL OR school_id = app_school_id() OR app_platform_scope());
    `)
  }

  async down() {
    this.schema.raw(`
      DROP TABLE IF EXISTS audit_events, role_permissions, mentor_assignments, cohort_members,
        cohorts, memberships, schools CASCADE;
      DROP FUNCTION IF EXISTS audit_events_append_only, app_school_id, app_user_id, app_platform_scope;
    `)
  }
}
