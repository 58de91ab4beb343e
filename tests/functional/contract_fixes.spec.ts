import { test } from '@japa/runner'
import { freshState } from '#tests/helpers/database'
import { addMember, createSchool, createUser, login } from '#tests/helpers/fixtures'

/* Answers the conformance run (Schemathesis) found to differ from the OpenAPI document. */
async function memberOf(slug: string, role: 'learner' | 'school_admin') {
  const school = await createSchool(slug)
  const user = await createUser(`${role}@${slug}.test`)
  await addMember(school.id, user.id, role)
  const { accessToken } = await login(user.email)
  return { token: accessToken, base: `/v1/schools/${school.id}` }
}

test.group('Contract fixes', (group) => {
  freshState(group)

  test('a date PostgreSQL cannot store is a 422, not a 500', async ({ client }) => {
    const { base, token } = await memberOf('dates', 'learner')
    for (const startDate of ['0000-01-01', '2023-02-29', '2026-04-31']) {
      const response = await client
        .post(`${base}/me/profile/education`)
        .bearerToken(token)
        .json({ institution: 'State University', startDate })
      response.assertStatus(422)
    }
    const leapDay = await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: 'State University', startDate: '2024-02-29' })
    leapDay.assertStatus(201)
  })

  test('an id that is not a UUID is an unknown path (404), not a database error', async ({
    client,
  }) => {
    const { base, token } = await memberOf('ids', 'school_admin')
    const member = await client
      .patch(`${base}/members/0`)
      .bearerToken(token)
      .json({ role: 'staff' })
    member.assertStatus(404)
    const cohort = await client.patch(`${base}/cohorts/0`).bearerToken(token).json({ name: 'X' })
    cohort.assertStatus(404)
  })

  test('a forged invitations cursor is a 422 like every other list', async ({ client }) => {
    const { base, token } = await memberOf('cursor', 'school_admin')
    const cursor = Buffer.from('not-an-id').toString('base64url')
    const response = await client.get(`${base}/invitations?cursor=${cursor}`).bearerToken(token)
    response.assertStatus(422)
  })

  test('a forged cursor is a 422 problem on every paginated list, never a 500 or an empty page', async ({
    client,
    assert,
  }) => {
    const { base, token } = await memberOf('cursors', 'school_admin')
    const encode = (value: unknown) =>
      Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
    const lists = [
      'members',
      'cohorts',
      'invitations',
      'applications',
      'job-sources',
      'audit-events',
    ]
    for (const list of lists) {
      for (const cursor of [encode('not-an-id'), encode(['id', 'not-an-id']), encode('1; drop')]) {
        const response = await client.get(`${base}/${list}`).qs({ cursor }).bearerToken(token)
        assert.equal(response.status(), 422, `${list}: ${response.text()}`)
        assert.equal(response.body().type?.endsWith('validation-error'), true, list)
      }
    }
  })

  test('the OAuth callback refuses values longer than the document allows', async ({
    client,
    assert,
  }) => {
    for (const query of [
      { code: 'a'.repeat(4001), state: 's' },
      { error: 'e'.repeat(201), state: 's' },
      { error: 'e', error_description: 'd'.repeat(2001), state: 's' },
    ]) {
      const response = await client.get('/v1/auth/oauth/google/callback').qs(query).redirects(0)
      assert.equal(response.status(), 422, JSON.stringify(Object.keys(query)))
    }
  })

  test('an unknown OAuth provider is a 404', async ({ client }) => {
    const response = await client.get('/v1/auth/oauth/%18x/redirect').redirects(0)
    response.assertStatus(404)
  })

  test('lengths count characters, as JSON Schema does (not UTF-16 code units)', async ({
    client,
  }) => {
    // Nine characters, twelve UTF-16 code units: below the token's minimum of 10.
    const token = 'Ä\u{1EAAD}\u{7BC39}¤!C§\u{10B545}D'
    const response = await client.post('/v1/auth/mfa/recovery/cancel').json({ token })
    response.assertStatus(422)
  })

  test('a NUL character in a text field is a 422, not a 500', async ({ client }) => {
    const { base, token } = await memberOf('nul', 'learner')
    const response = await client
      .post(`${base}/me/profile/education`)
      .bearerToken(token)
      .json({ institution: 'State\u0000University' })
    response.assertStatus(422)
  })

  test('a JSON array is not a body, even where every field is optional', async ({ client }) => {
    const { base, token } = await memberOf('array', 'learner')
    const response = await client.patch(`${base}/me/profile`).bearerToken(token).json([null, null])
    response.assertStatus(422)
  })
})
