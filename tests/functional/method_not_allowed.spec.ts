import { test } from '@japa/runner'
import { buildOpenApiDocument } from '#services/platform/openapi/document'

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000'
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

/** The methods the document declares for a path, plus HEAD where GET is (the router serves it). */
function expectedAllow(declared: string[]) {
  const allow = declared.map((method) => method.toUpperCase())
  if (allow.includes('GET')) allow.push('HEAD')
  return ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => allow.includes(m))
}

test.group('Undeclared methods', () => {
  test('an undeclared method on a known path is a 405 problem with Allow', async ({
    client,
    assert,
  }) => {
    const response = await client.delete('/v1')
    response.assertStatus(405)
    assert.match(String(response.header('content-type')), /^application\/problem\+json/)
    assert.equal(response.header('allow'), 'GET, HEAD')
    const body = response.body()
    assert.equal(body.status, 405)
    assert.equal(body.title, 'Method Not Allowed')
    assert.equal(body.type, 'https://pathways.dev/problems/method-not-allowed')
    assert.equal(body.requestId, response.header('x-request-id'))
  })

  test('a plain OPTIONS (not a CORS preflight) is a 405 too', async ({ client, assert }) => {
    const response = await client.options('/v1')
    response.assertStatus(405)
    assert.equal(response.header('allow'), 'GET, HEAD')
  })

  test('an unknown path stays a 404 without Allow', async ({ client, assert }) => {
    const response = await client.put('/v1/no-such-thing')
    response.assertStatus(404)
    assert.isUndefined(response.header('allow'))
  })

  test('a 405 on a school path needs no credentials (it says only what the document says)', async ({
    client,
    assert,
  }) => {
    const response = await client.put(`/v1/schools/${SAMPLE_ID}/cohorts`)
    response.assertStatus(405)
    assert.equal(response.header('allow'), 'GET, HEAD, POST')
  })

  test('every documented path answers its undeclared methods with the documented Allow', async ({
    client,
    assert,
  }) => {
    const document = buildOpenApiDocument({ version: 'test' }) as {
      paths: Record<string, Record<string, unknown>>
    }
    const mismatches: string[] = []
    for (const [path, operations] of Object.entries(document.paths)) {
      const declared = Object.keys(operations)
      const undeclared = METHODS.find((method) => !declared.includes(method.toLowerCase()))
      if (!undeclared) continue
      const url = path
        .replace('{provider}', 'google')
        .replace('{file}', 'docs.js') // the asset matcher names the files
        .replace(/\{[^}]+\}/g, SAMPLE_ID)
      const response = await client
        .request(url, undeclared as 'GET')
        .header('content-type', 'application/json')
      const allow = response.header('allow')
      const expected = expectedAllow(declared).join(', ')
      if (response.status() !== 405 || allow !== expected) {
        mismatches.push(
          `${undeclared} ${path}: ${response.status()} Allow=${allow} (want ${expected})`
        )
      }
    }
    assert.deepEqual(mismatches, [])
  })
})
