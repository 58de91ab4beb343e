import { test } from '@japa/runner'
import app from '@adonisjs/core/services/app'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import {
  api,
  auditActions,
  enableTotp,
  freshCode,
  passwordLogin,
} from '#tests/helpers/identity_helpers'

/*
| Session lifetime and step-up. Time is simulated by moving timestamps in the
| database (as the owner role), never by sleeping.
*/

const NEW_PASSWORD = 'a different long passphrase 9'
const unique = (prefix = 'u') => `${prefix}${crypto.randomUUID().slice(0, 8)}@example.test`
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000)
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000)

async function ageFamilies(userId: string, changes: Record<string, Date>) {
  await asOwner((trx) =>
    trx.from('refresh_token_families').where('user_id', userId).update(changes)
  )
}

/** Password + TOTP sign-in through the API; returns the token pair. */
async function signInWithTotp(user: { id: string; email: string }, secret: string) {
  const challenge = await passwordLogin(user.email)
  const done = await api('POST', '/v1/auth/mfa/challenge', {
    body: { challengeToken: challenge.body.challengeToken, code: await freshCode(user.id, secret) },
  })
  if (done.status !== 200) throw new Error(`challenge answered ${done.status}`)
  return done.body as { accessToken: string; refreshToken: string }
}

function withSessionConfig(values: Record<string, string>) {
  const previous = Object.fromEntries(
    Object.keys(values).map((key) => [key, app.config.get(`session.${key}`)])
  )
  for (const [key, value] of Object.entries(values)) app.config.set(`session.${key}`, value)
  return () => {
    for (const [key, value] of Object.entries(previous)) app.config.set(`session.${key}`, value)
  }
}

test.group('Session limits: idle and absolute lifetime', (group) => {
  freshState(group)

  test('a session idle for longer than 30 days cannot be refreshed', async ({ assert }) => {
    const user = await createUser(unique())
    const recent = await login(user.email)
    await ageFamilies(user.id, { created_at: daysAgo(29), last_used_at: daysAgo(29) })
    const stillOk = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: recent.refreshToken },
    })
    assert.equal(stillOk.status, 200, '29 idle days are within the limit')

    await ageFamilies(user.id, { created_at: daysAgo(31), last_used_at: daysAgo(31) })
    const idle = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: stillOk.body.refreshToken },
    })
    assert.equal(idle.status, 401)
    const expired = (await auditActions(user.id)).find((e) => e.action === 'auth.session_expired')
    assert.equal(expired?.changes.reason, 'idle_timeout')
  })

  test('no session outlives 90 days, however often it is refreshed', async ({ assert }) => {
    const user = await createUser(unique())
    const pair = await login(user.email)
    await ageFamilies(user.id, { created_at: daysAgo(91), last_used_at: minutesAgo(1) })
    const refreshed = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    })
    assert.equal(refreshed.status, 401)
    const sessions = await api('GET', '/v1/me/sessions', {
      token: (await login(user.email)).accessToken,
    })
    assert.lengthOf(sessions.body.data, 1, 'the expired session is no longer listed')
  })

  test('the limits come from configuration', async ({ assert, cleanup }) => {
    cleanup(withSessionConfig({ idleTimeout: '1 hour', absoluteLifetime: '1 day' }))
    const user = await createUser(unique())
    const idle = await login(user.email)
    await ageFamilies(user.id, { last_used_at: minutesAgo(61) })
    assert.equal(
      (await api('POST', '/v1/auth/refresh', { body: { refreshToken: idle.refreshToken } })).status,
      401
    )
    const old = await login(user.email)
    await asOwner((trx) =>
      trx
        .from('refresh_token_families')
        .where('user_id', user.id)
        .whereNull('revoked_at')
        .update({ created_at: minutesAgo(25 * 60), last_used_at: minutesAgo(1) })
    )
    assert.equal(
      (await api('POST', '/v1/auth/refresh', { body: { refreshToken: old.refreshToken } })).status,
      401
    )
  })
})

