/*
| Every environment variable Pathways reads, validated at boot. The README's
| configuration table mirrors this file.
*/
import { Env } from '@adonisjs/core/env'

/** A connection string such as postgres://user:pass@host:port/db (validated, not logged). */
function connectionUrl(protocols: string[]) {
  const parse = (name: string, value?: string) => {
    if (!value) throw new Error(`Missing environment variable "${name}"`)
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw new Error(`Value for environment variable "${name}" must be a connection URL`)
    }
    if (!protocols.includes(url.protocol.slice(0, -1))) {
      throw new Error(`"${name}" must use one of: ${protocols.join(', ')}`)
    }
    return value
  }
  const optional = (name: string, value?: string) => (value ? parse(name, value) : undefined)
  return { required: parse, optional }
}

/** Comma-separated `host:port` entries (IPv6 hosts in brackets), e.g. `127.0.0.1:8080`. */
function optionalHostPortList(name: string, value?: string) {
  if (!value) return undefined
  for (const entry of value.split(',').map((e) => e.trim())) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(entry)) {
      throw new Error(`"${name}" entries must be host:port (got "${entry}")`)
    }
  }
  return value
}

const postgresUrl = connectionUrl(['postgres', 'postgresql'])
const redisUrl = connectionUrl(['redis', 'rediss'])

