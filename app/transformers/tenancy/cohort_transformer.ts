import { ResourceTransformer } from '#transformers/jobs/resource_transformer'
import type Cohort from '#models/tenancy/cohort'

/**
 * A cohort: its columns as the model serializes them (camelCase, ISO dates). The published
 * contract documents this shape as it was auto-serialized, so the model's own key order and
 * date format are kept rather than listed again here.
 */
export default class CohortTransformer extends ResourceTransformer<Cohort> {
  toObject() {
    return this.resource.serialize()
  }
}
