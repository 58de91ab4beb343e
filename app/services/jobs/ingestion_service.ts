import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { withTenant } from '#services/platform/tenant_context'
import { MalformedPostingError, type NormalizedJob, contentHash } from '#services/jobs/normalize'
import { type FetchOptions, type SourceRecord, sourcePages } from '#services/jobs/source_fetcher'
import { jobRowFields, type JobDocument, type JobSearchIndex } from '#services/jobs/search/types'
import { refreshSearchStatistics } from '#services/jobs/search/statistics'

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
    ...jobRowFields(row),
    schoolId: row.school_id,
    descriptionText: row.description_text,
    postedAt: new Date(row.posted_at ?? row.created_at).toISOString(),
    applyUrl: row.apply_url,
  }
}

/** The columns a search document needs, as the upsert returns them. */
const DOCUMENT_COLUMNS = `id, source_id, school_id, title, company, locations, remote, employment_type,
  salary_min, salary_max, salary_currency, description_text, posted_at, created_at, apply_url`

/*
| One statement per page: the page travels as one JSON array, expanded server-side by
| jsonb_to_recordset; new postings are inserted, changed ones (content hash differs, or the
| job was closed) updated, unchanged ones not touched at all (filtered out before the
| INSERT; the WHERE of DO UPDATE covers a concurrent writer).
| `xmax = 0` tells an inserted row from an updated one. A missing posted_at keeps the stored
| one on update: the insert side defaults it to now(), which NULLIF turns back into "none"
| (now() is the transaction's start, never a posting's real date).
*/
const UPSERT_PAGE = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(external_id text, content_hash text,
    title text, company text, locations text[], remote boolean, employment_type text,
    salary_min numeric, salary_max numeric, salary_currency text, description_html text,
    description_text text, apply_url text, posted_at timestamptz)
), changed AS (
  -- unchanged postings stop here: read through the unique index, never locked or written.
  -- One probe per posting (LATERAL): a plain join let a new source's stale statistics (the
  -- source "has no jobs") pick a scan of all the source's jobs per page, quadratic in its size.
  SELECT input.* FROM input
  LEFT JOIN LATERAL (
    SELECT j.id, j.content_hash, j.status FROM jobs j
     WHERE j.source_id = ?::uuid AND j.external_id = input.external_id LIMIT 1
  ) j ON true
  WHERE j.id IS NULL OR j.content_hash IS DISTINCT FROM input.content_hash OR j.status <> 'open'
)
INSERT INTO jobs AS j (source_id, school_id, external_id, content_hash, title, company, locations,
  remote, employment_type, salary_min, salary_max, salary_currency, description_html,
  description_text, apply_url, posted_at, status, closed_at)
SELECT ?::uuid, ?::uuid, r.external_id, r.content_hash, r.title, r.company,
  coalesce(r.locations, '{}'), r.remote, r.employment_type, r.salary_min, r.salary_max,
  r.salary_currency, r.description_html, r.description_text, r.apply_url,
  coalesce(r.posted_at, now()), 'open', NULL
FROM changed AS r
ON CONFLICT (source_id, external_id) DO UPDATE SET
  content_hash = excluded.content_hash, title = excluded.title, company = excluded.company,
  locations = excluded.locations, remote = excluded.remote,
  employment_type = excluded.employment_type, salary_min = excluded.salary_min,
  salary_max = excluded.salary_max, salary_currency = excluded.salary_currency,
  description_html = excluded.description_html, description_text = excluded.description_text,
  apply_url = excluded.apply_url, status = 'open', closed_at = NULL, updated_at = now(),
  posted_at = coalesce(nullif(excluded.posted_at, now()), j.posted_at)
