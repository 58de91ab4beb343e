import { ResourceTransformer, iso, isoOrNull } from '#transformers/jobs/resource_transformer'
import ApplicationEventTransformer from '#transformers/jobs/application_event_transformer'

/**
 * An application row joined with its job (`job_title`, `job_company`, `job_status`). With the
 * timeline's event rows it is the detailed shape (`timeline` last), without them the list shape.
 */
export default class ApplicationTransformer extends ResourceTransformer<any> {
  constructor(
    resource: any,
    protected events?: readonly any[]
  ) {
    super(resource)
  }

  toObject() {
    const row = this.resource
    const shaped = {
      id: row.id as string,
      membershipId: row.membership_id as string,
      jobId: row.job_id as string,
      status: row.status as string,
      notes: (row.notes ?? null) as string | null,
      appliedAt: isoOrNull(row.applied_at),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      job: {
        title: row.job_title as string,
        company: row.job_company as string,
        status: row.job_status as string,
      },
    }
    if (!this.events) return shaped
    return { ...shaped, timeline: ApplicationEventTransformer.collection(this.events) }
  }
}
