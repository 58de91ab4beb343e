import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { withTenant } from '#services/tenant_context'
import { MalformedPostingError, type NormalizedJob, contentHash } from '#services/jobs/normalize'
import { type FetchOptions, type SourceRecord, sourcePages } from '#services/jobs/source_fetcher'
import type { JobDocument, JobSearchIndex } from '#services/search/types'

export interface RunStats {
  fetched: number
  created: number
  updated: number
  unchanged: number
  closed: number
  failed: number
}

export const emptyStats = (): RunStats => ({
  fetched: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  closed: 0,
  failed: 0,
})

const platform = <T>(work: (trx: TransactionClientContract) => Promise<T>) =>
  withTenant({ platformScope: true }, work)

export function sourceFromRow(row: any): SourceRecord {
  return {
    id: row.id,
    schoolId: row.school_id,
    name: row.name,
    kind: row.kind,
    url: row.url,
    boardToken: row.board_token,
    company: row.company,
  }
}

export async function loadSource(sourceId: string) {
  const row = await platform((trx) => trx.from('job_sources').where('id', sourceId).first())
  return row ? sourceFromRow(row) : null
}

/** Row -> search document (the same shape every engine indexes). */
export function jobDocument(row: any): JobDocument {
  return {
    id: row.id,
    sourceId: row.source_id,
    schoolId: row.school_id,
    title: row.title,
    company: row.company,
    locations: row.locations,
    remote: row.remote,
    employmentType: row.employment_type,
    salaryMin: row.salary_min === null ? null : Number(row.salary_min),
    salaryMax: row.salary_max === null ? null : Number(row.salary_max),
    salaryCurrency: row.salary_currency,
    descriptionText: row.description_text,
    postedAt: new Date(row.posted_at ?? row.created_at).toISOString(),
    applyUrl: row.apply_url,
  }
}

function columns(job: NormalizedJob, hash: string) {
  return {
    title: job.title,
    company: job.company,
    locations: job.locations,
    remote: job.remote,
    employment_type: job.employmentType,
    salary_min: job.salaryMin,
    salary_max: job.salaryMax,
    salary_currency: job.salaryCurrency,
    description_html: job.descriptionHtml,
    description_text: job.descriptionText,
    apply_url: job.applyUrl,
    content_hash: hash,
    status: 'open',
    closed_at: null,
  }
}

/**
 * Upserts one page: new postings are inserted, changed ones (content hash differs, or
 * reopened) updated, unchanged ones not touched at all. Returns the documents to index.
 */
export async function applyPage(source: SourceRecord, jobs: NormalizedJob[], stats: RunStats) {
  if (jobs.length === 0) return [] as JobDocument[]
  return platform(async (trx) => {
    const existing = await trx
      .from('jobs')
      .where('source_id', source.id)
      .whereIn(
        'external_id',
        jobs.map((j) => j.externalId)
      )
      .select('id', 'external_id', 'content_hash', 'status', 'posted_at')
    const byExternalId = new Map(existing.map((row: any) => [row.external_id, row]))
    const inserts: Record<string, unknown>[] = []
    const changedIds: string[] = []
    for (const job of jobs) {
      const hash = contentHash(job)
      const row = byExternalId.get(job.externalId)
      if (!row) {
        inserts.push({
          source_id: source.id,
          school_id: source.schoolId,
          external_id: job.externalId,
          posted_at: job.postedAt ?? new Date().toISOString(),
          ...columns(job, hash),
        })
        stats.created++
      } else if (row.content_hash !== hash || row.status !== 'open') {
        await trx
          .from('jobs')
          .where('id', row.id)
          .update({
            ...columns(job, hash),
            posted_at: job.postedAt ?? row.posted_at,
            updated_at: new Date(),
          })
        changedIds.push(row.id)
        stats.updated++
      } else {
        stats.unchanged++
      }
    }
    if (inserts.length) {
      const created = await trx.table('jobs').insert(inserts).returning('id')
      changedIds.push(...created.map((r: any) => r.id))
    }
    if (changedIds.length === 0) return []
    const rows = await trx.from('jobs').whereIn('id', changedIds)
    return rows.map(jobDocument)
  })
}

/** Closes the source's open jobs that the completed run did not see. Returns their ids. */
export async function closeUnlisted(sourceId: string, seen: string[]) {
  return platform(async (trx) => {
    const rows = await trx.rawQuery(
      `UPDATE jobs SET status = 'closed', closed_at = now(), updated_at = now()
        WHERE source_id = ? AND status = 'open' AND NOT (external_id = ANY(?))
        RETURNING id`,
      [sourceId, seen]
    )
    return rows.rows.map((r: any) => r.id as string)
  })
}

export interface IngestOptions extends FetchOptions {
  index: JobSearchIndex
  /** progress after each page (the CLI bar, activity heartbeats) */
  onPage?: (progress: { page: number; stats: RunStats }) => void
}

/**
 * One full run over a source: page, normalize (a malformed posting is counted as failed and
 * skipped), upsert, index changed documents, and — only when every page was read — close
 * and unindex the jobs no longer listed. Idempotent: re-running it converges to the same rows.
 */
export async function ingestSource(
  source: SourceRecord,
  options: IngestOptions
): Promise<RunStats> {
  const stats = emptyStats()
  const seen = new Set<string>()
  for await (const page of sourcePages(source, options)) {
    const jobs: NormalizedJob[] = []
    for (const raw of page.postings) {
      stats.fetched++
      try {
        const job = page.normalize(raw)
        if (seen.has(job.externalId)) continue
        seen.add(job.externalId)
        jobs.push(job)
      } catch (error) {
        if (!(error instanceof MalformedPostingError)) throw error
        stats.failed++
      }
    }
    const documents = await applyPage(source, jobs, stats)
    await options.index.index(documents)
    options.onPage?.({ page: page.page, stats: { ...stats } })
  }
  const closed = await closeUnlisted(source.id, [...seen])
  stats.closed = closed.length
  await options.index.remove(closed)
  return stats
}

/** Records the start of a run; idempotent on the workflow id. */
export async function startRun(sourceId: string, workflowId: string) {
  return platform(async (trx) => {
    const source = await trx.from('job_sources').where('id', sourceId).first()
    if (!source) return null
    await trx.rawQuery(
      `INSERT INTO job_ingestion_runs (source_id, school_id, workflow_id) VALUES (?, ?, ?)
       ON CONFLICT (workflow_id) DO NOTHING`,
      [sourceId, source.school_id, workflowId]
    )
    const run = await trx.from('job_ingestion_runs').where('workflow_id', workflowId).first()
    return run.id as string
  })
}

/** Stores the outcome of a run (stats or the error) and the source's last run time. */
export async function finishRun(workflowId: string, outcome: { stats?: RunStats; error?: string }) {
  await platform(async (trx) => {
    const [run] = await trx
      .from('job_ingestion_runs')
      .where('workflow_id', workflowId)
      .update({
        ...(outcome.stats ?? {}),
        status: outcome.error ? 'failed' : 'succeeded',
        error: outcome.error?.slice(0, 2000) ?? null,
        finished_at: new Date(),
        duration_ms: trx.raw(`(extract(epoch from (now() - started_at)) * 1000)::int`),
      })
      .returning(['source_id'])
    if (run) {
      await trx.from('job_sources').where('id', run.source_id).update({ last_run_at: new Date() })
    }
  })
}
