import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import type { Infer } from '@vinejs/vine/types'
import type { createJobSourceValidator, updateJobSourceValidator } from '#validators/jobs/jobs'
import {
  pauseSchedule,
  resumeSchedule,
  runNow,
  upsertSchedule,
} from '#services/jobs/schedule_service'
import JobSourceTransformer from '#transformers/jobs/job_source_transformer'
import JobIngestionRunTransformer from '#transformers/jobs/job_ingestion_run_transformer'
import { byId, byTimeThenId, keysetPage } from '#services/platform/pagination'

/**
 * Job sources: `schoolId = null` is the platform (global sources), otherwise a school's own.
 * Reads go through an RLS-scoped client AND filter explicitly, so a school-owned source is
 * never reachable from another school even if one of the two checks were missing.
 */
export type Owner = { schoolId: string | null }

/** Sources this owner may see: a school sees global sources and its own; the platform sees all. */
export async function listSources(
  client: QueryClientContract,
  owner: Owner,
  page: { cursor?: string; limit?: number }
) {
  const query = client.from('job_sources')
  if (owner.schoolId) {
    query.where((q) => q.whereNull('school_id').orWhere('school_id', owner.schoolId!))
  }
  return keysetPage(query, byId(), page, (row) => JobSourceTransformer.item(row))
}

/** A source this owner manages (a school: only its own; the platform: any). 404 otherwise. */
export async function findManaged(client: QueryClientContract, owner: Owner, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw ProblemException.notFound()
  const query = client.from('job_sources').where('id', id)
  if (owner.schoolId) query.where('school_id', owner.schoolId)
  const row = await query.first()
  if (!row) throw ProblemException.notFound()
  return row
}

/** A source this owner may see (runs of global sources are visible to schools). */
export async function findVisible(client: QueryClientContract, owner: Owner, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw ProblemException.notFound()
  const query = client.from('job_sources').where('id', id)
  if (owner.schoolId)
    query.where((q) => q.whereNull('school_id').orWhere('school_id', owner.schoolId!))
  const row = await query.first()
  if (!row) throw ProblemException.notFound()
  return row
}

function checkKind(input: { kind: string; url?: string; boardToken?: string }) {
  const field =
    input.kind === 'json_feed' ? (input.url ? null : 'url') : input.boardToken ? null : 'boardToken'
  if (field) {
    throw new ProblemException(
      422,
      'validation-error',
      'Unprocessable Content',
      'The request contains invalid fields.',
      [
        {
          field,
          message:
            field === 'url'
              ? 'A json_feed source needs a url.'
              : `A ${input.kind} source needs a boardToken.`,
          rule: 'required',
        },
      ]
    )
  }
}

export async function createSource(
  client: QueryClientContract,
  owner: Owner,
  input: Infer<typeof createJobSourceValidator>
) {
  checkKind(input)
  const [row] = await client
    .table('job_sources')
    .insert({
      school_id: owner.schoolId,
      name: input.name,
      kind: input.kind,
      url: input.url ?? null,
      board_token: input.boardToken ?? null,
      company: input.company ?? null,
      interval_minutes: input.intervalMinutes ?? 360,
      status: input.paused ? 'paused' : 'active',
    })
    .returning('*')
  await upsertSchedule({
    id: row.id,
    name: row.name,
    intervalMinutes: row.interval_minutes,
    status: row.status,
  })
  return row
}

export async function updateSource(
  client: QueryClientContract,
  row: any,
  input: Infer<typeof updateJobSourceValidator>
) {
  const changes: Record<string, unknown> = {}
  if (input.name !== undefined) changes.name = input.name
  if (input.url !== undefined) changes.url = input.url
  if (input.company !== undefined) changes.company = input.company
  if (input.intervalMinutes !== undefined) changes.interval_minutes = input.intervalMinutes
  if (Object.keys(changes).length === 0) return row
  const [updated] = await client
    .from('job_sources')
    .where('id', row.id)
    .update({ ...changes, updated_at: new Date() })
    .returning('*')
  await upsertSchedule({
    id: updated.id,
    name: updated.name,
    intervalMinutes: updated.interval_minutes,
    status: updated.status,
  })
  return updated
}

/** Pause/resume: the row's status and the Temporal Schedule's paused state move together. */
export async function setPaused(client: QueryClientContract, row: any, paused: boolean) {
  const [updated] = await client
    .from('job_sources')
    .where('id', row.id)
    .update({ status: paused ? 'paused' : 'active', updated_at: new Date() })
    .returning('*')
  if (paused) await pauseSchedule(row.id)
  else await resumeSchedule(row.id)
  return updated
}

export async function triggerRun(row: any) {
  return runNow(row.id)
}

export async function listRuns(
  client: QueryClientContract,
  sourceId: string,
  page: { cursor?: string; limit?: number }
) {
  const query = client.from('job_ingestion_runs').where('source_id', sourceId)
  const keyset = byTimeThenId<any, { startedAt: string; id: string }>({
    timeColumn: 'started_at',
    key: (item) => [item.startedAt, item.id],
  })
  return keysetPage(query, keyset, page, (row) => JobIngestionRunTransformer.item(row))
}
