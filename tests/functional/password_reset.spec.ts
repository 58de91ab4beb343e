import { test } from '@japa/runner'
import testUtils from '@adonisjs/core/services/test_utils'
import { freshState } from '#tests/helpers/database'
import { asOwner, createUser, login, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { messagesTo } from '#tests/helpers/mailpit'
import { api, auditActions, passwordLogin, waitForMail } from '#tests/helpers/identity_helpers'
import { requestPasswordReset } from '#services/identity/password_reset_service'
import { requestMeta } from '#middleware/request_meta'

const unique = () => `p${crypto.randomUUID().slice(0, 8)}@example.test`
const NEW_PASSWORD = 'another quite long passphrase 7'

async function requestReset(email: string) {
  await api('POST', '/v1/auth/password/forgot', { body: { email } })
  const text = await waitForMail(email, 'reset your password')
  const match = text.match(/Reset token: (\S+)/)
  if (!match) throw new Error('no token in the reset mail')
  return match[1]
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

test.group('Password reset', (group) => {
  freshState(group)

  test('forgot-password answers the same, in comparable time, for unknown addresses', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const stranger = unique()

    const forUnknown = await client.post('/v1/auth/password/forgot').json({ email: stranger })
    const forKnown = await client.post('/v1/auth/password/forgot').json({ email: user.email })
    forUnknown.assertStatus(202)
    forKnown.assertStatus(202)
    assert.deepEqual(forKnown.body(), forUnknown.body())

    const text = await waitForMail(user.email, 'reset your password')
    assert.match(text, /valid 30 minutes/)
    // The mail work runs after the response: run it for the unknown address and wait for its end.
    await requestPasswordReset(requestMeta(await testUtils.createHttpContext()), stranger)
    assert.lengthOf(await messagesTo(stranger), 0, 'nothing is sent to an unknown address')

    const timings = { known: [] as number[], unknown: [] as number[] }
    for (let round = 0; round < 5; round++) {
      for (const [kind, email] of [
        ['known', user.email],
        ['unknown', unique()],
      ] as const) {
        const started = performance.now()
        await api('POST', '/v1/auth/password/forgot', { body: { email } })
        timings[kind].push(performance.now() - started)
      }
    }
    const gap = Math.abs(median(timings.known) - median(timings.unknown))
    assert.isBelow(gap, 60, `median gap ${gap.toFixed(1)} ms`)

    ;(await client.post('/v1/auth/password/forgot').json({ email: 'not-an-email' })).assertStatus(
      422
    )
  })

  test('a reset token sets a new password once and revokes every session', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const sessionA = await login(user.email)
    const sessionB = await login(user.email)
    const token = await requestReset(user.email)
    const row = await asOwner((trx) =>
      trx.from('user_tokens').where({ user_id: user.id, purpose: 'reset_password' }).first()
    )
    assert.notInclude(row.token_hash.toString('utf8'), token, 'stored hashed')

    /* A refused password does not burn the token. */
    const weak = await client
      .post('/v1/auth/password/reset')
      .json({ token, password: `${user.email.split('@')[0]} is my password` })
    weak.assertStatus(422)
    assert.equal(weak.body().errors[0].field, 'password')
    ;(await client.post('/v1/auth/password/reset').json({ token, password: 'short' })).assertStatus(
      422
    )

    const reset = await client
      .post('/v1/auth/password/reset')
      .json({ token, password: NEW_PASSWORD })
    reset.assertStatus(200)
    assert.deepEqual(reset.body(), { passwordReset: true })

    /* Every session ends at once: access tokens and refresh tokens. */
    ;(await client.get('/v1/me').bearerToken(sessionA.accessToken)).assertStatus(401)
    ;(await client.get('/v1/me').bearerToken(sessionB.accessToken)).assertStatus(401)
    ;(
      await client.post('/v1/auth/refresh').json({ refreshToken: sessionB.refreshToken })
    ).assertStatus(401)

    assert.equal((await passwordLogin(user.email)).status, 401, 'the old password is gone')
    assert.property((await passwordLogin(user.email, {}, NEW_PASSWORD)).body, 'accessToken')

    const reused = await client
      .post('/v1/auth/password/reset')
      .json({ token, password: 'yet another long passphrase 9' })
    reused.assertStatus(400)

    const notice = await waitForMail(user.email, 'your password was changed')
    assert.include(notice, 'every session was signed out')
    const actions = await auditActions(user.id)
    assert.isTrue(
      actions.some((e) => e.action === 'auth.password_reset' && e.outcome === 'success')
    )
    assert.isTrue(actions.some((e) => e.action === 'auth.password_reset_requested'))
  })

  test('expired and unknown tokens are refused', async ({ client }) => {
    const user = await createUser(unique())
    const token = await requestReset(user.email)
    await asOwner((trx) =>
      trx
        .from('user_tokens')
        .where({ user_id: user.id, purpose: 'reset_password' })
        .update({ expires_at: new Date(Date.now() - 1000) })
    )
    ;(
      await client.post('/v1/auth/password/reset').json({ token, password: NEW_PASSWORD })
    ).assertStatus(400)
    ;(
      await client
        .post('/v1/auth/password/reset')
        .json({ token: 'pwp_this-token-does-not-exist', password: NEW_PASSWORD })
    ).assertStatus(400)
    ;(await client.post('/v1/auth/password/reset').json({ password: NEW_PASSWORD })).assertStatus(
      422
    )

    /* The password still works: nothing changed. */
    ;(
      await client.post('/v1/auth/login').json({ email: user.email, password: TEST_PASSWORD })
    ).assertStatus(200)
  })
})
