import type { Server } from 'node:https'
import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Starts the mutual-TLS internal listener (app/services/platform/internal_tls.ts) next to the
 * public HTTP server, in the `web` environment only and only when INTERNAL_PORT is set.
 */
export default class InternalTlsProvider {
  #server?: Server
  constructor(protected app: ApplicationService) {}

  async ready() {
    if (this.app.getEnvironment() !== 'web') return
    const { default: env } = await import('#start/env')
    const port = env.get('INTERNAL_PORT')
    if (!port) return
    const { startInternalServer } = await import('#services/platform/internal_tls')
    const server = await this.app.container.make('server')
    this.#server = await startInternalServer({
      host: env.get('INTERNAL_HOST', '0.0.0.0'),
      port,
      caPath: env.get('INTERNAL_TLS_CA_PATH')!,
      certPath: env.get('INTERNAL_TLS_CERT_PATH')!,
      keyPath: env.get('INTERNAL_TLS_KEY_PATH')!,
      handler: server.handle.bind(server),
    })
  }

  async shutdown() {
    await new Promise<void>((resolve) =>
      this.#server ? this.#server.close(() => resolve()) : resolve()
    )
  }
}
