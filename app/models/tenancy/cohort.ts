import { CohortSchema } from '#database/schema'

/** A group of a school's members (learners and their mentors), for a term. */
export default class Cohort extends CohortSchema {
  static table = 'cohorts'
}
