import { BaseSchema } from '@adonisjs/lucid/schema'

/** Global identity tables (not tenant-owned, so no row-level security). */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email citext NOT NULL UNIQUE CHECK (length(email) <= 254),
        full_name text CHECK (length(full_name) <= 200),
        password text,
        email_verified_at timestamptz,
        is_platform_admin boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );

      -- Opaque access tokens (@adonisjs/auth). name = 'session:<refresh family id>'
      -- so revoking a session or a device revokes its access tokens too.
      CREATE TABLE auth_access_tokens (
        id bigserial PRIMARY KEY,
        tokenable_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        type text NOT NULL,
        name text,
        hash text NOT NULL,
        abilities text NOT NULL,
        created_at timestamptz,
        updated_at timestamptz,
        last_used_at timestamptz,
        expires_at timestamptz
      );
      CREATE INDEX auth_access_tokens_user_idx ON auth_access_tokens (tokenable_id);
      CREATE INDEX auth_access_tokens_name_idx ON auth_access_tokens (name);

      CREATE TABLE devices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name text NOT NULL,
        user_agent text,
        last_ip inet,
        trusted_until timestamptz,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE INDEX devices_user_idx ON devices (user_id);

      -- One family per sign-in; each refresh rotates the token inside its family.
      CREATE TABLE refresh_token_families (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        device_id uuid NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        revoked_reason text
      );
      CREATE INDEX refresh_token_families_user_idx ON refresh_token_families (user_id);

      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        family_id uuid NOT NULL REFERENCES refresh_token_families(id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);

      -- Single-use, expiring tokens for e-mail verification and password reset.
      CREATE TABLE user_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
        token_hash bytea NOT NULL UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);
    `)
  }

  async down() {
    this.schema.raw(`DROP TABLE IF EXISTS user_tokens, refresh_tokens, refresh_token_families,
      devices, auth_access_tokens, users CASCADE`)
  }
}
