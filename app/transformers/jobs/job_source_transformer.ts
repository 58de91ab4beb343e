import { ResourceTransformer, iso, isoOrNull } from '#transformers/jobs/resource_transformer'

/** A job source; `school_id = null` is a platform (global) source. */
export default class JobSourceTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
    return {
      id: row.id as string,
      scope: row.school_id ? ('school' as const) : ('global' as const),
      schoolId: (row.school_id ?? null) as string | null,
      name: row.name as string,
      kind: row.kind as string,
      url: (row.url ?? null) as string | null,
      boardToken: (row.board_token ?? null) as string | null,
      company: (row.company ?? null) as string | null,
      intervalMinutes: Number(row.interval_minutes),
      status: row.status as 'active' | 'paused',
      lastRunAt: isoOrNull(row.last_run_at),
      createdAt: iso(row.created_at),
    }
  }
}
