import { ResourceTransformer, columns } from '#transformers/jobs/resource_transformer'

/** A membership's place in a cohort. */
export default class CohortMemberTransformer extends ResourceTransformer<any> {
  toObject() {
    return columns(this.resource, 'id', 'cohort_id', 'membership_id', 'cohort_role')
  }
}