export default await Env.create(new URL('../', import.meta.url), {
  NODE_ENV: Env.schema.enum(['development', 'production', 'test'] as const),
  HOST: Env.schema.string({ format: 'host' }),
  PORT: Env.schema.number(),
  APP_KEY: Env.schema.secret(),
  /* Rotation: the keys APP_KEY replaced, comma-separated; only used to decrypt and verify. */
  APP_KEY_PREVIOUS: Env.schema.secret.optional(),
  APP_URL: Env.schema.string({ format: 'url', tld: false }),
  APP_NAME: Env.schema.string.optional(),
  LOG_LEVEL: Env.schema.enum([
    'fatal',
    'error',
    'warn',
    'info',
    'debug',
    'trace',
    'silent',
  ] as const),
  CORS_ORIGINS: Env.schema.string.optional(),
  TRUSTED_PROXIES: Env.schema.string.optional(),

  /* PostgreSQL: the API and worker connect as a non-owner role (RLS applies);
     migrations connect as the owner. */
  DATABASE_URL: postgresUrl.required,
  DATABASE_OWNER_URL: postgresUrl.optional,
  DATABASE_POOL_MAX: Env.schema.number.optional(),

  REDIS_URL: redisUrl.required,

  /* Temporal */
  TEMPORAL_ADDRESS: Env.schema.string(),
  TEMPORAL_NAMESPACE: Env.schema.string.optional(),
  TEMPORAL_TASK_QUEUE: Env.schema.string.optional(),
  TEMPORAL_INGESTION_TASK_QUEUE: Env.schema.string.optional(),
  TEMPORAL_NAMESPACE_RETENTION_DAYS: Env.schema.number.optional(),
  WORKER_METRICS_PORT: Env.schema.number.optional(),
  WORKER_HEALTH_PORT: Env.schema.number.optional(),
  WORKER_SHUTDOWN_GRACE_SECONDS: Env.schema.number.optional(),
  WORKFLOW_UPDATE_DEADLINE_MS: Env.schema.number.optional(),
  OUTBOX_POLL_MS: Env.schema.number.optional(),
  OUTBOX_BATCH_SIZE: Env.schema.number.optional(),
  OUTBOX_LEASE_MS: Env.schema.number.optional(),
  OUTBOX_INITIAL_BACKOFF_MS: Env.schema.number.optional(),
  OUTBOX_MAX_BACKOFF_MS: Env.schema.number.optional(),
  TEMPORAL_UI_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  TEMPORAL_TLS_CERT_PATH: Env.schema.string.optional(),
  TEMPORAL_TLS_KEY_PATH: Env.schema.string.optional(),
  TEMPORAL_TLS_CA_PATH: Env.schema.string.optional(),
  TEMPORAL_TLS_SERVER_NAME: Env.schema.string.optional(),

  /* S3 (MinIO locally) */
  S3_ENDPOINT: Env.schema.string.optional({ format: 'url', tld: false }),
  S3_REGION: Env.schema.string(),
  S3_ACCESS_KEY_ID: Env.schema.string.optional(),
  S3_SECRET_ACCESS_KEY: Env.schema.secret.optional(),
  S3_FORCE_PATH_STYLE: Env.schema.boolean.optional(),
  S3_BUCKET_RESUMES: Env.schema.string(),
  S3_BUCKET_REPORTS: Env.schema.string(),

  /* Mail (Mailpit locally) */
  SMTP_HOST: Env.schema.string({ format: 'host' }),
  SMTP_PORT: Env.schema.number(),
  SMTP_USERNAME: Env.schema.string.optional(),
  SMTP_PASSWORD: Env.schema.secret.optional(),
  SMTP_MAX_CONNECTIONS: Env.schema.number.optional(),
  MAIL_FROM_ADDRESS: Env.schema.string.optional({ format: 'email' }),

  /* Job search */
  SEARCH_ENGINE: Env.schema.enum.optional(['postgres', 'opensearch', 'elasticsearch'] as const),
  OPENSEARCH_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  ELASTICSEARCH_URL: Env.schema.string.optional({ format: 'url', tld: false }),

  /* Outbound HTTP to user-supplied URLs: host:port entries exempt from the internal-address
     refusal (config/outbound_http.ts). Empty by default everywhere. */
  OUTBOUND_HTTP_ALLOWLIST: optionalHostPortList,

  /* Google / Microsoft sign-in (config/ally.ts); a provider is on when its id and secret are set */
  OAUTH_REDIRECT_BASE_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  OAUTH_RETURN_TO_ALLOWLIST: Env.schema.string.optional(),
  GOOGLE_CLIENT_ID: Env.schema.string.optional(),
  GOOGLE_CLIENT_SECRET: Env.schema.string.optional(),
  GOOGLE_ISSUER: Env.schema.string.optional(),
  GOOGLE_AUTHORIZE_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  GOOGLE_TOKEN_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  GOOGLE_USERINFO_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  GOOGLE_JWKS_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  MICROSOFT_CLIENT_ID: Env.schema.string.optional(),
  MICROSOFT_CLIENT_SECRET: Env.schema.string.optional(),
  MICROSOFT_TENANT: Env.schema.string.optional(),
  MICROSOFT_ISSUER: Env.schema.string.optional(),
  MICROSOFT_AUTHORIZE_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  MICROSOFT_TOKEN_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  MICROSOFT_USERINFO_URL: Env.schema.string.optional({ format: 'url', tld: false }),
  MICROSOFT_JWKS_URL: Env.schema.string.optional({ format: 'url', tld: false }),

  /* Rate limits (requests per minute; app/middleware/throttle.ts, README "Rate limits") */
  RATE_LIMIT_IP_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_PRINCIPAL_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_EXPENSIVE_PER_MINUTE: Env.schema.number.optional(),
  RATE_LIMIT_CLIENT_PER_SCHOOL_PER_MINUTE: Env.schema.number.optional(),

  /* Session limits (config/session.ts; duration strings such as '30 days', '10 minutes') */
  SESSION_IDLE_TIMEOUT: Env.schema.string.optional(),
  SESSION_ABSOLUTE_LIFETIME: Env.schema.string.optional(),
  SESSION_REAUTHENTICATION_WINDOW: Env.schema.string.optional(),

  /* Internal mutual-TLS listener (off unless INTERNAL_PORT is set; then the three paths are required) */
  INTERNAL_PORT: Env.schema.number.optional(),
  INTERNAL_HOST: Env.schema.string.optional({ format: 'host' }),
  INTERNAL_TLS_CA_PATH: Env.schema.string.optionalWhen(() => !process.env.INTERNAL_PORT),
  INTERNAL_TLS_CERT_PATH: Env.schema.string.optionalWhen(() => !process.env.INTERNAL_PORT),
  INTERNAL_TLS_KEY_PATH: Env.schema.string.optionalWhen(() => !process.env.INTERNAL_PORT),
})
