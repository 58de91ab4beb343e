import { BaseSchema } from '@adonisjs/lucid/schema'
import env from '#start/env'

/**
 * Least privilege in the database:
 * - memberships: a user reads their own rows in every school (to list their schools), but
 *   writes only inside the school of the transaction — the old policy's `user_id =
 *   app_user_id()` also let a user UPDATE/DELETE their rows in other schools;
 * - audit_events: the app role may INSERT and SELECT only (the trigger stays as a second guard);
 * - recovery codes get a per-code salt. Codes from before carry 50 bits and an unsalted hash:
 *   they are deleted, and their owners generate new ones (their authenticator keeps working).
 */
export default class extends BaseSchema {
  private appRole() {
    const role = decodeURIComponent(new URL(env.get('DATABASE_URL')).username)
    return `"${role.replaceAll('"', '""')}"`
  }

  async up() {
    this.schema.raw(`
      DROP POLICY memberships_isolation ON memberships;
      CREATE POLICY memberships_isolation ON memberships
        USING (school_id = app_school_id() OR app_platform_scope())
        WITH CHECK (school_id = app_school_id() OR app_platform_scope());
      CREATE POLICY memberships_own_read ON memberships FOR SELECT
        USING (user_id = app_user_id());

      REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${this.appRole()};

      DELETE FROM mfa_recovery_codes;
      ALTER TABLE mfa_recovery_codes
        ADD COLUMN code_salt bytea NOT NULL CHECK (length(code_salt) >= 16);
    `)
  }

  async down() {
    this.schema.raw(`
      ALTER TABLE mfa_recovery_codes DROP COLUMN code_salt;

      GRANT UPDATE, DELETE ON audit_events TO ${this.appRole()};

      DROP POLICY memberships_own_read ON memberships;
      DROP POLICY memberships_isolation ON memberships;
      CREATE POLICY memberships_isolation ON memberships
        USING (school_id = app_school_id() OR user_id = app_user_id() OR app_platform_scope())
        WITH CHECK (school_id = app_school_id() OR app_platform_scope());
    `)
  }
}
