import { test } from '@japa/runner'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import {
  auditActions,
  enableTotp,
  freshCode,
  passwordLogin,
  totpOf,
} from '#tests/helpers/identity_helpers'

const unique = () => `m${crypto.randomUUID().slice(0, 8)}@example.test`

test.group('MFA: TOTP enrollment, challenge, recovery codes', (group) => {
  freshState(group)

  test('enroll returns secret, otpauth URI and SVG QR; confirm needs a right code', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const { accessToken } = await login(user.email)
    ;(await client.post('/v1/me/mfa/totp')).assertStatus(401)

    const enrolled = await client.post('/v1/me/mfa/totp').bearerToken(accessToken)
    enrolled.assertStatus(200)
    const { secret, otpauthUri, qrCode } = enrolled.body()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    assert.match(otpauthUri, /^otpauth:\/\/totp\/Pathways:/)
    assert.include(otpauthUri, `secret=${secret}`)
    assert.match(qrCode, /^data:image\/svg\+xml;base64,/)
    assert.include(Buffer.from(qrCode.split(',')[1], 'base64').toString(), '<svg')

    const stored = await asOwner((trx) =>
      trx.from('mfa_totp_factors').where('user_id', user.id).first()
    )
    assert.notInclude(stored.secret_encrypted, secret, 'the secret is stored encrypted')
    assert.isNull(stored.confirmed_at)

    /* Not active before confirmation: sign-in still yields tokens. */
    assert.property((await passwordLogin(user.email)).body, 'accessToken')

    const wrong = await client
      .post('/v1/me/mfa/totp/confirm')
      .bearerToken(accessToken)
      .json({ code: totpOf(secret).generate({ timestamp: Date.now() - 10 * 60_000 }) })
    wrong.assertStatus(422)
    assert.equal(wrong.body().errors[0].field, 'code')

    const confirmed = await client
      .post('/v1/me/mfa/totp/confirm')
      .bearerToken(accessToken)
      .json({ code: totpOf(secret).generate() })
    confirmed.assertStatus(200)
    assert.lengthOf(confirmed.body().recoveryCodes, 10)
    assert.lengthOf(new Set(confirmed.body().recoveryCodes), 10)
    const codes = await asOwner((trx) =>
      trx.from('mfa_recovery_codes').where('user_id', user.id).select('code_hash')
    )
    assert.lengthOf(codes, 10)
    for (const row of codes) {
      for (const code of confirmed.body().recoveryCodes) {
        assert.notInclude(row.code_hash.toString('utf8'), code, 'recovery codes stored hashed')
      }
    }
    ;(await client.post('/v1/me/mfa/totp').bearerToken(accessToken)).assertStatus(409)

    const actions = (await auditActions(user.id)).map((event) => event.action)
    assert.includeMembers(actions, [
      'auth.mfa.totp_enrollment_started',
      'auth.mfa.totp_confirm_failed',
      'auth.mfa.totp_confirmed',
    ])
  })

  test('login with a confirmed factor returns a challenge; a code finishes it once', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const { secret } = await enableTotp(user)

    const first = await passwordLogin(user.email)
    assert.equal(first.status, 200)
    assert.isTrue(first.body.mfaRequired)
    assert.notProperty(first.body, 'accessToken')
    const { challengeToken } = first.body
    const stored = await asOwner((trx) =>
      trx.from('auth_challenges').where('user_id', user.id).first()
    )
    assert.notInclude(stored.token_hash.toString('utf8'), challengeToken, 'stored hashed')

    const code = await freshCode(user.id, secret)
    const passed = await client.post('/v1/auth/mfa/challenge').json({ challengeToken, code })
    passed.assertStatus(200)
    const me = await client.get('/v1/me').bearerToken(passed.body().accessToken)
    me.assertStatus(200)

    /* Replay: the same code on a new challenge is refused. */
    const second = await passwordLogin(user.email)
    const replay = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: second.body.challengeToken, code })
    replay.assertStatus(401)
    assert.equal(replay.body().type.split('/').at(-1), 'invalid-mfa-challenge')

    /* The challenge works once (even with a fresh code). */
    const again = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken, code: await freshCode(user.id, secret) })
    again.assertStatus(401)
    /* ...while that challenge is still usable with a fresh code. */
    const fresh = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: second.body.challengeToken, code: await freshCode(user.id, secret) })
    fresh.assertStatus(200)

    const events = await auditActions(user.id)
    assert.isTrue(
      events.some((e) => e.action === 'auth.mfa.challenge_failed' && e.outcome === 'failure')
    )
    assert.isTrue(events.some((e) => e.action === 'auth.mfa.challenge_passed'))
  })

  test('wrong, unknown and expired challenges are refused; 5 failures burn a challenge', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const { secret } = await enableTotp(user)

    const unknown = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: 'pwc_not-a-real-challenge-token', code: '123456' })
    unknown.assertStatus(401)

    const missing = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: 'pwc_whatever-long-enough' })
    missing.assertStatus(422)

    const { challengeToken } = (await passwordLogin(user.email)).body
    const wrongCode = (Number(totpOf(secret).generate()) + 500_000) % 1_000_000
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await client
        .post('/v1/auth/mfa/challenge')
        .json({ challengeToken, code: String(wrongCode).padStart(6, '0') })
      wrong.assertStatus(401)
    }
    const burned = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken, code: await freshCode(user.id, secret) })
    burned.assertStatus(401)

    const expiring = (await passwordLogin(user.email)).body.challengeToken
    await asOwner((trx) =>
      trx
        .from('auth_challenges')
        .where('user_id', user.id)
        .whereNull('used_at')
        .update({ expires_at: new Date(Date.now() - 1000) })
    )
    const expired = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: expiring, code: await freshCode(user.id, secret) })
    expired.assertStatus(401)

    const failures = (await auditActions(user.id)).filter(
      (e) => e.action === 'auth.mfa.challenge_failed'
    )
    assert.isAtLeast(failures.length, 5)
  })

  test('recovery codes finish a challenge once; regenerating replaces them', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const { secret, recoveryCodes, accessToken } = await enableTotp(user)

    const first = (await passwordLogin(user.email)).body.challengeToken
    const used = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: first, recoveryCode: recoveryCodes[0].toLowerCase() })
    used.assertStatus(200)

    const second = (await passwordLogin(user.email)).body.challengeToken
    const reused = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: second, recoveryCode: recoveryCodes[0] })
    reused.assertStatus(401)
    assert.include(
      (await auditActions(user.id)).map((e) => e.action),
      'auth.mfa.recovery_code_used'
    )

    const regenerateWithout = await client
      .post('/v1/me/mfa/recovery-codes')
      .bearerToken(accessToken)
      .json({})
    regenerateWithout.assertStatus(422)
    const regenerated = await client
      .post('/v1/me/mfa/recovery-codes')
      .bearerToken(accessToken)
      .json({ code: await freshCode(user.id, secret) })
    regenerated.assertStatus(200)
    assert.lengthOf(regenerated.body().recoveryCodes, 10)
    assert.notInclude(regenerated.body().recoveryCodes, recoveryCodes[1])

    const old = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: second, recoveryCode: recoveryCodes[1] })
    old.assertStatus(401)
    const fresh = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: second, recoveryCode: regenerated.body().recoveryCodes[0] })
    fresh.assertStatus(200)
  })

  test('removing the authenticator needs a fresh code', async ({ client, assert }) => {
    const user = await createUser(unique())
    const { secret, accessToken } = await enableTotp(user)

    ;(await client.delete('/v1/me/mfa/totp').bearerToken(accessToken).json({})).assertStatus(422)
    const code = await freshCode(user.id, secret)
    const challenge = (await passwordLogin(user.email)).body.challengeToken
    ;(
      await client.post('/v1/auth/mfa/challenge').json({ challengeToken: challenge, code })
    ).assertStatus(200)
    /* The code just used for the challenge is not fresh. */
    const replayed = await client.delete('/v1/me/mfa/totp').bearerToken(accessToken).json({ code })
    replayed.assertStatus(422)

    const removed = await client
      .delete('/v1/me/mfa/totp')
      .bearerToken(accessToken)
      .json({ code: await freshCode(user.id, secret) })
    removed.assertStatus(204)
    assert.property((await passwordLogin(user.email)).body, 'accessToken')
    assert.include(
      (await auditActions(user.id)).map((e) => e.action),
      'auth.mfa.totp_disabled'
    )
  })

  test('a school requiring MFA for admins forces enrollment before a full session', async ({
    client,
    assert,
  }) => {
    const school = await createSchool('strict', { mfa_required_for_admins: true })
    const relaxed = await createSchool('relaxed')
    const admin = await createUser(unique())
    const learner = await createUser(unique())
    const relaxedAdmin = await createUser(unique())
    await addMember(school.id, admin.id, 'school_admin')
    await addMember(school.id, learner.id, 'learner')
    await addMember(relaxed.id, relaxedAdmin.id, 'school_admin')

    assert.property((await passwordLogin(learner.email)).body, 'accessToken')
    assert.property((await passwordLogin(relaxedAdmin.email)).body, 'accessToken')

    const signIn = await client
      .post('/v1/auth/login')
      .json({ email: admin.email, password: 'a-long enough passphrase 42' })
    signIn.assertStatus(200)
    assert.isTrue(signIn.body().mfaEnrollmentRequired)
    assert.notProperty(signIn.body(), 'accessToken')
    const enrollmentToken = signIn.body().enrollmentToken

    /* The enrollment token opens nothing but enrollment. */
    ;(await client.get('/v1/me').bearerToken(enrollmentToken)).assertStatus(401)
    ;(await client.get('/v1/me/sessions').bearerToken(enrollmentToken)).assertStatus(401)

    const enrolled = await client.post('/v1/me/mfa/totp').bearerToken(enrollmentToken)
    enrolled.assertStatus(200)
    const confirmed = await client
      .post('/v1/me/mfa/totp/confirm')
      .bearerToken(enrollmentToken)
      .json({ code: totpOf(enrolled.body().secret).generate() })
    confirmed.assertStatus(200)
    assert.lengthOf(confirmed.body().recoveryCodes, 10)
    const me = await client.get('/v1/me').bearerToken(confirmed.body().accessToken)
    me.assertStatus(200)
    assert.equal(me.body().schools[0].role, 'school_admin')

    /* Used once. */
    ;(await client.post('/v1/me/mfa/totp').bearerToken(enrollmentToken)).assertStatus(401)
    /* From now on the admin gets the regular challenge. */
    assert.isTrue((await passwordLogin(admin.email)).body.mfaRequired)
    assert.include(
      (await auditActions(admin.id)).map((e) => e.action),
      'auth.mfa.enrollment_required'
    )
  })

  test('a trusted device skips MFA for its sign-ins only', async ({ client, assert }) => {
    const user = await createUser(unique())
    const other = await createUser(unique())
    const { secret } = await enableTotp(user)

    const challenge = (await passwordLogin(user.email)).body.challengeToken
    const pair = await client
      .post('/v1/auth/mfa/challenge')
      .json({ challengeToken: challenge, code: await freshCode(user.id, secret) })
    pair.assertStatus(200)
    const { deviceId, deviceToken, accessToken } = pair.body()
    assert.isString(deviceToken)

    /* Before trust, the known device still needs the second factor. */
    assert.isTrue((await passwordLogin(user.email, { deviceId, deviceToken })).body.mfaRequired)

    const otherToken = (await login(other.email)).accessToken
    ;(await client.post(`/v1/me/devices/${deviceId}/trust`).bearerToken(otherToken)).assertStatus(
      404
    )

    const trusted = await client.post(`/v1/me/devices/${deviceId}/trust`).bearerToken(accessToken)
    trusted.assertStatus(200)
    const days = (Date.parse(trusted.body().trustedUntil) - Date.now()) / 86_400_000
    assert.isAbove(days, 29.9)
    assert.isBelow(days, 30.1)

    const skipped = await passwordLogin(user.email, { deviceId, deviceToken })
    assert.property(skipped.body, 'accessToken')
    assert.equal(skipped.body.deviceId, deviceId)
    assert.notProperty(skipped.body, 'deviceToken', 'a known device gets no new secret')

    assert.isTrue((await passwordLogin(user.email)).body.mfaRequired, 'no device proof')
    assert.isTrue(
      (await passwordLogin(user.email, { deviceId, deviceToken: 'pwd_guessed' })).body.mfaRequired,
      'wrong device secret'
    )

    /* Trust ends when the device is forgotten. */
    ;(await client.delete(`/v1/me/devices/${deviceId}`).bearerToken(accessToken)).assertStatus(204)
    assert.isTrue((await passwordLogin(user.email, { deviceId, deviceToken })).body.mfaRequired)
    assert.include(
      (await auditActions(user.id)).map((e) => e.action),
      'auth.device_trusted'
    )
  })
})
