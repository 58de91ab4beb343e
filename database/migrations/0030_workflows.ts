import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Durable workflows (Temporal): staff invitations (tenant table, mirrors the
 * workflow's status for the API), sent notifications (idempotency keys of mail
 * sent by activities, so a retried activity never sends twice) and MFA recoveries.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE invitations (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        school_id uuid NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
        email citext NOT NULL CHECK (length(email) <= 254),
        role text NOT NULL CHECK (role IN ('school_admin', 'staff', 'mentor', 'learner')),
        cohort_ids uuid[] NOT NULL DEFAULT '{}',
        token_hash bytea NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'accepted', 'revoked', 'expired')),
        workflow_id text NOT NULL,
        invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
        expires_at timestamptz NOT NULL,
        reminded_at timestamptz,
        accepted_at timestamptz,
        accepted_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (school_id, id)
      );
      -- One pending invitation per school and address (the workflow id is derived from both).
      CREATE UNIQUE INDEX invitations_pending_uidx ON invitations (school_id, email) WHERE status = 'pending';
      CREATE INDEX invitations_list_idx ON invitations (school_id, status, id);

      ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
      ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
      CREATE POLICY invitations_isolation ON invitations
        USING (school_id = app_school_id() OR app_platform_scope())
        WITH CHECK (school_id = app_school_id() OR app_platform_scope());

      -- Global: one row per notification an activity decided to send.
      CREATE TABLE sent_notifications (
        idempotency_key text PRIMARY KEY CHECK (length(idempotency_key) <= 500),
        recipient citext NOT NULL,
        subject text NOT NULL,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      -- Global identity table: one MFA recovery request (workflow mfa-recovery:{userId}).
      CREATE TABLE mfa_recoveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        workflow_id text NOT NULL,
        status text NOT NULL DEFAULT 'requested'
          CHECK (status IN ('requested', 'verified', 'completed', 'cancelled', 'denied', 'expired')),
        verify_token_hash bytea NOT NULL UNIQUE,
        cancel_token_hash bytea NOT NULL UNIQUE,
        verified_at timestamptz,
        completed_at timestamptz,
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX mfa_recoveries_open_uidx ON mfa_recoveries (user_id)
        WHERE status IN ('requested', 'verified');
    `)
  }

  async down() {
    this.schema.raw('DROP TABLE IF EXISTS mfa_recoveries, sent_notifications, invitations')
  }
}
