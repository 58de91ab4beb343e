import { JobSourceSchema } from '#database/schema'

/** A job board the ingestion workflow reads (global, or a school's own). */
export default class JobSource extends JobSourceSchema {
  static table = 'job_sources'
}
