import { ResourceTransformer } from '#transformers/jobs/resource_transformer'

type Check = { name: string; status: string; message: string }

/** One readiness check: name, status and its short message (never the check's internal meta). */
export default class HealthCheckTransformer extends ResourceTransformer<Check> {
  toObject() {
    const check = this.resource
    return { name: check.name, status: check.status, message: check.message }
  }
}
