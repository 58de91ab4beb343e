import { CohortMemberSchema } from '#database/schema'

/** A school member's place in a cohort, as mentor or learner. */
export default class CohortMember extends CohortMemberSchema {
  static table = 'cohort_members'
}
