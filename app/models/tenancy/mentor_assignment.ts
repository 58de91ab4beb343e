import { MentorAssignmentSchema } from '#database/schema'

/** A mentor assigned to a learner inside a cohort. */
export default class MentorAssignment extends MentorAssignmentSchema {
  static table = 'mentor_assignments'
}