test.group('Step-up: sensitive changes need a recent authentication', (group) => {
  freshState(group)

  test('an old session cannot touch factors, recovery codes or device trust until it re-authenticates', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const { secret } = await enableTotp(user)
    const session = await signInWithTotp(user, secret)
    const devices = await api('GET', '/v1/me/devices', { token: session.accessToken })
    const deviceId = devices.body.data[0].id as string
    await ageFamilies(user.id, { authenticated_at: minutesAgo(11) })

    const codes = await client
      .post('/v1/me/mfa/recovery-codes')
      .bearerToken(session.accessToken)
      .json({ code: await freshCode(user.id, secret) })
    codes.assertStatus(403)
    assert.equal(codes.body().type, 'https://pathways.dev/problems/reauthentication-required')
    assert.match(codes.body().detail, /POST \/v1\/me\/reauthenticate/)
    ;(
      await client.post(`/v1/me/devices/${deviceId}/trust`).bearerToken(session.accessToken)
    ).assertStatus(403)
    ;(
      await client
        .delete('/v1/me/mfa/totp')
        .bearerToken(session.accessToken)
        .json({ code: await freshCode(user.id, secret) })
    ).assertStatus(403)

    // Refreshing keeps the session alive but does not renew its authentication.
    const refreshed = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    })
    assert.equal(refreshed.status, 200)
    ;(
      await client.post(`/v1/me/devices/${deviceId}/trust`).bearerToken(refreshed.body.accessToken)
    ).assertStatus(403)

    const wrong = await client
      .post('/v1/me/reauthenticate')
      .bearerToken(refreshed.body.accessToken)
      .json({ password: 'not the password at all' })
    wrong.assertStatus(422)
    const reauthenticated = await client
      .post('/v1/me/reauthenticate')
      .bearerToken(refreshed.body.accessToken)
      .json({ password: 'a-long enough passphrase 42' })
    reauthenticated.assertStatus(200)
    assert.isAbove(Date.parse(reauthenticated.body().validUntil), Date.now() + 9 * 60_000)
    ;(
      await client.post(`/v1/me/devices/${deviceId}/trust`).bearerToken(refreshed.body.accessToken)
    ).assertStatus(200)
    const replaced = await client
      .post('/v1/me/mfa/recovery-codes')
      .bearerToken(refreshed.body.accessToken)
      .json({ code: await freshCode(user.id, secret) })
    replaced.assertStatus(200)

    // A second factor re-authenticates too.
    await ageFamilies(user.id, { authenticated_at: minutesAgo(11) })
    const byCode = await client
      .post('/v1/me/reauthenticate')
      .bearerToken(refreshed.body.accessToken)
      .json({ code: await freshCode(user.id, secret) })
    byCode.assertStatus(200)
    const actions = (await auditActions(user.id)).map((e) => e.action)
    assert.include(actions, 'auth.reauthenticated')
  })

  test('the re-authentication window comes from configuration', async ({ client, cleanup }) => {
    cleanup(withSessionConfig({ reauthenticationWindow: '1 minute' }))
    const user = await createUser(unique())
    const session = await login(user.email)
    await ageFamilies(user.id, { authenticated_at: minutesAgo(2) })
    ;(await client.post('/v1/me/mfa/totp').bearerToken(session.accessToken)).assertStatus(403)
  })

  test('password change: proves the current password, ends every other session', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const mine = await login(user.email)
    const other = await login(user.email)

    const wrong = await client
      .post('/v1/me/password')
      .bearerToken(mine.accessToken)
      .json({ currentPassword: 'not my password at all', newPassword: NEW_PASSWORD })
    wrong.assertStatus(422)
    assert.equal(wrong.body().errors[0].field, 'currentPassword')
    const weak = await client
      .post('/v1/me/password')
      .bearerToken(mine.accessToken)
      .json({ currentPassword: 'a-long enough passphrase 42', newPassword: 'short' })
    weak.assertStatus(422)

    const changed = await client
      .post('/v1/me/password')
      .bearerToken(mine.accessToken)
      .json({ currentPassword: 'a-long enough passphrase 42', newPassword: NEW_PASSWORD })
    changed.assertStatus(204)
    ;(await client.get('/v1/me').bearerToken(other.accessToken)).assertStatus(401)
    assert.equal(
      (await api('POST', '/v1/auth/refresh', { body: { refreshToken: other.refreshToken } }))
        .status,
      401
    )
    ;(await client.get('/v1/me').bearerToken(mine.accessToken)).assertStatus(200)
    assert.equal(
      (await api('POST', '/v1/auth/refresh', { body: { refreshToken: mine.refreshToken } })).status,
      200
    )
    assert.equal((await passwordLogin(user.email)).status, 401)
    assert.equal((await passwordLogin(user.email, {}, NEW_PASSWORD)).status, 200)
    assert.include(
      (await auditActions(user.id)).map((e) => e.action),
      'auth.password_changed'
    )

    // Without the current password, only a recently authenticated session may change it.
    const fresh = await passwordLogin(user.email, {}, NEW_PASSWORD)
    await asOwner((trx) =>
      trx
        .from('refresh_token_families')
        .where('user_id', user.id)
        .update({ authenticated_at: minutesAgo(11) })
    )
    const stale = await client
      .post('/v1/me/password')
      .bearerToken(fresh.body.accessToken)
      .json({ newPassword: 'yet another long passphrase 3' })
    stale.assertStatus(403)
    assert.match(stale.body().type, /reauthentication-required$/)
  })
})

