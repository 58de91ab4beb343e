import env from '#start/env'

/* S3 (MinIO in development and tests). Buckets are private and SSE-encrypted. */
const storageConfig = {
  endpoint: env.get('S3_ENDPOINT'),
  region: env.get('S3_REGION'),
  forcePathStyle: env.get('S3_FORCE_PATH_STYLE', false),
  credentials:
    env.get('S3_ACCESS_KEY_ID') && env.get('S3_SECRET_ACCESS_KEY')
      ? {
          accessKeyId: env.get('S3_ACCESS_KEY_ID')!,
          secretAccessKey: env.get('S3_SECRET_ACCESS_KEY')!.release(),
        }
      : undefined,
  buckets: {
    resumes: env.get('S3_BUCKET_RESUMES'),
    reports: env.get('S3_BUCKET_REPORTS'),
  },
}

export type StorageConfig = typeof storageConfig
export default storageConfig
