import app from '@adonisjs/core/services/app'
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { StorageConfig } from '#config/storage'
import { enqueue } from '#services/platform/workflow_outbox'
import { startIntent } from '#workflows/client'
import { cohortReport } from '#workflows/cohort_report'
import { withTenant } from '#services/platform/tenant_context'
import { computeProfileCompletion } from '#services/profiles/profile_completion'

/*
| Cohort profile-completion reports: a row in `reports`, a Temporal workflow
| (`cohortReport`, id `report:{schoolId}:{reportId}`) that writes a CSV into the
| reports bucket, and a short-lived presigned GET once it is ready.
*/
export const REPORT_DOWNLOAD_SECONDS = 300

export function reportKey(schoolId: string, reportId: string) {
  return `schools/${schoolId}/reports/${reportId}.csv`
}

/** One report of the school, or undefined. */
export function findReport(client: TransactionClientContract, schoolId: string, id: string) {
  return client.from('reports').where({ id, school_id: schoolId }).first()
}

export async function startReport(
  client: TransactionClientContract,
  input: { schoolId: string; cohortId: string | null; requestedBy: string }
) {
  const id = crypto.randomUUID()
  const workflowId = `report:${input.schoolId}:${id}`
  const [row] = await client
    .table('reports')
    .insert({
      id,
      school_id: input.schoolId,
      kind: 'cohort_profile_completion',
      cohort_id: input.cohortId,
      requested_by: input.requestedBy,
      workflow_id: workflowId,
    })
    .returning('*')
  // The intent that starts the workflow commits with the row (the relay delivers it).
  const outboxIds = await enqueue(client, input.schoolId, [
    startIntent(cohortReport, { workflowId, args: [{ schoolId: input.schoolId, reportId: id }] }),
  ])
  return { row, workflowId, outboxIds }
}

export async function downloadUrl(row: any) {
  if (row.status !== 'ready' || !row.object_key) return null
  const s3client = await app.container.make('s3.client')
  const bucket = app.config.get<StorageConfig>('storage').buckets.reports
  return getSignedUrl(
    s3client,
    new GetObjectCommand({
      Bucket: bucket,
      Key: row.object_key,
      ResponseContentDisposition: `attachment; filename="profile-completion-${row.id}.csv"`,
      ResponseContentType: 'text/csv',
    }),
    { expiresIn: REPORT_DOWNLOAD_SECONDS }
  )
}

const csvCell = (value: unknown) => {
  let text = value === null || value === undefined ? '' : String(value)
  // no formula injection in spreadsheet apps
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Activity body: builds the CSV from PostgreSQL (RLS in the report's school) and stores it. Idempotent. */
export async function generateReport(schoolId: string, reportId: string) {
  const csv = await withTenant({ schoolId }, async (trx) => {
    const report = await trx.from('reports').where({ id: reportId, school_id: schoolId }).first()
    if (!report) return null
    if (report.status === 'ready') return { already: true as const }
    await trx
      .from('reports')
      .where('id', reportId)
      .update({ status: 'running', updated_at: new Date() })
    const members = trx
      .from('memberships as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where('m.school_id', schoolId)
      .where('m.role', 'learner')
      .where('m.status', 'active')
      .select('m.id', 'u.email', 'u.full_name')
      .orderBy('u.email')
    if (report.cohort_id) {
      members.whereExists((sub) =>
        sub
          .from('cohort_members as cm')
          .whereColumn('cm.membership_id', 'm.id')
          .where('cm.cohort_id', report.cohort_id)
      )
    }
    const rows = await members
    const lines = ['membership_id,email,name,score,missing']
    for (const member of rows) {
      const completion = await computeProfileCompletion(trx, schoolId, member.id)
      lines.push(
        [member.id, member.email, member.full_name, completion.score, completion.missing.join(' ')]
          .map(csvCell)
          .join(',')
      )
    }
    return { body: lines.join('\n') + '\n', count: rows.length }
  })
  if (!csv || 'already' in csv) return
  const s3client = await app.container.make('s3.client')
  const bucket = app.config.get<StorageConfig>('storage').buckets.reports
  const key = reportKey(schoolId, reportId)
  await s3client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: csv.body,
      ContentType: 'text/csv; charset=utf-8',
    })
  )
  await withTenant({ schoolId }, (trx) =>
    trx.from('reports').where({ id: reportId, school_id: schoolId }).update({
      status: 'ready',
      object_key: key,
      row_count: csv.count,
      error: null,
      updated_at: new Date(),
    })
  )
}

export async function failReport(schoolId: string, reportId: string, message: string) {
  await withTenant({ schoolId }, (trx) =>
    trx
      .from('reports')
      .where({ id: reportId, school_id: schoolId })
      .whereNot('status', 'ready')
      .update({ status: 'failed', error: message.slice(0, 500), updated_at: new Date() })
  )
}
