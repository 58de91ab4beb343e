import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Short-lived, single-use sign-in continuations (global identity table):
 * - `mfa`: the password (or OAuth) step succeeded, a second factor is due
 *   (POST /v1/auth/mfa/challenge);
 * - `mfa_enrollment`: a school requires MFA for the user's admin role and the
 *   user has none yet; the token only opens the TOTP enroll/confirm endpoints.
 * Tokens are stored as SHA-256 (they carry 256 bits of entropy).
 * Devices get a hashed secret so a later sign-in can prove it is the same device
 * (device trust skips MFA for 30 days; an unknown device triggers a notice mail).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE auth_challenges (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('mfa', 'mfa_enrollment')),
        token_hash bytea NOT NULL UNIQUE,
        method text NOT NULL,
        device_id uuid REFERENCES devices(id) ON DELETE SET NULL,
        failed_attempts integer NOT NULL DEFAULT 0,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX auth_challenges_user_idx ON auth_challenges (user_id);

      ALTER TABLE devices ADD COLUMN IF NOT EXISTS device_token_hash bytea;
      CREATE INDEX IF NOT EXISTS refresh_token_families_device_idx ON refresh_token_families (device_id);
    `)
  }

  async down() {
    this.schema.raw(`
      DROP TABLE IF EXISTS auth_challenges;
      DROP INDEX IF EXISTS refresh_token_families_device_idx;
      ALTER TABLE devices DROP COLUMN IF EXISTS device_token_hash;
    `)
  }
}
