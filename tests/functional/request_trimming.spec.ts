/*
| The body parser trims every string before validation: the document must say what the server
| then reads. A whitespace-only password is "absent" to the server (422), so the document must
| not call it valid; a password with spaces around it is a password (401 for a wrong one).
*/
import { test } from '@japa/runner'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import { callApi } from '#tests/helpers/api_client'

async function loginBodyValidator() {
  const { body: document } = await callApi('GET', '/openapi.json')
  const ajv = new Ajv2020({ strict: false, validateFormats: true })
  ;(addFormats as unknown as (a: Ajv2020) => void)(ajv)
  return ajv.compile(
    (document as any).paths['/v1/auth/login'].post.requestBody.content['application/json'].schema
  )
}

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
})
