import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Session limits and step-up: each refresh family records when its user last
 * proved who they are (sign-in, or POST /v1/me/reauthenticate). Sensitive changes
 * compare it with the re-authentication window; idle and absolute limits use
 * `last_used_at` and `created_at` (config/session.ts).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      ALTER TABLE refresh_token_families ADD COLUMN authenticated_at timestamptz;
      UPDATE refresh_token_families SET authenticated_at = created_at;
      ALTER TABLE refresh_token_families
        ALTER COLUMN authenticated_at SET NOT NULL,
        ALTER COLUMN authenticated_at SET DEFAULT now();
    `)
  }

  async down() {
    this.schema.raw(`ALTER TABLE refresh_token_families DROP COLUMN IF EXISTS authenticated_at`)
  }
}
