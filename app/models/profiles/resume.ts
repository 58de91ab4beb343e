import { ResumeSchema } from '#database/schema'

/** An uploaded resume (the object lives in S3). */
export default class Resume extends ResumeSchema {
  static table = 'resumes'
}
