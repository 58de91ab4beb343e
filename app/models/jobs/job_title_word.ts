import { JobTitleWordSchema } from '#database/schema'

/** The distinct words of job titles (typo-tolerant search matches against these). */
export default class JobTitleWord extends JobTitleWordSchema {
  static table = 'job_title_words'
}
