import app from '@adonisjs/core/services/app'
import { HeadBucketCommand } from '@aws-sdk/client-s3'
import { BaseCheck, Result } from '@adonisjs/health'
import type { StorageConfig } from '#config/storage'

/** Ready when every bucket we write to exists and is reachable with our credentials. */
export class S3Check extends BaseCheck {
  name = 'S3'

  async run() {
    const config = app.config.get<StorageConfig>('storage')
    try {
      const s3 = await app.container.make('s3.client')
      for (const bucket of Object.values(config.buckets)) {
        await s3.send(new HeadBucketCommand({ Bucket: bucket }), {
          abortSignal: AbortSignal.timeout(3000),
        })
      }
      return Result.ok('S3 buckets are reachable')
    } catch (error) {
      return Result.failed('S3 buckets are unreachable', error as Error)
    }
  }
}
