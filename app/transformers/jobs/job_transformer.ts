import { ResourceTransformer, isoOrNull } from '#transformers/jobs/resource_transformer'

/** A job row joined with its source's name and kind (`source_name`, `source_kind`). */
export default class JobTransformer extends ResourceTransformer<any> {
  toObject() {
    const row = this.resource
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
      postedAt: isoOrNull(row.posted_at),
      applyUrl: (row.apply_url ?? null) as string | null,
      status: row.status as 'open' | 'closed',
      closedAt: isoOrNull(row.closed_at),
    }
  }
}
