import { test } from '@japa/runner'

test.group('API conventions', () => {
  test('an unknown route answers 404 problem+json with a request id', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/v1/no-such-thing')
    response.assertStatus(404)
    assert.match(String(response.header('content-type')), /^application\/problem\+json/)
    const body = response.body()
    assert.equal(body.status, 404)
    assert.equal(body.title, 'Not Found')
    assert.match(body.type, /^https:\/\/pathways\.dev\/problems\/not-found$/)
    assert.equal(body.requestId, response.header('x-request-id'))
    assert.notProperty(body, 'stack')
  })

  test('a well-formed X-Request-Id is echoed', async ({ client, assert }) => {
    const response = await client.get('/v1').header('x-request-id', 'trace-abc.123')
    response.assertStatus(200)
    assert.equal(response.header('x-request-id'), 'trace-abc.123')
  })

  test('a missing or unsafe X-Request-Id is replaced by a generated one', async ({
    client,
    assert,
  }) => {
    const generated = await client.get('/v1')
    assert.match(String(generated.header('x-request-id')), /^[A-Za-z0-9._:-]{8,128}$/)

    const unsafe = await client.get('/v1').header('x-request-id', 'evil id {"level":60}')
    assert.notInclude(String(unsafe.header('x-request-id')), 'evil')
    assert.match(String(unsafe.header('x-request-id')), /^[A-Za-z0-9._:-]{8,128}$/)
  })

  test('the API index is public and links the docs', async ({ client }) => {
    const response = await client.get('/v1')
    response.assertStatus(200)
    response.assertBodyContains({
      name: 'pathways',
      links: { openapi: '/openapi.json', docs: '/docs' },
    })
  })
})
