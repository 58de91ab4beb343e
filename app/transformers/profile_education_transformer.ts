import { ResourceTransformer, dateOnly } from '#transformers/resource_transformer'

/** One education entry of a learner's profile. */
export default class ProfileEducationTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: row.id,
      institution: row.institution,
      degree: row.degree,
      field: row.field,
      startDate: dateOnly(row.start_date),
      endDate: dateOnly(row.end_date),
      current: row.current,
      position: row.position,
    }
  }
}
