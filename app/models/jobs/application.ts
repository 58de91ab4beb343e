import { ApplicationSchema } from '#database/schema'

/** A learner tracking a job: saved, applied, interviewing... */
export default class Application extends ApplicationSchema {
  static table = 'applications'
}
