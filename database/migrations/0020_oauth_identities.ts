import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Google / Microsoft identities linked to Pathways accounts. A global identity
 * table (not tenant-owned, so no row-level security): one row per provider
 * subject, which can belong to exactly one user.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE oauth_identities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        provider text NOT NULL CHECK (provider IN ('google', 'microsoft')),
        subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        email citext CHECK (length(email) <= 254),
        tenant text CHECK (length(tenant) <= 255),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (provider, subject)
      );
      CREATE INDEX oauth_identities_user_idx ON oauth_identities (user_id);
    `)
  }

  async down() {
    this.schema.raw(`DROP TABLE IF EXISTS oauth_identities`)
  }
}
