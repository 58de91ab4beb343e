import { JobSchema } from '#database/schema'

/** A normalized job posting. */
export default class Job extends JobSchema {
  static table = 'jobs'
}
