import { test } from '@japa/runner'
import redis from '@adonisjs/redis/services/main'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser, login } from '#tests/helpers/fixtures'
import { api, freshCode, passwordLogin } from '#tests/helpers/identity_helpers'

/** Enrolls and confirms TOTP with an enrollment token; returns the confirm answer (a token pair). */
async function completeEnrollment(userId: string, enrollmentToken: string) {
  const enrolled = await api('POST', '/v1/me/mfa/totp', { token: enrollmentToken })
  if (enrolled.status !== 200) throw new Error(`enroll answered ${enrolled.status}`)
  const confirmed = await api('POST', '/v1/me/mfa/totp/confirm', {
    token: enrollmentToken,
    body: { code: await freshCode(userId, enrolled.body.secret) },
  })
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}`)
  return confirmed.body as { accessToken: string; refreshToken: string }
}

const MFA_PROBLEM = /\/mfa-enrollment-required$/

test.group('Admin MFA: platform admins and school admins need a second factor', (group) => {
  freshState(group)

  test('a platform admin signing in with a password alone must enroll a factor first', async ({
    assert,
  }) => {
    const root = await createUser('root@pathways.test', { platformAdmin: true })

    const signIn = await passwordLogin(root.email)
    assert.equal(signIn.status, 200)
    assert.notProperty(signIn.body, 'accessToken', 'a password alone opened every school')
    assert.isTrue(signIn.body.mfaEnrollmentRequired)

    const session = await completeEnrollment(root.id, signIn.body.enrollmentToken)
    const schools = await api('GET', '/v1/platform/schools', { token: session.accessToken })
    assert.equal(schools.status, 200)

    /* From now on every password sign-in gets the challenge. */
    const again = await passwordLogin(root.email)
    assert.isTrue(again.body.mfaRequired)
    assert.notProperty(again.body, 'accessToken')
  })

  test('a platform admin without a factor is refused on platform and school routes and on refresh', async ({
    assert,
  }) => {
    /* Signed in before becoming a platform admin (or before this rule): a live password-only session. */
    const user = await createUser('promoted@pathways.test')
    const pair = await login(user.email)
    await asOwner((trx) =>
      trx.from('users').where('id', user.id).update({ is_platform_admin: true })
    )
    const school = await createSchool('anywhere')

    const platform = await api('GET', '/v1/platform/schools', { token: pair.accessToken })
    assert.equal(platform.status, 403)
    assert.match(platform.body.type, MFA_PROBLEM)
    const members = await api('GET', `/v1/schools/${school.id}/members`, {
      token: pair.accessToken,
    })
    assert.equal(members.status, 403)
    assert.match(members.body.type, MFA_PROBLEM)

    const refreshed = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    })
    assert.equal(refreshed.status, 200)
    assert.notProperty(refreshed.body, 'accessToken')
    assert.isTrue(refreshed.body.mfaEnrollmentRequired)
    /* The password-only session is over. */
    assert.equal((await api('GET', '/v1/me', { token: pair.accessToken })).status, 401)
    assert.equal(
      (await api('POST', '/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } })).status,
      401
    )

    const session = await completeEnrollment(user.id, refreshed.body.enrollmentToken)
    assert.equal(
      (await api('GET', '/v1/platform/schools', { token: session.accessToken })).status,
      200
    )
    assert.equal(
      (await api('GET', `/v1/schools/${school.id}/members`, { token: session.accessToken })).status,
      200
    )
  })

  test("a school's admin-MFA rule holds on every admin request, not only at sign-in", async ({
    assert,
  }) => {
    const school = await createSchool('strict', { mfa_required_for_admins: true })
    const user = await createUser('promoted@strict.test')
    const other = await createUser('learner@strict.test')
    const membership = await addMember(school.id, user.id, 'learner')
    const otherMembership = await addMember(school.id, other.id, 'learner')
    const pair = await login(user.email) // a learner needs no factor

    /* Promoted to admin after signing in, without a factor. */
    await asOwner((trx) =>
      trx.from('memberships').where('id', membership).update({ role: 'school_admin' })
    )
    await redis.flushdb() // the fixture bypasses the API, which would invalidate the cached context

    const base = `/v1/schools/${school.id}`
    const list = await api('GET', `${base}/members`, { token: pair.accessToken })
    assert.equal(list.status, 403, 'admin permission used without a factor')
    assert.match(list.body.type, MFA_PROBLEM)
    const promote = await api('PATCH', `${base}/members/${otherMembership}`, {
      token: pair.accessToken,
      body: { role: 'staff' },
    })
    assert.equal(promote.status, 403)
    assert.equal(
      (await asOwner((trx) => trx.from('memberships').where('id', otherMembership).first())).role,
      'learner'
    )
    /* Nothing administrative is needed to see oneself. */
    assert.equal((await api('GET', '/v1/me', { token: pair.accessToken })).status, 200)

    const refreshed = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: pair.refreshToken },
    })
    assert.equal(refreshed.status, 200)
    assert.notProperty(refreshed.body, 'accessToken')
    assert.isTrue(refreshed.body.mfaEnrollmentRequired)

    const session = await completeEnrollment(user.id, refreshed.body.enrollmentToken)
    assert.equal((await api('GET', `${base}/members`, { token: session.accessToken })).status, 200)
  })

  test('members.invite and profiles.read_all are admin permissions', async ({ assert }) => {
    const school = await createSchool('strict-set', { mfa_required_for_admins: true })
    for (const permission of ['members.invite', 'profiles.read_all']) {
      const user = await createUser(`${permission}@strict-set.test`)
      const membership = await addMember(school.id, user.id, 'learner')
      await asOwner((trx) =>
        trx
          .from('memberships')
          .where('id', membership)
          .update({ extra_permissions: [permission] })
      )
      const signIn = await passwordLogin(user.email)
      assert.equal(signIn.status, 200)
      assert.notProperty(signIn.body, 'accessToken', `${permission} without a factor`)
      assert.isTrue(signIn.body.mfaEnrollmentRequired)
    }
  })
})
