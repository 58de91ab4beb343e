import { readFile } from 'node:fs/promises'
import { Client, Connection, type TLSConfig } from '@temporalio/client'
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
 * A Client over a lazy connection: nothing is dialled until the first call, and the gRPC
 * channel reconnects by itself (backoff capped at 2 s), so a Temporal outage, even during
 * the first call, never leaves the process with a cached failure.
 */
export async function createTemporalClient(config: TemporalConfig) {
  const connection = Connection.lazy({
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
