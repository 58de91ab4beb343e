import { ResourceTransformer, iso, isoOrNull } from '#transformers/jobs/resource_transformer'

/** One ingestion run of a job source, with its counters. */
export default class JobIngestionRunTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: row.id as string,
      sourceId: row.source_id as string,
      workflowId: row.workflow_id as string,
      status: row.status as string,
      fetched: row.fetched,
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      closed: row.closed,
      failed: row.failed,
      durationMs: row.duration_ms ?? null,
      error: row.error ?? null,
      warning: (row.warning ?? null) as string | null,
      startedAt: iso(row.started_at),
      finishedAt: isoOrNull(row.finished_at),
    }
  }
}
