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

/** Registers one Temporal Client for the process, connected on first use. */
export default class TemporalProvider {
  #client?: Client

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('temporal.client', async () => {
      const config = this.app.config.get<TemporalConfig>('temporal')
      const connection = await Connection.connect({
        address: config.address,
        tls: await temporalTls(config),
        connectTimeout: '5s',
      })
      this.#client = new Client({ connection, namespace: config.namespace })
      return this.#client
    })
  }

  async shutdown() {
    await this.#client?.connection.close()
  }
}
