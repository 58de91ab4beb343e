import env from '#start/env'

/*
| Temporal connection for the API (Client) and the worker (NativeConnection).
| TLS is on when TEMPORAL_TLS_CERT_PATH/KEY_PATH are set (mutual TLS).
*/
const temporalConfig = {
  address: env.get('TEMPORAL_ADDRESS'),
  namespace: env.get('TEMPORAL_NAMESPACE', 'default'),
  /** interactive work: invitations, nudges, MFA recovery, reports */
  taskQueue: env.get('TEMPORAL_TASK_QUEUE', 'pathways'),
  /** job-board ingestion, so a slow board never delays a mail */
  ingestionTaskQueue: env.get('TEMPORAL_INGESTION_TASK_QUEUE', 'pathways-ingestion'),
  /** retention of closed workflows in the namespace (`node ace temporal:setup`) */
  retentionDays: env.get('TEMPORAL_NAMESPACE_RETENTION_DAYS', 7),
  uiUrl: env.get('TEMPORAL_UI_URL'),
  /** the worker process (defaults match the Helm chart) */
  worker: {
    metricsPort: env.get('WORKER_METRICS_PORT', 9464),
    healthPort: env.get('WORKER_HEALTH_PORT', 9465),
    /** running activities get this long to finish after SIGTERM */
    shutdownGraceSeconds: env.get('WORKER_SHUTDOWN_GRACE_SECONDS', 300),
  },
  /** the outbox relay (app/services/platform/workflow_outbox.ts) */
  outbox: {
    /** pause between relay rounds when nothing was due */
    pollMs: env.get('OUTBOX_POLL_MS', 500),
    /** rows claimed per round */
    batchSize: env.get('OUTBOX_BATCH_SIZE', 50),
    /** a claimed row is re-offered after this long if its relay died mid-delivery */
    leaseMs: env.get('OUTBOX_LEASE_MS', 30_000),
    /** backoff after a Temporal error: min(max, initial * 2^(attempts-1)), with jitter */
    initialBackoffMs: env.get('OUTBOX_INITIAL_BACKOFF_MS', 500),
    maxBackoffMs: env.get('OUTBOX_MAX_BACKOFF_MS', 10_000),
  },
  tls: {
    certPath: env.get('TEMPORAL_TLS_CERT_PATH'),
    keyPath: env.get('TEMPORAL_TLS_KEY_PATH'),
    caPath: env.get('TEMPORAL_TLS_CA_PATH'),
    serverName: env.get('TEMPORAL_TLS_SERVER_NAME'),
  },
}

export type TemporalConfig = typeof temporalConfig
export default temporalConfig
