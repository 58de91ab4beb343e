import { test } from '@japa/runner'
import { freshState } from '#tests/helpers/database'
import { addMember, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { api, enableTotp, freshCode, passwordLogin } from '#tests/helpers/identity_helpers'
import { rateLimitSettings } from '#services/platform/rate_limit'

const unique = (prefix = 'b') => `${prefix}${crypto.randomUUID().slice(0, 8)}@example.test`

/** A 6-digit code that is not the current one (nor its neighbours). */
async function wrongCode(userId: string, secret: string) {
  const right = Number(await freshCode(userId, secret))
  return String((right + 500_000) % 1_000_000).padStart(6, '0')
}

test.group('Brute force: per-account counters', (group) => {
  freshState(group)

  test('parallel wrong passwords cannot exceed the 5 attempts of the account lockout', async ({
    assert,
  }) => {
    const user = await createUser(unique())
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, index) =>
        passwordLogin(user.email, {}, `wrong passphrase number ${index}`)
      )
    )
    const statuses = answers.map((answer) => answer.status)
    const checked = statuses.filter((status) => status === 401).length
    assert.isAtMost(checked, 5, `passwords checked: ${statuses.join(',')}`)
    assert.equal(checked + statuses.filter((status) => status === 429).length, 15)
    // Locked: even the right password waits.
    assert.equal((await passwordLogin(user.email)).status, 429)
  })

  test('wrong second factors count per account: a new challenge does not reset them', async ({
    assert,
  }) => {
    const user = await createUser(unique())
    const { secret } = await enableTotp(user)
    for (let attempt = 0; attempt < 5; attempt++) {
      const challenge = await passwordLogin(user.email)
      assert.isTrue(challenge.body.mfaRequired)
      const refused = await api('POST', '/v1/auth/mfa/challenge', {
        body: {
          challengeToken: challenge.body.challengeToken,
          code: await wrongCode(user.id, secret),
        },
      })
      assert.equal(refused.status, 401)
    }
    const challenge = await passwordLogin(user.email)
    const locked = await api('POST', '/v1/auth/mfa/challenge', {
      body: {
        challengeToken: challenge.body.challengeToken,
        code: await freshCode(user.id, secret),
      },
    })
    assert.equal(locked.status, 429, 'the right code waits too once 5 wrong ones were tried')
  })

  test('wrong codes on factor management count against the same per-account limit', async ({
    assert,
  }) => {
    const user = await createUser(unique())
    const { secret, accessToken } = await enableTotp(user)
    for (let attempt = 0; attempt < 5; attempt++) {
      const refused = await api('POST', '/v1/me/mfa/recovery-codes', {
        token: accessToken,
        body: { code: await wrongCode(user.id, secret) },
      })
      assert.equal(refused.status, 422)
    }
    const locked = await api('DELETE', '/v1/me/mfa/totp', {
      token: accessToken,
      body: { code: await freshCode(user.id, secret) },
    })
    assert.equal(locked.status, 429)
  })
})

test.group('Brute force: throttled routes', (group) => {
  freshState(group)

  test('MFA management routes are throttled per account (10 per minute)', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const { accessToken } = await login(user.email)
    for (let attempt = 0; attempt < 10; attempt++) {
      const response = await client
        .post('/v1/me/mfa/recovery-codes')
        .bearerToken(accessToken)
        .json({ code: 'nope' })
      response.assertStatus(422)
      assert.equal(response.header('ratelimit-limit'), '10')
    }
    const limited = await client
      .post('/v1/me/mfa/recovery-codes')
      .bearerToken(accessToken)
      .json({ code: 'nope' })
    limited.assertStatus(429)
    assert.isAtLeast(Number(limited.header('retry-after')), 1)
    // Same account, other token and route: same counter.
    const other = await login(user.email)
    ;(
      await client.delete('/v1/me/mfa/totp').bearerToken(other.accessToken).json({ code: 'x' })
    ).assertStatus(429)
  })

  test('the expensive throttle guards job search and report generation', async ({
    client,
    assert,
  }) => {
    const school = await createSchool(`expensive-${crypto.randomUUID().slice(0, 6)}`)
    const admin = await createUser(unique('admin'))
    await addMember(school.id, admin.id, 'school_admin')
    const { accessToken } = await login(admin.email)
    const limit = String(rateLimitSettings.expensivePerMinute)

    const search = await client
      .get(`/v1/schools/${school.id}/jobs/search`)
      .qs({ q: 'engineer' })
      .bearerToken(accessToken)
    search.assertStatus(200)
    assert.equal(search.header('ratelimit-limit'), limit)
    assert.equal(search.header('ratelimit-remaining'), String(Number(limit) - 1))

    const report = await client
      .post(`/v1/schools/${school.id}/reports`)
      .bearerToken(accessToken)
      .json({ cohortId: 'not-a-uuid' })
    report.assertStatus(422)
    assert.equal(report.header('ratelimit-limit'), limit)
    assert.equal(report.header('ratelimit-remaining'), String(Number(limit) - 2))
  })
})
