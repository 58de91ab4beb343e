import { test } from '@japa/runner'
import { freshState } from '#tests/helpers/database'
import { createUser, login } from '#tests/helpers/fixtures'
import { messagesTo } from '#tests/helpers/mailpit'
import { auditActions, passwordLogin, waitForMail } from '#tests/helpers/identity_helpers'

const unique = () => `s${crypto.randomUUID().slice(0, 8)}@example.test`
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'

test.group('Sessions and devices', (group) => {
  freshState(group)

  test('list sessions; ending one applies on its next request', async ({ client, assert }) => {
    const user = await createUser(unique())
    const mine = await login(user.email)
    const other = await login(user.email)

    const listed = await client.get('/v1/me/sessions').bearerToken(mine.accessToken)
    listed.assertStatus(200)
    assert.lengthOf(listed.body().data, 2)
    assert.isNull(listed.body().nextCursor)
    const current = listed.body().data.filter((s: { current: boolean }) => s.current)
    assert.lengthOf(current, 1)
    const otherSession = listed.body().data.find((s: { current: boolean }) => !s.current)

    ;(await client.get('/v1/me').bearerToken(other.accessToken)).assertStatus(200)
    ;(
      await client.delete(`/v1/me/sessions/${otherSession.id}`).bearerToken(mine.accessToken)
    ).assertStatus(204)
    ;(await client.get('/v1/me').bearerToken(other.accessToken)).assertStatus(401)
    ;(
      await client.post('/v1/auth/refresh').json({ refreshToken: other.refreshToken })
    ).assertStatus(401)
    ;(await client.get('/v1/me').bearerToken(mine.accessToken)).assertStatus(200)

    const after = await client.get('/v1/me/sessions').bearerToken(mine.accessToken)
    assert.deepEqual(
      after.body().data.map((s: { id: string }) => s.id),
      [current[0].id]
    )
    /* Already ended: 404. */
    ;(
      await client.delete(`/v1/me/sessions/${otherSession.id}`).bearerToken(mine.accessToken)
    ).assertStatus(404)
    assert.include(
      (await auditActions(user.id)).map((e) => e.action),
      'auth.session_revoked'
    )
  })

  test("another user's sessions and devices answer 404 and stay untouched", async ({
    client,
    assert,
  }) => {
    const alice = await createUser(unique())
    const mallory = await createUser(unique())
    const aliceSession = await login(alice.email)
    const malloryToken = (await login(mallory.email)).accessToken

    const aliceSessions = await client.get('/v1/me/sessions').bearerToken(aliceSession.accessToken)
    const { id: sessionId, deviceId } = aliceSessions.body().data[0]
    const mallorySees = await client.get('/v1/me/sessions').bearerToken(malloryToken)
    assert.notInclude(
      mallorySees.body().data.map((s: { id: string }) => s.id),
      sessionId
    )
    const malloryDevices = await client.get('/v1/me/devices').bearerToken(malloryToken)
    assert.notInclude(
      malloryDevices.body().data.map((d: { id: string }) => d.id),
      deviceId
    )

    ;(await client.delete(`/v1/me/sessions/${sessionId}`).bearerToken(malloryToken)).assertStatus(
      404
    )
    ;(await client.delete(`/v1/me/devices/${deviceId}`).bearerToken(malloryToken)).assertStatus(404)
    ;(await client.post(`/v1/me/devices/${deviceId}/trust`).bearerToken(malloryToken)).assertStatus(
      404
    )
    ;(await client.delete('/v1/me/sessions/not-a-uuid').bearerToken(malloryToken)).assertStatus(404)
    ;(await client.delete('/v1/me/devices/not-a-uuid').bearerToken(malloryToken)).assertStatus(404)

    ;(await client.get('/v1/me').bearerToken(aliceSession.accessToken)).assertStatus(200)
    const devices = await client.get('/v1/me/devices').bearerToken(aliceSession.accessToken)
    assert.isNull(devices.body().data[0].trustedUntil)
    ;(await client.get('/v1/me/sessions')).assertStatus(401)
  })

  test('a known device is recognised; a new device sends a mail and is audited', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const first = await passwordLogin(user.email, {}, undefined)
    const { deviceId, deviceToken } = first.body
    assert.isString(deviceId)
    assert.match(deviceToken, /^pwd_/)

    /* The same device again: no new record, no mail. */
    const again = await passwordLogin(user.email, { deviceId, deviceToken })
    assert.equal(again.body.deviceId, deviceId)
    assert.lengthOf(await messagesTo(user.email), 0, 'the first device and a known one are quiet')

    /* A new device (here Firefox on Linux) is announced. */
    const fresh = await client
      .post('/v1/auth/login')
      .header('user-agent', FIREFOX)
      .json({ email: user.email, password: 'a-long enough passphrase 42' })
    fresh.assertStatus(200)
    assert.notEqual(fresh.body().deviceId, deviceId)
    const text = await waitForMail(user.email, 'new sign-in')
    assert.include(text, 'Firefox on Linux')

    const devices = await client.get('/v1/me/devices').bearerToken(fresh.body().accessToken)
    devices.assertStatus(200)
    assert.lengthOf(devices.body().data, 2)
    const firefox = devices.body().data.find((d: { id: string }) => d.id === fresh.body().deviceId)
    assert.equal(firefox.name, 'Firefox on Linux')
    assert.isTrue(firefox.current)
    assert.equal(firefox.activeSessions, 1)
    const known = devices.body().data.find((d: { id: string }) => d.id === deviceId)
    assert.equal(known.activeSessions, 2)

    const newDevices = (await auditActions(user.id)).filter((e) => e.action === 'auth.new_device')
    assert.lengthOf(newDevices, 2)
  })

  test('forgetting a device revokes its sessions at once, and only those', async ({
    client,
    assert,
  }) => {
    const user = await createUser(unique())
    const laptop = (await passwordLogin(user.email)).body
    const laptopAgain = (
      await passwordLogin(user.email, {
        deviceId: laptop.deviceId,
        deviceToken: laptop.deviceToken,
      })
    ).body
    const phone = (await passwordLogin(user.email)).body

    ;(
      await client.delete(`/v1/me/devices/${laptop.deviceId}`).bearerToken(phone.accessToken)
    ).assertStatus(204)
    ;(await client.get('/v1/me').bearerToken(laptop.accessToken)).assertStatus(401)
    ;(await client.get('/v1/me').bearerToken(laptopAgain.accessToken)).assertStatus(401)
    ;(
      await client.post('/v1/auth/refresh').json({ refreshToken: laptop.refreshToken })
    ).assertStatus(401)
    ;(await client.get('/v1/me').bearerToken(phone.accessToken)).assertStatus(200)

    const devices = await client.get('/v1/me/devices').bearerToken(phone.accessToken)
    assert.deepEqual(
      devices.body().data.map((d: { id: string }) => d.id),
      [phone.deviceId]
    )
    /* The forgotten device's secret no longer identifies it. */
    const later = await passwordLogin(user.email, {
      deviceId: laptop.deviceId,
      deviceToken: laptop.deviceToken,
    })
    assert.notEqual(later.body.deviceId, laptop.deviceId)
    assert.include(
      (await auditActions(user.id)).map((e) => e.action),
      'auth.device_revoked'
    )
  })
})
