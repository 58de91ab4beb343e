/*
| The body parser trims every string before validation: the document must say what the server
| then reads. A whitespace-only password is "absent" to the server (422), so the document must
| not call it valid; a password with spaces around it is a password (401 for a wrong one).
*/
import { test } from '@japa/runner'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { callApi } from '#tests/helpers/api_client'
import { asOwner, createUser, TEST_PASSWORD } from '#tests/helpers/fixtures'

async function bodyValidator(path: string) {
  const { body: document } = await callApi('GET', '/openapi.json')
  const ajv = new Ajv2020({ strict: false, validateFormats: true })
  ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
  return ajv.compile(
    (document as any).paths[path].post.requestBody.content['application/json'].schema
  )
}
const loginBodyValidator = () => bodyValidator('/v1/auth/login')

test.group('Trimmed strings in request bodies', () => {
  test('a whitespace-only password is invalid in the document and refused by the server', async ({
    assert,
  }) => {
    const valid = await loginBodyValidator()
    for (const password of ['\u000b', ' ', '\t\n', '\u3000', '\ufeff']) {
      const body = { email: 'nobody@example.com', password }
      assert.isFalse(valid(body), `document accepts ${JSON.stringify(password)}`)
      const answer = await callApi('POST', '/v1/auth/login', {
        body,
        headers: { 'x-forwarded-for': '198.51.100.7' },
      })
      assert.equal(answer.status, 422)
    }
  })

  test('a password with whitespace around it is valid and checked as a password', async ({
    assert,
  }) => {
    const valid = await loginBodyValidator()
    const body = { email: 'nobody@example.com', password: ' not the password ' }
    assert.isTrue(valid(body))
    const answer = await callApi('POST', '/v1/auth/login', {
      body,
      headers: { 'x-forwarded-for': '198.51.100.8' },
    })
    assert.equal(answer.status, 401)
  })

  test('a new password that begins or ends with whitespace is refused (422), in the document too', async ({
    assert,
  }) => {
    // Trimmed silently, the account would get another password than the one the user chose.
    const valid = await bodyValidator('/v1/auth/register')
    for (const [index, password] of [
      ` ${TEST_PASSWORD}`,
      `${TEST_PASSWORD}\t`,
      `\u00a0${TEST_PASSWORD}`,
    ].entries()) {
      const email = `padded-${index}-${Date.now()}@example.com`
      assert.isFalse(valid({ email, password }), `document accepts ${JSON.stringify(password)}`)
      const answer = await callApi('POST', '/v1/auth/register', {
        body: { email, password },
        headers: { 'x-forwarded-for': `198.51.100.${20 + index}` },
      })
      assert.equal(answer.status, 422, JSON.stringify(answer.body))
      assert.equal((answer.body as any).errors[0].field, 'password')
      assert.isNull(
        await asOwner((trx) => trx.from('users').where('email', email).first()),
        'no account is created'
      )
    }
    assert.isTrue(valid({ email: 'padded@example.com', password: TEST_PASSWORD }))
    for (const [path, field] of [
      ['/v1/auth/password/reset', 'password'],
      ['/v1/me/password', 'newPassword'],
      ['/v1/invitations/{token}/accept', 'password'],
    ] as const) {
      const property = (await callApi('GET', '/openapi.json')).body as any
      const schema = property.paths[path].post.requestBody.content['application/json'].schema
      assert.match(
        JSON.stringify(schema.properties[field]),
        /\^\[\^/,
        `${path} ${field}: the document says where whitespace may not be`
      )
    }
  })

  test('a password set before keeps signing in, typed with or without spaces around it', async ({
    assert,
  }) => {
    const email = `kept-${Date.now()}@example.com`
    await createUser(email)
    for (const [index, password] of [TEST_PASSWORD, ` ${TEST_PASSWORD} `].entries()) {
      const answer = await callApi('POST', '/v1/auth/login', {
        body: { email, password },
        headers: { 'x-forwarded-for': `198.51.100.${30 + index}` },
      })
      assert.equal(answer.status, 200, JSON.stringify(answer.body))
    }
  })
})
