import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import { operationKey, registeredOperations } from '#services/platform/openapi/document'

test.group('OpenAPI document', () => {
  test('covers every registered route', async ({ client, assert }) => {
    const response = await client.get('/openapi.json')
    response.assertStatus(200)
    const document = response.body()
    assert.equal(document.openapi, '3.1.0')

    const documented = new Set<string>()
    for (const [path, operations] of Object.entries<Record<string, unknown>>(document.paths)) {
      for (const method of Object.keys(operations)) documented.add(operationKey(method, path))
    }
    const missing = registeredOperations(router).filter((key) => !documented.has(key))
    assert.deepEqual(missing, [], `routes without .doc(): ${missing.join(', ')}`)
    assert.isAbove(documented.size, 5)
  })

  test('documents errors as problem+json', async ({ client, assert }) => {
    const response = await client.get('/openapi.json')
    const document = response.body()
    const ready = document.paths['/health/ready'].get
    assert.equal(
      ready.responses['503'].content['application/problem+json'].schema.$ref,
      '#/components/schemas/Problem'
    )
    assert.properties(document.components.schemas.Problem.properties, [
      'type',
      'title',
      'status',
      'detail',
      'errors',
    ])
  })

  test('serves a readable docs page with its assets from the package', async ({
    client,
    assert,
  }) => {
    const page = await client.get('/docs')
    page.assertStatus(200)
    assert.include(page.text(), '/docs/assets/swagger-ui-bundle.js')
    assert.include(page.text(), '/docs/assets/docs.js')
    const bundle = await client.get('/docs/assets/swagger-ui-bundle.js')
    bundle.assertStatus(200)
    assert.include(bundle.text(), 'SwaggerUIBundle')
    const script = await client.get('/docs/assets/docs.js')
    assert.include(script.text(), "url: '/openapi.json'")
    const traversal = await client.get('/docs/assets/..%2F..%2Fpackage.json')
    traversal.assertStatus(404)
  })
})
