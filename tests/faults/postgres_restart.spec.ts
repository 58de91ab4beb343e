import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { pointDatabaseAt, startPrivatePostgres, waitFor } from '#tests/helpers/faults'
import { unique } from '#tests/helpers/workflows_helpers'

const WRITERS = 8

interface Outcome {
  status: number
  at: number
  id?: string
  problem?: boolean
  retryAfter?: string | null
}

test.group('faults: PostgreSQL restarted under concurrent writers', (group) => {
  group.setup(() => testUtils.httpServer().start())
  group.each.setup(async () => {
    await redis.flushdb()
  })

  test('acknowledged writes survive; 503 + Retry-After, never 500 or 401; back within 5 s', async ({
    assert,
    cleanup,
  }) => {
    // A private cluster: the shared PostgreSQL is never restarted.
    const postgres = await startPrivatePostgres()
    cleanup(() => postgres.dispose())
    cleanup(await pointDatabaseAt(postgres))

    const school = await createSchool('fault-pg')
    const learners = await Promise.all(
      Array.from({ length: WRITERS }, async (_, i) => {
        const user = await createUser(unique(`pg-writer-${i}`))
        await addMember(school.id, user.id, 'learner')
        return (await login(user.email)).accessToken as string
      })
    )

    const base = `http://${process.env.HOST}:${process.env.PORT}/v1/schools/${school.id}`
    const outcomes: Outcome[] = []
    let stopAt = Number.POSITIVE_INFINITY
    const writer = async (token: string, n: number) => {
      for (let i = 0; i < 5000 && Date.now() < stopAt; i++) {
        const response = await fetch(`${base}/me/profile/experience`, {
          method: 'POST',
          headers: {
            'authorization': `Bearer ${token}`,
            'content-type': 'application/json',
            // One client address per writer: the test measures the restart, not the per-IP limit
            // (eight fast writers from one address can pass 1,200 requests a minute).
            'x-forwarded-for': `198.51.100.${100 + n}`,
          },
          body: JSON.stringify({ organization: `writer ${n}`, title: `write ${i}` }),
          signal: AbortSignal.timeout(15_000),
        }).catch(() => null)
        const at = Date.now()
        if (!response) {
          outcomes.push({ status: 0, at })
          continue
        }
        const body = (await response.json().catch(() => ({}))) as { id?: string }
        outcomes.push({
          status: response.status,
          at,
          id: response.ok ? body.id : undefined,
          problem: response.headers.get('content-type')?.startsWith('application/problem+json'),
          retryAfter: response.headers.get('retry-after'),
        })
      }
    }
    const writers = learners.map((token, n) => writer(token, n))

    // Some writes before, then the restart, then writes until 8 s after it is back.
    await waitFor(async () => outcomes.length >= 40, 30_000, 'writes before the restart')
    // Cold caches: token checks and school contexts during the outage need PostgreSQL.
    await redis.flushdb()
    const restartAt = Date.now()
    await postgres.restart()
    const backAt = Date.now()
    stopAt = backAt + 8_000
    await Promise.all(writers)

    const failures = outcomes.filter((o) => o.status < 200 || o.status >= 300)
    const byStatus = Object.groupBy(failures, (o) => String(o.status))
    const firstSuccess = outcomes.find((o) => o.at >= backAt && o.status === 201)
    const acknowledged = outcomes.filter((o) => o.status === 201).map((o) => o.id!)
    const readable = await asOwner((trx) =>
      trx.from('profile_experience').whereIn('id', acknowledged).count('* as n')
    )
    const summary =
      `${outcomes.length} writes, ${acknowledged.length} acknowledged; restart took ` +
      `${backAt - restartAt} ms; failures by status: ` +
      JSON.stringify(Object.fromEntries(Object.entries(byStatus).map(([k, v]) => [k, v!.length])))
    console.log(
      `[measure] PostgreSQL restart: ${summary}; first success ` +
        `${firstSuccess ? firstSuccess.at - backAt : '-'} ms after it was back`
    )

    assert.equal(Number(readable[0].n), acknowledged.length, 'every acknowledged write is readable')
    assert.deepEqual(Object.keys(byStatus), ['503'], summary)
    assert.isTrue(
      failures.every((o) => o.problem && o.retryAfter),
      '503s are problem+json with Retry-After'
    )
    assert.isDefined(firstSuccess, 'writes succeed again')
    assert.isAtMost(firstSuccess!.at - backAt, 5_000)
  }).timeout(180_000)
})
