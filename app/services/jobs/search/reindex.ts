import { withTenant } from '#services/platform/tenant_context'
import { jobDocument } from '#services/jobs/ingestion_service'
import type { JobDocument } from '#services/jobs/search/types'

/** Every open job from PostgreSQL (the source of truth), in keyset pages. */
export async function* openJobDocuments(
  batchSize = 1000,
  updatedSince?: Date
): AsyncGenerator<JobDocument[]> {
  let after = '00000000-0000-0000-0000-000000000000'
  for (;;) {
    const rows = await withTenant({ platformScope: true }, (trx) => {
      const query = trx.from('jobs').where('status', 'open').where('id', '>', after)
      if (updatedSince) query.where('updated_at', '>=', updatedSince)
      return query.orderBy('id').limit(batchSize)
    })
    if (rows.length === 0) return
    yield rows.map(jobDocument)
    after = rows.at(-1).id
    if (rows.length < batchSize) return
  }
}

/** Ids of jobs closed since a time (to unindex after a rebuild that raced ingestion). */
export async function closedJobIdsSince(since: Date) {
  const rows = await withTenant({ platformScope: true }, (trx) =>
    trx.from('jobs').where('status', 'closed').where('updated_at', '>=', since).select('id')
  )
  return rows.map((r: any) => r.id as string)
}
