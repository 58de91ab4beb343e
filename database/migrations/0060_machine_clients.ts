import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * OAuth 2.0 client-credentials clients. A client belongs to one school (tenant
 * table, RLS); its tokens are looked up by hash before any school context
 * exists, so they live in a global table like the users' access tokens.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE machine_clients (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        client_id text NOT NULL UNIQUE,
        secret_hash bytea NOT NULL,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        revoked_at timestamptz,
        UNIQUE (school_id, id)
      );
      ALTER TABLE machine_clients ENABLE ROW LEVEL SECURITY;
      ALTER TABLE machine_clients FORCE ROW LEVEL SECURITY;
      CREATE POLICY machine_clients_isolation ON machine_clients
        USING (school_id = app_school_id() OR app_platform_scope())
        WITH CHECK (school_id = app_school_id() OR app_platform_scope());

      CREATE TABLE machine_access_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        machine_client_id uuid NOT NULL REFERENCES machine_clients(id) ON DELETE CASCADE,
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        scopes text[] NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX machine_access_tokens_client_idx ON machine_access_tokens (machine_client_id);
    `)
  }

  async down() {
    this.schema.raw('DROP TABLE IF EXISTS machine_access_tokens, machine_clients')
  }
}
