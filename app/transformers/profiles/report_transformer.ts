import { ResourceTransformer, columns, iso } from '#transformers/jobs/resource_transformer'
import { REPORT_DOWNLOAD_SECONDS } from '#services/profiles/report_service'

/** A report's state; with a presigned URL once its CSV is ready. */
export default class ReportTransformer extends ResourceTransformer<any> {
  constructor(
    resource: any,
    protected downloadUrl: string | null = null
  ) {
    super(resource)
  }

  toObject() {
    const row = this.resource
    const url = this.downloadUrl
    return {
      ...columns(row, 'id', 'kind', 'cohort_id', 'status', 'row_count', 'error'),
      createdAt: iso(row.created_at),
      downloadUrl: url,
      downloadExpiresIn: url ? REPORT_DOWNLOAD_SECONDS : null,
    }
  }
}