test.group('Disabling an account', (group) => {
  freshState(group)

  test('a platform admin disables a user: every token stops at once, even a cached one', async ({
    client,
    assert,
  }) => {
    const admin = await createUser(unique('admin'), { platformAdmin: true })
    const user = await createUser(unique())
    const adminToken = (await login(admin.email)).accessToken
    const session = await login(user.email)
    // Warm the 60-second token cache.
    ;(await client.get('/v1/me').bearerToken(session.accessToken)).assertStatus(200)
    ;(await client.get('/v1/me').bearerToken(session.accessToken)).assertStatus(200)

    const disabled = await client
      .post(`/v1/platform/users/${user.id}/disable`)
      .bearerToken(adminToken)
      .json({ reason: 'compromised' })
    disabled.assertStatus(200)
    assert.equal(disabled.body().status, 'disabled')

    ;(await client.get('/v1/me').bearerToken(session.accessToken)).assertStatus(401)
    assert.equal(
      (await api('POST', '/v1/auth/refresh', { body: { refreshToken: session.refreshToken } }))
        .status,
      401
    )
    assert.equal((await passwordLogin(user.email)).status, 403)
    const audit = await asOwner((trx) =>
      trx.from('audit_events').where({ action: 'user.disabled', target_id: user.id }).first()
    )
    assert.equal(audit.actor_user_id, admin.id)

    ;(
      await client.post(`/v1/platform/users/${user.id}/enable`).bearerToken(adminToken)
    ).assertStatus(200)
    assert.equal((await passwordLogin(user.email)).status, 200)
  })

  test('school admins cannot disable accounts (they suspend memberships); nobody disables themselves', async ({
    client,
  }) => {
    const school = await createSchool(`disable-${crypto.randomUUID().slice(0, 6)}`)
    const schoolAdmin = await createUser(unique('sa'))
    const member = await createUser(unique())
    await addMember(school.id, schoolAdmin.id, 'school_admin')
    await addMember(school.id, member.id, 'learner')
    const token = (await login(schoolAdmin.email)).accessToken
    ;(
      await client.post(`/v1/platform/users/${member.id}/disable`).bearerToken(token).json({})
    ).assertStatus(403)
    ;(await client.get('/v1/me').bearerToken((await login(member.email)).accessToken)).assertStatus(
      200
    )

    const platformAdmin = await createUser(unique('pa'), { platformAdmin: true })
    const own = await login(platformAdmin.email)
    ;(
      await client
        .post(`/v1/platform/users/${platformAdmin.id}/disable`)
        .bearerToken(own.accessToken)
        .json({})
    ).assertStatus(403)
  })
})
