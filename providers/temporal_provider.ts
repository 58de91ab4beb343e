import { readFile } from 'node:fs/promises'
import {
  Client,
  Connection,
  defaultGrpcRetryOptions,
  makeGrpcRetryInterceptor,
  type ConnectionOptions,
  type GrpcRetryOptions,
  type TLSConfig,
} from '@temporalio/client'
import type { ApplicationService } from '@adonisjs/core/types'
import type { TemporalConfig } from '#config/temporal'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    'temporal.client': Client
  }
}

/** Reads the mutual-TLS material named by config; undefined when TLS is off. */
export async function temporalTls(config: TemporalConfig): Promise<TLSConfig | undefined> {
  const { certPath, keyPath, caPath, serverName } = config.tls
  if (!certPath || !keyPath) return undefined
  return {
    serverNameOverride: serverName,
    serverRootCACertificate: caPath ? await readFile(caPath) : undefined,
    clientCertPair: { crt: await readFile(certPath), key: await readFile(keyPath) },
  }
}

/**
 * Temporal's gRPC retry interceptor backs off with timers that `Connection.close()` does not
 * clear: one firing after the close throws "Channel has been shut down" from the timer, an
 * uncaught exception, and its call never settles. This keeps the default retry policy but,
 * once closing, schedules no new retry and lets the close wait for the scheduled ones to end
 * their attempt (at most one backoff, ≤ 6 s, and one attempt).
 */
class RetryDrain {
  #scheduled = 0 // retries scheduled whose attempt has not ended yet
  #closing = false
  #idle = Promise.withResolvers<void>()
  readonly retry: GrpcRetryOptions

  constructor() {
    const policy = defaultGrpcRetryOptions()
    this.retry = {
      delayFunction: policy.delayFunction,
      // Called once per ended attempt, success included; `attempt` > 1 ends a scheduled retry.
      retryableDecider: (attempt, status) => {
        if (attempt > 1) this.#scheduled--
        const again = !this.#closing && policy.retryableDecider(attempt, status)
        if (again) this.#scheduled++
        else if (this.#closing && this.#scheduled === 0) this.#idle.resolve()
        return again
      },
    }
  }

  close() {
    this.#closing = true
    if (this.#scheduled === 0) this.#idle.resolve()
    return this.#idle.promise
  }
}

/** A Connection whose close() first lets the calls waiting to retry end (see RetryDrain). */
class DrainingConnection extends Connection {
  #drain?: RetryDrain

  static open(options: Omit<ConnectionOptions, 'interceptors'>) {
    const drain = new RetryDrain()
    const connection = this.lazy({
      ...options,
      interceptors: [makeGrpcRetryInterceptor(drain.retry)],
    }) as DrainingConnection
    connection.#drain = drain
    return connection
  }

  override async close() {
    await this.#drain?.close()
    await super.close()
  }
}

/**
 * A Client over a lazy connection: nothing is dialled until the first call, and the gRPC
 * channel reconnects by itself (backoff capped at 2 s), so a Temporal outage, even during
 * the first call, never leaves the process with a cached failure.
 */
export async function createTemporalClient(config: TemporalConfig) {
  const connection = DrainingConnection.open({
    address: config.address,
    tls: await temporalTls(config),
    connectTimeout: '5s',
    channelArgs: {
      'grpc.initial_reconnect_backoff_ms': 250,
      'grpc.max_reconnect_backoff_ms': 2000,
    },
  })
  return new Client({ connection, namespace: config.namespace })
}

/** Registers one Temporal Client for the process (lazy, reconnecting; see createTemporalClient). */
export default class TemporalProvider {
  #client?: Client

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('temporal.client', async () => {
      this.#client = await createTemporalClient(this.app.config.get<TemporalConfig>('temporal'))
      return this.#client
    })
  }

  async shutdown() {
    await this.#client?.connection.close()
  }
}
