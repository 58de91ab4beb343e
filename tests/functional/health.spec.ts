import { test } from '@japa/runner'

test.group('Health', () => {
  test('liveness answers without touching dependencies', async ({ client }) => {
    const response = await client.get('/health/live')
    response.assertStatus(200)
    response.assertBody({ status: 'ok' })
  })

  test('readiness checks every real dependency', async ({ client, assert }) => {
    const response = await client.get('/health/ready')
    response.assertStatus(200)
    const body = response.body()
    assert.equal(body.status, 'ok')
    assert.sameMembers(
      body.checks.map((check: { name: string }) => check.name),
      ['Database health check (app)', 'Redis health check (main)', 'Temporal', 'S3', 'Search']
    )
    for (const check of body.checks) assert.equal(check.status, 'ok', check.name)
    assert.notProperty(body, 'debugInfo')
  })
})
