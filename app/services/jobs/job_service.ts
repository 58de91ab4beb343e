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

export function serializeJob(row: any) {
  return {
    id: row.id as string,
    sourceId: row.source_id as string,
    source: {
      id: row.source_id as string,
      name: row.source_name as string,
      kind: row.source_kind as string,
    },
    externalId: row.external_id as string,
    title: row.title as string,
    company: row.company as string,
    locations: row.locations as string[],
    remote: row.remote as boolean,
    employmentType: (row.employment_type ?? null) as string | null,
    salaryMin: row.salary_min === null ? null : Number(row.salary_min),
    salaryMax: row.salary_max === null ? null : Number(row.salary_max),
    salaryCurrency: (row.salary_currency ?? null) as string | null,
    descriptionHtml: row.description_html as string,
    descriptionText: row.description_text as string,
    postedAt: row.posted_at ? new Date(row.posted_at).toISOString() : null,
    applyUrl: (row.apply_url ?? null) as string | null,
    status: row.status as 'open' | 'closed',
    closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
  }
}
