import app from '@adonisjs/core/services/app'
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3'
import { createPresignedPost } from '@aws-sdk/s3-presigned-post'
import { getSignedUrl } from '@aws-sdk/s3-request-presigner'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import type { StorageConfig } from '#config/storage'
import { ProblemException } from '#exceptions/problem_exception'

/*
| Resumes on S3. The client uploads straight to the bucket with a presigned POST whose
| policy pins the key, the content type and a 5 MB limit; `complete` then checks the
| object (exists, size, real type from its bytes) and copies exactly that version (ETag
| precondition) to a final key no upload policy can write, deleting the upload key. The
| policy stays valid for a few minutes, but whatever is posted with it afterwards is
| never served: downloads (short-lived presigned GETs) only ever point at the final key.
*/
export const RESUME_MAX_BYTES = 5 * 1024 * 1024
export const UPLOAD_EXPIRES_SECONDS = 300
export const DOWNLOAD_EXPIRES_SECONDS = 60
export const RESUME_TYPES = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
} as const
export type ResumeType = keyof typeof RESUME_TYPES

async function s3() {
  const client = await app.container.make('s3.client')
  const bucket = app.config.get<StorageConfig>('storage').buckets.resumes
  return { client, bucket }
}

export function resumePrefix(schoolId: string, userId: string) {
  return `schools/${schoolId}/users/${userId}/resumes/`
}

/** The key the browser's presigned POST writes (only ever read by `complete`). */
export function uploadKeyOf(row: {
  school_id: string
  user_id: string
  id: string
  content_type: string
}) {
  return `${resumePrefix(row.school_id, row.user_id)}${row.id}${RESUME_TYPES[row.content_type as ResumeType]}`
}

/** The immutable key of a checked resume: written only by the server, the only key downloads use. */
function finalKeyOf(row: { school_id: string; user_id: string; id: string; content_type: string }) {
  return `${resumePrefix(row.school_id, row.user_id)}final/${row.id}${RESUME_TYPES[row.content_type as ResumeType]}`
}

/** The real type from the file's bytes: PDF (`%PDF-`) or DOCX (ZIP holding `word/`); null otherwise. */
export function sniffResumeType(bytes: Buffer): ResumeType | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf'
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  if (zip && bytes.includes(Buffer.from('word/'))) {
    return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
  }
  return null
}

export async function createUpload(
  client: QueryClientContract,
  owner: { schoolId: string; membershipId: string; userId: string },
  input: { filename: string; contentType: ResumeType }
) {
  const id = crypto.randomUUID()
  const key = uploadKeyOf({
    school_id: owner.schoolId,
    user_id: owner.userId,
    id,
    content_type: input.contentType,
  })
  const { client: s3client, bucket } = await s3()
  const [row] = await client
    .table('resumes')
    .insert({
      id,
      school_id: owner.schoolId,
      membership_id: owner.membershipId,
      user_id: owner.userId,
      object_key: key,
      filename: input.filename,
      content_type: input.contentType,
    })
    .returning('*')
  const post = await createPresignedPost(s3client, {
    Bucket: bucket,
    Key: key,
    Conditions: [
      ['content-length-range', 1, RESUME_MAX_BYTES],
      ['eq', '$Content-Type', input.contentType],
    ],
    Fields: { 'Content-Type': input.contentType },
    Expires: UPLOAD_EXPIRES_SECONDS,
  })
  return {
    row,
    upload: {
      url: post.url,
      fields: post.fields,
      maxBytes: RESUME_MAX_BYTES,
      expiresIn: UPLOAD_EXPIRES_SECONDS,
    },
  }
}

export async function findResume(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string,
  id: string
) {
  const row = await client
    .from('resumes')
    .where({ id, school_id: schoolId, membership_id: membershipId })
    .first()
  if (!row) throw ProblemException.notFound()
  return row
}

const rejected = (detail: string) =>
  new ProblemException(422, 'resume-rejected', 'Unprocessable Content', detail, [
    { field: 'file', message: detail, rule: 'resume' },
  ])

/**
 * Checks the uploaded object; a bad file is deleted (object and row) and refused. A good
 * one is copied, pinned by the ETag of the bytes just checked, to its final key.
 */
