import { S3Client } from '@aws-sdk/client-s3'
import type { ApplicationService } from '@adonisjs/core/types'
import type { StorageConfig } from '#config/storage'

declare module '@adonisjs/core/types' {
  interface ContainerBindings {
    's3.client': S3Client
  }
}

/** One S3 client per process (MinIO locally, AWS S3 in the cloud). */
export default class StorageProvider {
  #client?: S3Client

  constructor(protected app: ApplicationService) {}

  register() {
    this.app.container.singleton('s3.client', () => {
      const config = this.app.config.get<StorageConfig>('storage')
      this.#client = new S3Client({
        endpoint: config.endpoint,
        region: config.region,
        forcePathStyle: config.forcePathStyle,
        credentials: config.credentials,
      })
      return this.#client
    })
  }

  async shutdown() {
    this.#client?.destroy()
  }
}
