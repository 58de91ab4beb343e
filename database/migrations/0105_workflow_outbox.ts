import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Transactional outbox for Temporal: a request writes its intent (start, signal or
 * cancel a workflow) in the same transaction as its rows; the relay in the worker
 * process delivers it with the workflow's deterministic id and marks it done. A
 * Temporal outage delays the work, never loses it, and never leaves an orphan row.
 *
 * RLS: a request transaction may insert intents for its own school (or school-less
 * ones, e.g. MFA recovery); only a platform-scope transaction (the relay) reads,
 * claims and updates them.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.raw(`
      CREATE TABLE workflow_outbox (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        school_id uuid REFERENCES schools(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('start', 'signal', 'cancel')),
        workflow_type text CHECK (length(workflow_type) <= 100),
        workflow_id text NOT NULL CHECK (length(workflow_id) <= 500),
        signal_name text CHECK (length(signal_name) <= 100),
        task_queue text,
        payload jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        CHECK (kind <> 'start' OR workflow_type IS NOT NULL),
        CHECK (kind <> 'signal' OR signal_name IS NOT NULL)
      );
      -- The relay's claim: pending rows in order, per workflow id.
      CREATE INDEX workflow_outbox_pending_idx ON workflow_outbox (next_attempt_at, seq)
        WHERE status = 'pending';
      CREATE INDEX workflow_outbox_workflow_idx ON workflow_outbox (workflow_id, seq)
        WHERE status = 'pending';
      CREATE INDEX workflow_outbox_done_idx ON workflow_outbox (done_at) WHERE status <> 'pending';

      ALTER TABLE workflow_outbox ENABLE ROW LEVEL SECURITY;
      ALTER TABLE workflow_outbox FORCE ROW LEVEL SECURITY;
      CREATE POLICY workflow_outbox_insert ON workflow_outbox FOR INSERT
        WITH CHECK (school_id IS NULL OR school_id = app_school_id() OR app_platform_scope());
      CREATE POLICY workflow_outbox_relay ON workflow_outbox FOR ALL
        USING (app_platform_scope()) WITH CHECK (app_platform_scope());
    `)
  }

  async down() {
    this.schema.raw('DROP TABLE IF EXISTS workflow_outbox')
  }
}
