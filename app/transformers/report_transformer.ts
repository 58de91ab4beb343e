import { ResourceTransformer, iso } from '#transformers/resource_transformer'
import { REPORT_DOWNLOAD_SECONDS } from '#services/report_service'

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
      id: row.id,
      kind: row.kind,
      cohortId: row.cohort_id,
      status: row.status,
      rowCount: row.row_count,
      error: row.error,
      createdAt: iso(row.created_at),
      downloadUrl: url,
      downloadExpiresIn: url ? REPORT_DOWNLOAD_SECONDS : null,
    }
  }
}
