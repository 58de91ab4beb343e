import { ResourceTransformer } from '#transformers/jobs/resource_transformer'

/** A membership's place in a cohort. */
export default class CohortMemberTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: row.id as string,
      cohortId: row.cohort_id as string,
      membershipId: row.membership_id as string,
      cohortRole: row.cohort_role as string,
    }
  }
}