export async function completeUpload(client: QueryClientContract, row: any) {
  if (row.status === 'ready') return row
  const { client: s3client, bucket } = await s3()
  const uploadKey = row.object_key as string
  let object
  try {
    object = await s3client.send(new GetObjectCommand({ Bucket: bucket, Key: uploadKey }))
  } catch (error: any) {
    if (error?.$metadata?.httpStatusCode === 404 || error?.name === 'NoSuchKey') {
      throw ProblemException.conflict('The file has not been uploaded yet.')
    }
    throw error
  }
  const size = object.ContentLength ?? 0
  let reason: string | null = null
  if (size === 0 || size > RESUME_MAX_BYTES) {
    reason = 'The file must be between 1 byte and 5 MB.'
    object.Body?.transformToWebStream()
      .cancel()
      .catch(() => {})
  } else {
    const bytes = Buffer.from(await object.Body!.transformToByteArray())
    const type = sniffResumeType(bytes)
    if (!type) reason = 'The file is not a PDF or DOCX document.'
    else if (type !== row.content_type)
      reason = `The file content is ${RESUME_TYPES[type]}, not what was declared.`
  }
  if (reason) {
    await s3client.send(new DeleteObjectCommand({ Bucket: bucket, Key: uploadKey }))
    await client.from('resumes').where('id', row.id).delete()
    throw rejected(reason)
  }
  const finalKey = finalKeyOf(row)
  try {
    await s3client.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: finalKey,
        CopySource: encodeURI(`${bucket}/${uploadKey}`),
        // exactly the bytes checked above: a file swapped in meanwhile fails the copy
        CopySourceIfMatch: object.ETag,
        MetadataDirective: 'REPLACE',
        ContentType: row.content_type,
      })
    )
  } catch (error: any) {
    const status = error?.$metadata?.httpStatusCode
    if (status === 412 || status === 404 || error?.name === 'PreconditionFailed') {
      throw ProblemException.conflict('The file changed while it was checked. Complete again.')
    }
    throw error
  }
  await s3client.send(new DeleteObjectCommand({ Bucket: bucket, Key: uploadKey }))
  const hasDefault = await client
    .from('resumes')
    .where({ school_id: row.school_id, membership_id: row.membership_id, is_default: true })
    .first()
  const [updated] = await client
    .from('resumes')
    .where('id', row.id)
    .update({
      status: 'ready',
      object_key: finalKey,
      size_bytes: size,
      is_default: !hasDefault,
      updated_at: new Date(),
    })
    .returning('*')
  return updated
}

/** How many resumes (any status) a profile holds. */
export async function countResumes(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string
) {
  const row = await client
    .from('resumes')
    .where({ school_id: schoolId, membership_id: membershipId })
    .count('* as n')
    .first()
  return Number(row?.n ?? 0)
}

export async function list(
  client: QueryClientContract,
  schoolId: string,
  membershipId: string,
  onlyReady = false
) {
  const query = client
    .from('resumes')
    .where({ school_id: schoolId, membership_id: membershipId })
    .orderBy('created_at', 'desc')
  if (onlyReady) query.where('status', 'ready')
  return query
}

export async function downloadUrl(row: any) {
  if (row.status !== 'ready') throw ProblemException.conflict('The resume is not ready.')
  const { client: s3client, bucket } = await s3()
  const safeName = String(row.filename).replace(/[^\w.\- ]/g, '_')
  const url = await getSignedUrl(
    s3client,
    new GetObjectCommand({
      Bucket: bucket,
      Key: row.object_key,
      ResponseContentDisposition: `attachment; filename="${safeName}"`,
      ResponseContentType: row.content_type,
    }),
    { expiresIn: DOWNLOAD_EXPIRES_SECONDS }
  )
  return { url, expiresIn: DOWNLOAD_EXPIRES_SECONDS }
}

export async function remove(client: QueryClientContract, row: any) {
  const { client: s3client, bucket } = await s3()
  await s3client.send(new DeleteObjectCommand({ Bucket: bucket, Key: row.object_key }))
  // whatever was posted to the upload key later (the policy outlives `complete`) goes too
  const uploadKey = uploadKeyOf(row)
  if (uploadKey !== row.object_key) {
    await s3client.send(new DeleteObjectCommand({ Bucket: bucket, Key: uploadKey }))
  }
  await client.from('resumes').where('id', row.id).delete()
  if (row.is_default) {
    const next = await client
      .from('resumes')
      .where({ school_id: row.school_id, membership_id: row.membership_id, status: 'ready' })
      .orderBy('created_at', 'desc')
      .first()
    if (next) await client.from('resumes').where('id', next.id).update({ is_default: true })
  }
}

export async function setDefault(client: QueryClientContract, row: any) {
  if (row.status !== 'ready')
    throw ProblemException.conflict('Only a ready resume can be the default.')
  await client
    .from('resumes')
    .where({ school_id: row.school_id, membership_id: row.membership_id, is_default: true })
    .update({ is_default: false })
  const [updated] = await client
    .from('resumes')
    .where('id', row.id)
    .update({ is_default: true })
    .returning('*')
  return updated
}
