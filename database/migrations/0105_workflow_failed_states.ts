import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Failures end in a visible state: an invitation or MFA recovery whose workflow gave up
 * (business deadline passed, or a non-retryable error) is `failed`, which frees the
 * address/account for a new attempt (the open-row unique indexes exclude it).
 * `sent_notifications.claimed_until` replaces the row lock held across SMTP: a sender
 * claims the key for a short lease, sends outside any transaction, then records `sent_at`.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      ALTER TABLE invitations DROP CONSTRAINT invitations_status_check;
      ALTER TABLE invitations ADD CONSTRAINT invitations_status_check
        CHECK (status IN ('pending', 'accepted', 'revoked', 'expired', 'failed'));
      ALTER TABLE invitations ADD COLUMN failure text;

      ALTER TABLE mfa_recoveries DROP CONSTRAINT mfa_recoveries_status_check;
      ALTER TABLE mfa_recoveries ADD CONSTRAINT mfa_recoveries_status_check
        CHECK (status IN ('requested', 'verified', 'completed', 'cancelled', 'denied', 'expired', 'failed'));

      ALTER TABLE sent_notifications ADD COLUMN claimed_until timestamptz;
    `)
  }

  async down() {
    this.schema.raw(`
      ALTER TABLE sent_notifications DROP COLUMN claimed_until;
      ALTER TABLE invitations DROP COLUMN failure;
    `)
  }
}
