import { isGrpcServiceError, ServiceError } from '@temporalio/client'

export type Dependency = 'database' | 'redis' | 'temporal' | 'storage' | 'search'

/** Seconds a client should wait before retrying a request that met a failing dependency. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5

/** A dependency (PostgreSQL, Redis, Temporal, S3, search) failed: the request may be retried. */
export class DependencyUnavailableError extends Error {
  constructor(
    readonly dependency: Dependency,
    cause?: unknown
  ) {
    super(`${dependency} is unavailable`, { cause })
  }
}

/* Connection-level failures, never caused by the request's input. */
const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
])
/* PostgreSQL SQLSTATEs: connection exceptions (08), shutdown/crash (57P01-57P03), too many connections, serialization/deadlock retries. */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300|53400|40001|40P01)$/
const PG_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery)|Knex: Timeout acquiring a connection/i
const REDIS_MESSAGES =
  /Connection is closed|Stream isn't writeable|MaxRetriesPerRequestError|Reached the max retries per request limit|enableOfflineQueue options is false|LOADING Redis is loading/i
/* gRPC: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED */
const GRPC_UNAVAILABLE = new Set([14, 4, 8, 10])

function chain(error: unknown) {
  const errors: any[] = []
  let current: any = error
  for (let depth = 0; current && typeof current === 'object' && depth < 6; depth++) {
    errors.push(current)
    current = current.cause ?? current.originalError ?? current.error
  }
  return errors
}

/**
 * Which dependency an unexpected error comes from, when it is an availability failure
 * (a connection refused, reset or timed out; a server shutting down) rather than a bug.
 */
export function unavailableDependency(error: unknown): Dependency | null {
  for (const e of chain(error)) {
    if (e instanceof DependencyUnavailableError) return e.dependency
    const name = String(e?.name ?? '')
    const message = String(e?.message ?? '')
    const code = String(e?.code ?? '')
    if (isGrpcServiceError(e) && GRPC_UNAVAILABLE.has(e.code)) return 'temporal'
    if (e instanceof ServiceError && e.cause === undefined) return 'temporal'
    if (name === 'WorkflowUpdateRPCTimeoutOrCancelledError') return 'temporal'
    if (typeof e?.severity === 'string' && PG_UNAVAILABLE.test(code)) return 'database'
    if (name === 'KnexTimeoutError' || PG_MESSAGES.test(message)) return 'database'
    if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(message)) return 'redis'
    if (NODE_NETWORK_CODES.has(code)) {
      const port = Number(e?.port)
      const redisPort = Number(process.env.REDIS_URL?.match(/:(\d+)(\/|$)/)?.[1] ?? 6379)
      if (port && port === redisPort) return 'redis'
      return e?.syscall === 'connect' && /redis/i.test(String(e?.stack)) ? 'redis' : 'database'
    }
  }
  return null
}
