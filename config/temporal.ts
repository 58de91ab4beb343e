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
  tls: {
    certPath: env.get('TEMPORAL_TLS_CERT_PATH'),
    keyPath: env.get('TEMPORAL_TLS_KEY_PATH'),
    caPath: env.get('TEMPORAL_TLS_CA_PATH'),
    serverName: env.get('TEMPORAL_TLS_SERVER_NAME'),
  },
}

export type TemporalConfig = typeof temporalConfig
export default temporalConfig
