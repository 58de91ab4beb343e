import env from '#start/env'

/*
| Temporal connection for the API (Client) and the worker (NativeConnection).
| TLS is on when TEMPORAL_TLS_CERT_PATH/KEY_PATH are set (mutual TLS).
*/
const temporalConfig = {
  address: env.get('TEMPORAL_ADDRESS'),
  namespace: env.get('TEMPORAL_NAMESPACE', 'default'),
  taskQueue: env.get('TEMPORAL_TASK_QUEUE', 'pathways'),
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
