import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import type { StorageConfig } from '#config/storage'

const PDF = 'application/pdf'
const pdfBytes = () =>
  Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n')
/** Declared as a PDF, but an HTML page with a script: what an attacker swaps in after the check. */
const swapped = () => Buffer.from('<html><script>document.location="https://evil.test"</script>')

async function post(form: { url: string; fields: Record<string, string> }, bytes: Buffer) {
  const body = new FormData()
  for (const [key, value] of Object.entries(form.fields)) body.append(key, value)
  body.append('file', new Blob([bytes], { type: PDF }), 'cv.pdf')
  const response = await fetch(form.url, { method: 'POST', body })
  return response.status
}

async function objectExists(key: string) {
  const s3 = await app.container.make('s3.client')
  const bucket = app.config.get<StorageConfig>('storage').buckets.resumes
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    return true
  } catch {
    return false
  }
}

test.group('Uploads: what /complete checked is what is served', (group) => {
  freshState(group)

  test('re-posting with the still-valid upload policy after /complete does not change the download', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('uploads')
    const learner = await createUser('learner@uploads.test')
    const membershipId = await addMember(school.id, learner.id, 'learner')
    const staff = await createUser('staff@uploads.test')
    await addMember(school.id, staff.id, 'staff')
    const token = (await login(learner.email)).accessToken
    const staffToken = (await login(staff.email)).accessToken
    const base = `/v1/schools/${school.id}`

    const started = await client
      .post(`${base}/me/resumes`)
      .bearerToken(token)
      .json({ filename: 'cv.pdf', contentType: PDF })
    started.assertStatus(201)
    const { resume, upload: form } = started.body()
    assert.equal(await post(form, pdfBytes()), 204)
    const completed = await client
      .post(`${base}/me/resumes/${resume.id}/complete`)
      .bearerToken(token)
    completed.assertStatus(200)

    // the upload policy is still valid for a few minutes: the attacker swaps the file
    assert.equal(await post(form, swapped()), 204)
    ;(
      await client.post(`${base}/me/resumes/${resume.id}/complete`).bearerToken(token)
    ).assertStatus(200)

    for (const [path, bearer] of [
      [`${base}/me/resumes/${resume.id}/download`, token],
      [`${base}/learners/${membershipId}/resumes/${resume.id}/download`, staffToken],
    ]) {
      const download = await client.get(path).bearerToken(bearer)
      download.assertStatus(200)
      const file = await fetch(download.body().url)
      assert.equal(file.status, 200)
      assert.deepEqual(Buffer.from(await file.arrayBuffer()), pdfBytes(), path)
    }

    // the checked object no longer lives under the key the browser's policy can write
    const [row] = await asOwner((trx) => trx.from('resumes').where('id', resume.id))
    assert.notEqual(row.object_key, form.fields.key)
    assert.isTrue(await objectExists(row.object_key))

    // deleting the resume removes the served object and any leftover under the upload key
    ;(await client.delete(`${base}/me/resumes/${resume.id}`).bearerToken(token)).assertStatus(204)
    assert.isFalse(await objectExists(row.object_key))
    assert.isFalse(await objectExists(form.fields.key))
  })
})
