import { ResourceTransformer, columns, entryDates } from '#transformers/jobs/resource_transformer'

/** One work-experience entry of a learner's profile. */
export default class ProfileExperienceTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      ...columns(row, 'id', 'organization', 'title', 'location'),
      ...entryDates(row),
      ...columns(row, 'current', 'description', 'position'),
    }
  }
}
