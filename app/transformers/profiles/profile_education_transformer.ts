import { ResourceTransformer, columns, entryDates } from '#transformers/jobs/resource_transformer'

/** One education entry of a learner's profile. */
export default class ProfileEducationTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      ...columns(row, 'id', 'institution', 'degree', 'field'),
      ...entryDates(row),
      ...columns(row, 'current', 'position'),
    }
  }
}
