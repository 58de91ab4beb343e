import {
  ResourceTransformer,
  columns,
  iso,
  isoOrNull,
} from '#transformers/jobs/resource_transformer'

/** One ingestion run of a job source, with its counters. */
export default class JobIngestionRunTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      ...columns(row, 'id', 'source_id', 'workflow_id', 'status', 'fetched', 'created'),
      ...columns(row, 'updated', 'unchanged', 'closed', 'failed'),
      durationMs: row.duration_ms ?? null,
      error: row.error ?? null,
      warning: (row.warning ?? null) as string | null,
      startedAt: iso(row.started_at),
      finishedAt: isoOrNull(row.finished_at),
    }
  }
}
