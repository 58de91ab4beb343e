import { ResourceTransformer, dateOnly } from '#transformers/resource_transformer'

/** One work-experience entry of a learner's profile. */
export default class ProfileExperienceTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: row.id,
      organization: row.organization,
      title: row.title,
      location: row.location,
      startDate: dateOnly(row.start_date),
      endDate: dateOnly(row.end_date),
      current: row.current,
      description: row.description,
      position: row.position,
    }
  }
}