WHERE j.content_hash IS DISTINCT FROM excluded.content_hash OR j.status <> 'open'
RETURNING (xmax = 0) AS inserted`

/** The posting's fields a search document needs, under their `jobs` column names. */
function postingColumns(job: NormalizedJob) {
  return {
    title: job.title,
    company: job.company,
    locations: job.locations,
    remote: job.remote,
    employment_type: job.employmentType,
    salary_min: job.salaryMin,
    salary_max: job.salaryMax,
    salary_currency: job.salaryCurrency,
    description_text: job.descriptionText,
    apply_url: job.applyUrl,
  }
}

/** The statement `applyPage` runs for these postings (tests explain it). */
export function pageUpsert(
  source: SourceRecord,
  jobs: NormalizedJob[],
  options: { documents?: boolean } = {}
) {
  const payload = JSON.stringify(
    jobs.map((job) => ({
      external_id: job.externalId,
      content_hash: contentHash(job),
      ...postingColumns(job),
      description_html: job.descriptionHtml,
      posted_at: job.postedAt,
    }))
  )
  // Only the keys and stored dates travel back; the documents are built from the postings
  // in memory (the text was just sent, no need to read it back).
  const sql =
    options.documents === false
      ? UPSERT_PAGE
      : `${UPSERT_PAGE}, id, external_id, source_id, school_id, posted_at, created_at`
  return { sql, bindings: [payload, source.id, source.id, source.schoolId as string] }
}

/**
 * Upserts one page in one statement and returns the documents to index (new and changed
 * jobs only). Counts created/updated/unchanged into `stats`.
 */
export async function applyPage(
  source: SourceRecord,
  jobs: NormalizedJob[],
  stats: RunStats,
  options: { documents?: boolean } = {}
) {
  if (jobs.length === 0) return [] as JobDocument[]
  const { sql, bindings } = pageUpsert(source, jobs, options)
  const result = await platform((trx) => trx.rawQuery(sql, bindings))
  const rows: any[] = result.rows
  const created = rows.filter((row) => row.inserted).length
  stats.created += created
  stats.updated += rows.length - created
  stats.unchanged += jobs.length - rows.length
  if (options.documents === false) return []
  const byExternalId = new Map(jobs.map((job) => [job.externalId, job]))
  return rows.map((row) => {
    const job = byExternalId.get(row.external_id)!
    return jobDocument({ ...row, ...postingColumns(job) })
  })
}

export interface CloseOutcome {
  closed: string[]
  /** set when closing was skipped because the run listed too few of the open jobs */
  warning: string | null
}

/**
 * Closes the source's open jobs that the completed run did not see, unless the run listed
 * fewer than `minListedRatio` of the source's open jobs (an empty or truncated answer must
 * never close a whole board): then nothing is closed and the run carries a warning.
 */
export async function closeUnlisted(
  sourceId: string,
  seen: string[],
  minListedRatio = 0.5
): Promise<CloseOutcome> {
  return platform(async (trx) => {
    const { rows } = await trx.rawQuery(
      `SELECT count(*)::int AS open,
              count(*) FILTER (WHERE external_id = ANY(?))::int AS listed
         FROM jobs WHERE source_id = ? AND status = 'open'`,
      [seen, sourceId]
    )
    const { open, listed } = rows[0] as { open: number; listed: number }
    if (open === listed) return { closed: [], warning: null }
    if (seen.length === 0 || listed < open * minListedRatio) {
      return {
        closed: [],
        warning:
          `suspicious answer: ${seen.length} postings listed for ${open} open jobs ` +
          `(${listed} of them); nothing was closed`,
      }
    }
    const closed = await trx.rawQuery(
      `UPDATE jobs SET status = 'closed', closed_at = now(), updated_at = now()
        WHERE source_id = ? AND status = 'open' AND NOT (external_id = ANY(?))
        RETURNING id`,
      [sourceId, seen]
    )
    return { closed: closed.rows.map((r: any) => r.id as string), warning: null }
  })
}

export interface IngestOptions extends FetchOptions {
  index: JobSearchIndex
  /** progress after each page (the CLI bar, activity heartbeats) */
  onPage?: (progress: { page: number; stats: RunStats }) => void
  /**
   * A failed index write (the engine is down) is reported here and the run goes on: the
   * rows are committed, and `indexChangedSince` catches the index up later. Without it,
   * an index failure fails the run.
   */
  onIndexError?: (error: unknown) => void
  minListedRatio?: number
  /** documents per bulk request (pages are gathered up to this size) */
  indexBatchSize?: number
}

export interface IngestResult {
  stats: RunStats
  /** every index write of this run succeeded */
  indexComplete: boolean
  warning: string | null
}

/**
 * Iterates `source` up to `depth` items ahead, so the next pages are fetched and normalized
 * while this one is stored (an async generator queues the extra next() calls: it simply
 * keeps running instead of pausing at each yield).
 */
async function* readAhead<T>(source: AsyncIterable<T>, depth = 2): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]()
  const ahead: Promise<IteratorResult<T>>[] = []
  const request = () => {
    const next = iterator.next()
    // the consumer may stop (or fail) before awaiting it
    next.catch(() => {})
    ahead.push(next)
  }
  try {
    for (let i = 0; i < depth; i++) request()
    for (;;) {
      const current = await ahead.shift()!
      if (current.done) return
      request()
      yield current.value
    }
  } finally {
    await Promise.allSettled(ahead)
    await iterator.return?.()
  }
}

interface NormalizedPage {
  page: number
  jobs: NormalizedJob[]
  fetched: number
  failed: number
}

/**
 * Pages of normalized, de-duplicated postings. Read one ahead, so the next page is fetched
 * and normalized (sanitize-html: the CPU part) while this one waits on PostgreSQL.
 */
export async function* normalizedPages(
  source: SourceRecord,
  options: FetchOptions,
  seen: Set<string>
): AsyncGenerator<NormalizedPage> {
  for await (const page of sourcePages(source, options)) {
    const jobs: NormalizedJob[] = []
    let failed = 0
    for (const raw of page.postings) {
      try {
        const job = page.normalize(raw)
        if (seen.has(job.externalId)) continue
        seen.add(job.externalId)
        jobs.push(job)
      } catch (error) {
        if (!(error instanceof MalformedPostingError)) throw error
        failed++
      }
    }
    yield { page: page.page, jobs, fetched: page.postings.length, failed }
  }
}

/**
 * One full run over a source: page (one page fetched ahead), normalize (a malformed posting
 * is counted as failed and skipped), upsert each page in one statement, bulk-index the
 * changed documents (one bulk request in flight while the next page is stored), and — only
 * when every page was read and enough of the board was listed — close and unindex the jobs
 * no longer listed. Idempotent: re-running it converges to the same rows.
 */
export async function runIngestion(
  source: SourceRecord,
  options: IngestOptions
): Promise<IngestResult> {
  const stats = emptyStats()
  const seen = new Set<string>()
  let indexComplete = true
  const indexed = async (write: () => Promise<void>) => {
    try {
      await write()
    } catch (error) {
      if (!options.onIndexError) throw error
      indexComplete = false
      options.onIndexError(error)
    }
  }
  // one bulk request in flight while the next pages are fetched and stored
  const batchSize = options.indexBatchSize ?? 500
  let pending: JobDocument[] = []
  let indexing: Promise<void> = Promise.resolve()
  const flush = async () => {
    await indexing
    const batch = pending
    pending = []
    if (batch.length) indexing = indexed(() => options.index.index(batch))
  }
  try {
    for await (const page of readAhead(normalizedPages(source, options, seen))) {
      options.signal?.throwIfAborted()
      const { jobs } = page
      stats.fetched += page.fetched
      stats.failed += page.failed
      if (options.index.engine !== 'postgres') {
        pending.push(...(await applyPage(source, jobs, stats)))
        if (pending.length >= batchSize) await flush()
      } else {
        await applyPage(source, jobs, stats, { documents: false })
      }
      options.onPage?.({ page: page.page, stats: { ...stats } })
    }
    await flush()
  } finally {
    // never leave a bulk request running behind a failed run
    await indexing.catch(() => {})
  }
  await indexing
  options.signal?.throwIfAborted()
  const { closed, warning } = await closeUnlisted(
    source.id,
    [...seen],
    options.minListedRatio ?? 0.5
  )
  stats.closed = closed.length
  if (closed.length) await indexed(() => options.index.remove(closed))
  return { stats, indexComplete, warning }
}

/** `runIngestion` for callers that only want the statistics (CLI, tests, benchmarks). */
export async function ingestSource(
  source: SourceRecord,
  options: IngestOptions
): Promise<RunStats> {
  const { stats } = await runIngestion(source, options)
  return stats
}

/**
 * Re-indexes every job of the source written since `since` (the run's start): open jobs
 * are indexed, closed ones removed, in bulk batches. Idempotent, so it is safe after any
 * failure, however much of the run had already reached the index.
 */
export async function indexChangedSince(
  sourceId: string,
  since: Date,
  index: JobSearchIndex,
  batchSize = 500,
  onBatch?: (done: number) => void
) {
  if (index.engine === 'postgres') return { indexed: 0, removed: 0 }
  let indexed = 0
  let removed = 0
  // keyset over (updated_at, id): jobs_source_updated_idx serves it as one range scan (it is
  // keyed on `source_id::text`, so only this query uses it: migration 0190)
  // the cursor keeps updated_at as text: a JS Date would drop the microseconds
  let after: [Date | string, string] = [since, '00000000-0000-0000-0000-000000000000']
  for (;;) {
    const rows: any[] = await platform((trx) =>
      trx.rawQuery(
        `SELECT status, updated_at::text AS cursor_at, ${DOCUMENT_COLUMNS} FROM jobs
          WHERE source_id::text = ? AND (updated_at, id) > (?::timestamptz, ?::uuid)
          ORDER BY updated_at, id LIMIT ?`,
        [sourceId, after[0], after[1], batchSize]
      )
    ).then((result: any) => result.rows)
    if (rows.length === 0) break
    const last = rows.at(-1)
    after = [last.cursor_at, last.id]
    const open = rows.filter((row) => row.status === 'open')
    const closed = rows.filter((row) => row.status !== 'open').map((row) => row.id as string)
    await index.index(open.map(jobDocument))
    await index.remove(closed)
    indexed += open.length
    removed += closed.length
    onBatch?.(indexed + removed)
    if (rows.length < batchSize) break
  }
  return { indexed, removed }
}

/** The source and start time of a recorded run (null when the run row is gone). */
export async function runScope(workflowId: string) {
  const row = await platform((trx) =>
    trx
      .from('job_ingestion_runs')
      .where('workflow_id', workflowId)
      .select('source_id', 'started_at')
      .first()
  )
  return row ? { sourceId: row.source_id as string, since: new Date(row.started_at) } : null
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
export async function finishRun(
  workflowId: string,
  outcome: { stats?: RunStats; error?: string; warning?: string | null }
) {
  await platform(async (trx) => {
    const [run] = await trx
      .from('job_ingestion_runs')
      .where('workflow_id', workflowId)
      .update({
        ...(outcome.stats ?? {}),
        status: outcome.error ? 'failed' : 'succeeded',
        error: outcome.error?.slice(0, 2000) ?? null,
        warning: outcome.warning?.slice(0, 2000) ?? null,
        finished_at: new Date(),
        duration_ms: trx.raw(`(extract(epoch from (now() - started_at)) * 1000)::int`),
      })
      .returning(['source_id'])
    if (run) {
      await trx.from('job_sources').where('id', run.source_id).update({ last_run_at: new Date() })
    }
  })
  // A run that wrote jobs shifts the row counts search plans depend on (at most once a minute).
  if (outcome.stats && outcome.stats.created + outcome.stats.updated + outcome.stats.closed > 0) {
    await refreshSearchStatistics()
  }
}
