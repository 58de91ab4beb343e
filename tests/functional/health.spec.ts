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

  test('concurrent readiness probes share one run of the checks', async ({ assert, cleanup }) => {
    // Probes are not rate-limited, so a flood of them must not become a flood of dependency checks.
    const PROBES = 20
    const { default: HealthController } = await import('#controllers/platform/health_controller')
    const { healthChecks } = await import('#start/health')
    const ready = HealthController.prototype.ready
    const run = healthChecks.run
    let arrived = 0
    let runs = 0
    let allArrived!: () => void
    const gate = new Promise<void>((resolve) => (allArrived = resolve))
    // Every probe reaches the controller before any check finishes: a slow dependency.
    HealthController.prototype.ready = function (this: InstanceType<typeof HealthController>, ctx) {
      if (++arrived === PROBES) allArrived()
      return ready.call(this, ctx)
    }
    healthChecks.run = async function (this: typeof healthChecks) {
      runs++
      await gate
      return run.call(this)
    }
    cleanup(() => {
      HealthController.prototype.ready = ready
      healthChecks.run = run
    })
    const statuses = await Promise.all(
      Array.from({ length: PROBES }, async () => {
        const answer = await fetch(`http://${process.env.HOST}:${process.env.PORT}/health/ready`)
        return answer.status
      })
    )
    assert.equal(arrived, PROBES)
    assert.deepEqual([...new Set(statuses)], [200])
    assert.equal(runs, 1, `${runs} runs for ${PROBES} concurrent probes`)
  })
})
