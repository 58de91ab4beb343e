import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { operation } from '#services/platform/openapi/document'
import type { RouteDoc } from '#services/platform/openapi/route_doc'

const deprecatedDoc: RouteDoc = {
  summary: 'An old way to do something',
  tags: ['Test'],
  security: 'none',
  responses: { 200: { description: 'OK' } },
  deprecated: { since: '2026-12-01', sunset: '2027-06-01', link: 'https://pathways.dev/changelog' },
}

/* Test-only route (kept out of the OpenAPI document). */
router.get('/__test/deprecated', ({ response }) => response.ok({ ok: true })).doc(deprecatedDoc)

test.group('Deprecated operations', () => {
  test('answer with Deprecation, Sunset and a Link to the notes', async ({ client, assert }) => {
    const response = await client.get('/__test/deprecated')
    response.assertStatus(200)
    assert.equal(response.header('deprecation'), `@${Date.parse('2026-12-01') / 1000}`)
    assert.equal(response.header('sunset'), 'Tue, 01 Jun 2027 00:00:00 GMT')
    assert.equal(response.header('link'), '<https://pathways.dev/changelog>; rel="deprecation"')
  })

  test('are marked deprecated in the document, with the headers on every response', ({
    assert,
  }) => {
    const documented = operation(deprecatedDoc, '/v1/old', 'GET') as any
    assert.isTrue(documented.deprecated)
    assert.include(documented.description, 'stops working on 2027-06-01')
    for (const response of Object.values<any>(documented.responses)) {
      assert.properties(response.headers, ['Deprecation', 'Sunset'])
    }
  })

  test('other operations carry no deprecation headers', async ({ client, assert }) => {
    const response = await client.get('/v1')
    assert.isUndefined(response.header('deprecation'))
    assert.isUndefined(response.header('sunset'))
  })
})
