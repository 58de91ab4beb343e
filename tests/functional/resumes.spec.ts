import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { HeadObjectCommand } from '@aws-sdk/client-s3'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import type { StorageConfig } from '#config/storage'

const PDF = 'application/pdf'
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
const pdfBytes = () =>
  Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n')
const docxBytes = () =>
  Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04]),
    Buffer.alloc(26),
    Buffer.from('[Content_Types].xml<Types/>PK\x03\x04word/document.xml<w:document/>'),
  ])
const elfBytes = () =>
  Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(200)])
const mzBytes = () => Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)])

/** The browser's part: a multipart POST of the presigned fields, then the file, straight to S3. */
async function upload(
  form: { url: string; fields: Record<string, string> },
  bytes: Buffer,
  type: string,
  name: string
) {
  const body = new FormData()
  // `type` differs from the signed Content-Type only when a test tampers with it
  for (const [key, value] of Object.entries(form.fields)) {
    body.append(key, key === 'Content-Type' ? type : value)
  }
  body.append('file', new Blob([bytes], { type }), name)
  const response = await fetch(form.url, { method: 'POST', body })
  return { status: response.status, text: await response.text() }
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

async function setup() {
  const school = await createSchool('resumes')
  const learner = await createUser('learner@resumes.test')
  const membershipId = await addMember(school.id, learner.id, 'learner')
  return {
    school,
    learner,
    membershipId,
    base: `/v1/schools/${school.id}`,
    token: (await login(learner.email)).accessToken,
  }
}

test.group('Resumes on S3', (group) => {
  freshState(group)

  test('full flow: presigned POST, complete, list, download, default, delete', async ({
    client,
    assert,
  }) => {
    const { base, token, school, learner, membershipId } = await setup()
    const started = await client
      .post(`${base}/me/resumes`)
      .bearerToken(token)
      .json({ filename: 'cv.pdf', contentType: PDF })
    started.assertStatus(201)
    const { resume, upload: form } = started.body()
    assert.equal(resume.status, 'pending')
    assert.match(form.fields.key, new RegExp(`^schools/${school.id}/users/${learner.id}/resumes/`))

    // completing before the upload is a conflict
    ;(
      await client.post(`${base}/me/resumes/${resume.id}/complete`).bearerToken(token)
    ).assertStatus(409)

    const uploaded = await upload(form, pdfBytes(), PDF, 'cv.pdf')
    assert.equal(uploaded.status, 204, uploaded.text)
    const completed = await client
      .post(`${base}/me/resumes/${resume.id}/complete`)
      .bearerToken(token)
    completed.assertStatus(200)
    assert.equal(completed.body().status, 'ready')
    assert.equal(completed.body().sizeBytes, pdfBytes().length)
    assert.isTrue(completed.body().isDefault)

    const download = await client.get(`${base}/me/resumes/${resume.id}/download`).bearerToken(token)
    download.assertStatus(200)
    const file = await fetch(download.body().url)
    assert.equal(file.status, 200)
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), pdfBytes())

    // a DOCX becomes the default on request
    const second = await client
      .post(`${base}/me/resumes`)
      .bearerToken(token)
      .json({ filename: 'cv.docx', contentType: DOCX })
    assert.equal((await upload(second.body().upload, docxBytes(), DOCX, 'cv.docx')).status, 204)
    ;(
      await client.post(`${base}/me/resumes/${second.body().resume.id}/complete`).bearerToken(token)
    ).assertStatus(200)
    ;(
      await client.post(`${base}/me/resumes/${second.body().resume.id}/default`).bearerToken(token)
    ).assertStatus(200)
    const list = await client.get(`${base}/me/resumes`).bearerToken(token)
    assert.deepEqual(
      list.body().data.map((r: any) => [r.filename, r.isDefault]),
      [
        ['cv.docx', true],
        ['cv.pdf', false],
      ]
    )

    // staff read it; another learner does not
    const staff = await createUser('staff@resumes.test')
    await addMember(school.id, staff.id, 'staff')
    const staffToken = (await login(staff.email)).accessToken
    const staffList = await client
      .get(`${base}/learners/${membershipId}/resumes`)
      .bearerToken(staffToken)
    staffList.assertStatus(200)
    assert.lengthOf(staffList.body().data, 2)
    ;(
      await client
        .get(`${base}/learners/${membershipId}/resumes/${resume.id}/download`)
        .bearerToken(staffToken)
    ).assertStatus(200)
    // the GET runs read-only; staff's download is still audited
    const downloads = await asOwner((trx) =>
      trx.from('audit_events').where({ action: 'resume.downloaded', target_id: resume.id })
    )
    assert.deepEqual(
      downloads.map((e: any) => [e.actor_user_id, e.school_id]),
      [[staff.id, school.id]]
    )
    const other = await createUser('other@resumes.test')
    await addMember(school.id, other.id, 'learner')
    const otherToken = (await login(other.email)).accessToken
    ;(
      await client.get(`${base}/learners/${membershipId}/resumes`).bearerToken(otherToken)
    ).assertStatus(403)
    ;(
      await client.get(`${base}/me/resumes/${resume.id}/download`).bearerToken(otherToken)
    ).assertStatus(404)

    ;(await client.delete(`${base}/me/resumes/${resume.id}`).bearerToken(token)).assertStatus(204)
    assert.isFalse(await objectExists(form.fields.key))
    const after = await client.get(`${base}/me/resumes`).bearerToken(token)
    assert.deepEqual(
      after.body().data.map((r: any) => r.filename),
      ['cv.docx']
    )
  })

  test('S3 refuses an oversized file and a wrong content type', async ({ client, assert }) => {
    const { base, token } = await setup()
    const started = await client
      .post(`${base}/me/resumes`)
      .bearerToken(token)
      .json({ filename: 'big.pdf', contentType: PDF })
    const form = started.body().upload
    const big = Buffer.concat([pdfBytes(), Buffer.alloc(5 * 1024 * 1024)])
    const tooBig = await upload(form, big, PDF, 'big.pdf')
    assert.equal(tooBig.status, 400, tooBig.text)
    assert.include(tooBig.text, 'EntityTooLarge')
    const wrongType = await upload(form, pdfBytes(), 'text/html', 'big.pdf')
    assert.equal(wrongType.status, 403, wrongType.text)
    assert.isFalse(await objectExists(form.fields.key))
    ;(
      await client
        .post(`${base}/me/resumes/${started.body().resume.id}/complete`)
        .bearerToken(token)
    ).assertStatus(409)
    // and the API refuses types other than PDF and DOCX up front
    const exe = await client
      .post(`${base}/me/resumes`)
      .bearerToken(token)
      .json({ filename: 'a.exe', contentType: 'application/x-msdownload' })
    exe.assertStatus(422)
  })

  test('a renamed executable or mismatched type is refused and deleted', async ({
    client,
    assert,
  }) => {
    const { base, token } = await setup()
    for (const [bytes, declared, name] of [
      [elfBytes(), PDF, 'resume.pdf'],
      [mzBytes(), PDF, 'resume.pdf'],
      [mzBytes(), DOCX, 'resume.docx'],
      [pdfBytes(), DOCX, 'resume.docx'],
    ] as const) {
      const started = await client
        .post(`${base}/me/resumes`)
        .bearerToken(token)
        .json({ filename: name, contentType: declared })
      const form = started.body().upload
      assert.equal((await upload(form, bytes, declared, name)).status, 204)
      const completed = await client
        .post(`${base}/me/resumes/${started.body().resume.id}/complete`)
        .bearerToken(token)
      completed.assertStatus(422)
      assert.equal(completed.body().type.split('/').pop(), 'resume-rejected')
      assert.isFalse(await objectExists(form.fields.key))
    }
    const list = await client.get(`${base}/me/resumes`).bearerToken(token)
    assert.lengthOf(list.body().data, 0)
  })
})
