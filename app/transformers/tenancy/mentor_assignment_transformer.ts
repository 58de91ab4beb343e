import { ResourceTransformer } from '#transformers/jobs/resource_transformer'

type Assignment = {
  id: string
  cohortId: string
  mentorMembershipId: string
  learnerMembershipId: string
}

/** A mentor's assignment to a learner within a cohort. */
export default class MentorAssignmentTransformer extends ResourceTransformer<Assignment> {
  toObject() {
    const assignment = this.resource
    return {
      id: assignment.id,
      cohortId: assignment.cohortId,
      mentorMembershipId: assignment.mentorMembershipId,
      learnerMembershipId: assignment.learnerMembershipId,
    }
  }
}
