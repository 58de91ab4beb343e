import { ResourceTransformer } from '#transformers/jobs/resource_transformer'
import type School from '#models/tenancy/school'

/**
 * A school (tenant): its columns as the model serializes them. The published contract documents
 * this shape as it was auto-serialized, so the model's key order and date format are kept.
 */
export default class SchoolTransformer extends ResourceTransformer<School> {
  toObject() {
    return this.resource.serialize()
  }
}
