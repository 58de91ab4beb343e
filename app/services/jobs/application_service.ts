import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import { ProblemException } from '#exceptions/problem_exception'
import { findVisibleJob } from '#services/jobs/job_service'
import ApplicationTransformer from '#transformers/jobs/application_transformer'
import { byId, keysetPage } from '#services/platform/pagination'

/** Applications: a learner's tracking of one job, with a timeline of status changes and notes. */

export function applicationQuery(client: QueryClientContract, schoolId: string) {
  return client
    .from('applications as a')
    .join('jobs as j', 'j.id', 'a.job_id')
    .where('a.school_id', schoolId)
    .select('a.*', 'j.title as job_title', 'j.company as job_company', 'j.status as job_status')
}

export async function listApplications(
  client: QueryClientContract,
  schoolId: string,
  filters: {
    membershipId?: string
    status?: string
    jobId?: string
    cursor?: string
    limit?: number
  }
) {
  const query = applicationQuery(client, schoolId)
  if (filters.membershipId) query.where('a.membership_id', filters.membershipId)
  if (filters.status) query.where('a.status', filters.status)
  if (filters.jobId) query.where('a.job_id', filters.jobId)
  return keysetPage(query, byId({ column: 'a.id' }), filters, (row) =>
    ApplicationTransformer.item(row)
  )
}

export async function findOwnApplication(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string,
  id: string
) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw ProblemException.notFound()
  const row = await applicationQuery(client, schoolId)
    .where('a.id', id)
    .where('a.membership_id', membershipId)
    .first()
  if (!row) throw ProblemException.notFound()
  return row
}

export async function timeline(
  client: QueryClientContract,
  schoolId: string,
  applicationId: string
) {
  return client
    .from('application_events')
    .where({ school_id: schoolId, application_id: applicationId })
    .orderBy('id', 'asc')
}

export async function createApplication(
  client: QueryClientContract,
  input: {
    schoolId: string
    membershipId: string
    userId: string
    jobId: string
    status: 'saved' | 'applied'
    notes?: string
  }
) {
  const job = await findVisibleJob(client, input.schoolId, input.jobId)
  if (!job) {
    throw new ProblemException(
      422,
      'invalid-reference',
      'Unprocessable Content',
      'The job does not exist.',
      [{ field: 'jobId', message: 'No such job.', rule: 'exists' }]
    )
  }
  const existing = await client
    .from('applications')
    .where({ school_id: input.schoolId, membership_id: input.membershipId, job_id: input.jobId })
    .first()
  if (existing) throw ProblemException.conflict('You already track this job.')
  const [row] = await client
    .table('applications')
    .insert({
      school_id: input.schoolId,
      membership_id: input.membershipId,
      job_id: input.jobId,
      status: input.status,
      notes: input.notes ?? null,
      applied_at: input.status === 'applied' ? new Date() : null,
    })
    .returning('*')
  await client.table('application_events').insert({
    school_id: input.schoolId,
    application_id: row.id,
    from_status: null,
    to_status: input.status,
    actor_user_id: input.userId,
  })
  return row
}

export async function updateApplication(
  client: QueryClientContract,
  current: any,
  input: { status?: string; notes?: string | null; note?: string },
  userId: string
) {
  const changes: Record<string, unknown> = {}
  const statusChanged = input.status !== undefined && input.status !== current.status
  if (statusChanged) {
    changes.status = input.status
    if (input.status === 'applied' && !current.applied_at) changes.applied_at = new Date()
  }
  if (input.notes !== undefined) changes.notes = input.notes
  if (Object.keys(changes).length) {
    await client
      .from('applications')
      .where({ school_id: current.school_id, id: current.id })
      .update({ ...changes, updated_at: new Date() })
  }
  if (statusChanged || input.note) {
    await client.table('application_events').insert({
      school_id: current.school_id,
      application_id: current.id,
      from_status: statusChanged ? current.status : null,
      to_status: statusChanged ? input.status : null,
      note: input.note ?? null,
      actor_user_id: userId,
    })
  }
  return {
    statusChanged,
    from: current.status as string,
    to: (input.status ?? current.status) as string,
  }
}

export async function deleteApplication(
  client: QueryClientContract,
  schoolId: string,
  applicationId: string
) {
  await client.from('applications').where({ school_id: schoolId, id: applicationId }).delete()
}
