import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Second factors (global identity tables). The TOTP secret is encrypted with the
 * app key (it must be read back to verify codes); recovery codes are hashed.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE mfa_totp_factors (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
        secret_encrypted text NOT NULL,
        confirmed_at timestamptz,
        -- RFC 6238 time step of the last accepted code: a code is accepted once.
        last_used_step bigint,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE mfa_recovery_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (user_id, code_hash)
      );
    `)
  }

  async down() {
    this.schema.raw('DROP TABLE IF EXISTS mfa_recovery_codes, mfa_totp_factors')
  }
}
