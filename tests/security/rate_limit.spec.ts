import { test } from '@japa/runner'
import router from '@adonisjs/core/services/router'
import redis from '@adonisjs/redis/services/main'
import { throttle, globalRules } from '#middleware/throttle'
import { rateLimitSettings } from '#services/platform/rate_limit'

/*
| Tiny limits on test-only routes (`/__test/...`, kept out of the OpenAPI document),
| so the global defaults stay high enough for every other suite.
*/
router
  .get('/__test/rate-limit/ip', ({ response }) => response.ok({ ok: true }))
  .use(
    throttle(
      globalRules({
        ipPerMinute: 3,
        principalPerMinute: 2,
        expensivePerMinute: 0,
        machineClientPerMinute: 0,
      }).map((rule) => ({ ...rule, name: `test_${rule.name}` }))
    )
  )

test.group('Rate limits', (group) => {
  group.each.setup(async () => {
    await redis.flushdb()
  })

  test('responses carry RateLimit headers and the 4th request per IP gets 429 problem+json with Retry-After', async ({
    client,
    assert,
  }) => {
    for (let i = 0; i < 3; i++) {
      const ok = await client.get('/__test/rate-limit/ip')
      ok.assertStatus(200)
      assert.equal(ok.header('ratelimit-limit'), '3')
      assert.equal(ok.header('ratelimit-remaining'), String(2 - i))
      assert.isAtLeast(Number(ok.header('ratelimit-reset')), 1)
    }
    const limited = await client.get('/__test/rate-limit/ip')
    limited.assertStatus(429)
    assert.match(String(limited.header('content-type')), /^application\/problem\+json/)
    assert.equal(limited.body().status, 429)
    assert.isAtLeast(Number(limited.header('retry-after')), 1)
    assert.equal(limited.header('ratelimit-remaining'), '0')
  })

  test('a bearer principal has its own, stricter counter', async ({ client, assert }) => {
    const first = await client.get('/__test/rate-limit/ip').bearerToken('token-a')
    first.assertStatus(200)
    // the principal limit (2) is more restrictive than the IP limit (3): its headers win
    assert.equal(first.header('ratelimit-limit'), '2')
    assert.equal(first.header('ratelimit-remaining'), '1')
    ;(await client.get('/__test/rate-limit/ip').bearerToken('token-a')).assertStatus(200)
    const limited = await client.get('/__test/rate-limit/ip').bearerToken('token-a')
    limited.assertStatus(429)
    assert.isAtLeast(Number(limited.header('retry-after')), 1)
  })

  test('default global limits let normal traffic through and expose headers on real routes', async ({
    client,
    assert,
  }) => {
    const response = await client.get('/v1')
    response.assertStatus(200)
    assert.isAtLeast(Number(response.header('ratelimit-limit')), 100)
  })

  test('health probes are never throttled: a client IP out of requests still gets 200 from them', async ({
    assert,
  }) => {
    // A kubelet shares its node's address with whatever else comes from there: a 429 on the
    // readiness probe would take a healthy pod out of service exactly when it is busy.
    const ip = '198.51.100.90'
    const get = (path: string) =>
      fetch(`http://${process.env.HOST}:${process.env.PORT}${path}`, {
        headers: { 'x-forwarded-for': ip },
      })
    let refused = 0
    for (let sent = 0; refused === 0 && sent <= rateLimitSettings.ipPerMinute; sent += 50) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => get('/v1')))
      refused = answers.filter((answer) => answer.status === 429).length
    }
    assert.isAbove(refused, 0, 'the IP used up its requests')
    assert.equal((await get('/v1')).status, 429)
    assert.equal((await get('/health/live')).status, 200)
    assert.equal((await get('/health/ready')).status, 200)
  })
})
