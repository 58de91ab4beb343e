import type { QueryClientContract } from '@adonisjs/lucid/types/database'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A job the school may see (RLS on the client, and the explicit owner filter). */
export async function findVisibleJob(client: QueryClientContract, schoolId: string, id: string) {
  if (!UUID.test(id)) return null
  return client
    .from('jobs as j')
    .join('job_sources as s', 's.id', 'j.source_id')
    .where('j.id', id)
    .where((q) => q.whereNull('j.school_id').orWhere('j.school_id', schoolId))
    .select('j.*', 's.name as source_name', 's.kind as source_kind')
    .first()
}
