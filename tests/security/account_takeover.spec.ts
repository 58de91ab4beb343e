import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { oauthSettings } from '#config/ally'
import { freshState } from '#tests/helpers/database'
import { asOwner, createSchool, createUser, login, TEST_PASSWORD } from '#tests/helpers/fixtures'
import { api, auditActions, passwordLogin } from '#tests/helpers/identity_helpers'
import {
  startOidcProvider,
  TestBrowser,
  type LocalOpenIdProvider,
  signInThrough,
} from '#tests/helpers/oidc_provider'
import { newOpaqueToken } from '#services/identity/token_hash'

/*
| Pre-registration takeover: someone registers an address they do not own (never
| confirmed) with their own password, then the owner proves the mailbox — by accepting
| an invitation or by a provider sign-in. Nothing the registrant set must survive.
*/

const SQUATTER_PASSWORD = 'registered first, mailbox never proven 1'
const VICTIM_PASSWORD = 'the rightful owner passphrase 2'
const unique = (prefix = 'v') => `${prefix}${crypto.randomUUID().slice(0, 8)}@example.test`

/** A pending invitation written as the admin's invite would; returns its token. */
async function invitation(schoolId: string, email: string, role = 'staff') {
  const token = newOpaqueToken('inv_')
  await asOwner((trx) =>
    trx.table('invitations').insert({
      school_id: schoolId,
      email,
      role,
      token_hash: token.hash,
      workflow_id: `invitation:${schoolId}:${email}`,
      expires_at: new Date(Date.now() + 3600_000),
    })
  )
  return token.value
}

/**
 * Stands for anything the registrant may hold on the unconfirmed account: a session
 * (refresh family + token) on a trusted device, and an unconfirmed authenticator.
 */
async function plantRegistrantFootholds(userId: string) {
  const refresh = newOpaqueToken('pwr_')
  await asOwner(async (trx) => {
    const [device] = await trx
      .table('devices')
      .insert({
        user_id: userId,
        name: 'Registrant laptop',
        trusted_until: new Date(Date.now() + 86_400_000),
        device_token_hash: newOpaqueToken('pwd_').hash,
      })
      .returning('id')
    const [family] = await trx
      .table('refresh_token_families')
      .insert({ user_id: userId, device_id: device.id })
      .returning('id')
    await trx.table('refresh_tokens').insert({
      family_id: family.id,
      token_hash: refresh.hash,
      expires_at: new Date(Date.now() + 86_400_000),
    })
    await trx.table('mfa_totp_factors').insert({ user_id: userId, secret_encrypted: 'registrant' })
  })
  return refresh.value
}

async function registrantLeftovers(userId: string) {
  return asOwner(async (trx) => ({
    liveFamilies: (
      await trx.from('refresh_token_families').where('user_id', userId).whereNull('revoked_at')
    ).length,
    trustedDevices: (
      await trx
        .from('devices')
        .where('user_id', userId)
        .whereNull('revoked_at')
        .where('trusted_until', '>', new Date())
    ).length,
    factors: (await trx.from('mfa_totp_factors').where('user_id', userId)).length,
  }))
}

test.group('Account takeover: invitation acceptance', (group) => {
  freshState(group)

  test('accepting an invitation for a never-confirmed registration locks the registrant out', async ({
    client,
    assert,
  }) => {
    const victim = unique()
    const school = await createSchool(`takeover-${crypto.randomUUID().slice(0, 6)}`)
    ;(
      await client
        .post('/v1/auth/register')
        .json({ email: victim, password: SQUATTER_PASSWORD, fullName: 'Squatter' })
    ).assertStatus(202)
    const account = await db.from('users').where('email', victim).first()
    const squatterRefresh = await plantRegistrantFootholds(account.id)
    const token = await invitation(school.id, victim, 'staff')

    ;(await client.get(`/v1/invitations/${token}`)).assertStatus(200)
    const accepted = await client
      .post(`/v1/invitations/${token}/accept`)
      .json({ password: VICTIM_PASSWORD, fullName: 'Victim' })
    accepted.assertStatus(201)
    assert.equal(accepted.body().userId, account.id)

    // The registrant's password no longer signs in, so the invited role is out of reach.
    const squatter = await passwordLogin(victim, {}, SQUATTER_PASSWORD)
    assert.equal(squatter.status, 401)
    const squatterSession = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: squatterRefresh },
    })
    assert.equal(squatterSession.status, 401)
    assert.deepEqual(await registrantLeftovers(account.id), {
      liveFamilies: 0,
      trustedDevices: 0,
      factors: 0,
    })

    // The invitee signs in with the password chosen at acceptance and holds the role.
    const owner = await passwordLogin(victim, {}, VICTIM_PASSWORD)
    assert.equal(owner.status, 200)
    const me = await client.get('/v1/me').bearerToken(owner.body.accessToken)
    me.assertStatus(200)
    assert.equal(me.body().fullName, 'Victim')
    assert.deepEqual(
      me.body().schools.map((s: { schoolId: string; role: string }) => [s.schoolId, s.role]),
      [[school.id, 'staff']]
    )
    assert.include(
      (await auditActions(account.id)).map((event) => event.action),
      'auth.unproven_account_reclaimed'
    )
  })

  test('a never-confirmed registration needs a new password at acceptance', async ({
    client,
    assert,
  }) => {
    const victim = unique()
    const school = await createSchool(`takeover-${crypto.randomUUID().slice(0, 6)}`)
    await createUser(victim, { verified: false })
    const token = await invitation(school.id, victim)
    const shown = await client.get(`/v1/invitations/${token}`)
    shown.assertStatus(200)
    assert.isFalse(shown.body().accountExists, 'the unconfirmed account is not offered a sign-in')

    const refused = await client.post(`/v1/invitations/${token}/accept`).json({})
    refused.assertStatus(422)
    assert.equal(refused.body().errors[0].field, 'password')
    // The registrant's password still does not open anything: the account stays unconfirmed.
    assert.equal((await passwordLogin(victim)).status, 403)
  })

  test('a confirmed account accepts only when signed in as that account', async ({
    client,
    assert,
  }) => {
    const school = await createSchool(`takeover-${crypto.randomUUID().slice(0, 6)}`)
    const invitee = await createUser(unique())
    const stranger = await createUser(unique('x'))
    const token = await invitation(school.id, invitee.email, 'mentor')
    assert.isTrue((await client.get(`/v1/invitations/${token}`)).body().accountExists)

    const anonymous = await client.post(`/v1/invitations/${token}/accept`).json({})
    anonymous.assertStatus(403)
    assert.match(anonymous.body().type, /\/sign-in-required$/)
    const withPassword = await client
      .post(`/v1/invitations/${token}/accept`)
      .json({ password: VICTIM_PASSWORD })
    withPassword.assertStatus(403)
    const asStranger = await client
      .post(`/v1/invitations/${token}/accept`)
      .bearerToken((await login(stranger.email)).accessToken)
      .json({})
    asStranger.assertStatus(403)
    ;(
      await client.post(`/v1/invitations/${token}/accept`).bearerToken('pwa_bogus').json({})
    ).assertStatus(401)
    const memberships = await asOwner((trx) =>
      trx.from('memberships').where('school_id', school.id)
    )
    assert.lengthOf(memberships, 0)
    // The account's password is untouched by the refused attempt.
    assert.equal((await passwordLogin(invitee.email, {}, TEST_PASSWORD)).status, 200)

    const signedIn = await client
      .post(`/v1/invitations/${token}/accept`)
      .bearerToken((await login(invitee.email)).accessToken)
      .json({})
    signedIn.assertStatus(201)
    assert.equal(signedIn.body().userId, invitee.id)
    assert.equal(signedIn.body().role, 'mentor')
  })
})

const RETURN_TO = 'https://app.pathways.test/oauth/done'
/** The app's PKCE pair (the exchange is a public client's: it proves the verifier). */
const APP_VERIFIER = 'takeover-test-verifier-0123456789-abcdefghijklmnop'
const APP_CHALLENGE = createHash('sha256').update(APP_VERIFIER).digest('base64url')
const apiBase = () => `http://${process.env.HOST}:${process.env.PORT}`

test.group('Account takeover: provider sign-in onto a never-confirmed registration', (group) => {
  let google: LocalOpenIdProvider

  group.setup(async () => {
    const saved = structuredClone(oauthSettings)
    const callback = `${apiBase()}/v1/auth/oauth/google/callback`
    oauthSettings.redirectBaseUrl = apiBase()
    oauthSettings.returnToAllowlist = [RETURN_TO]
    google = await startOidcProvider({
      clientId: 'pathways-google.apps.test',
      clientSecret: 'google-client-secret-for-tests',
      redirectUris: [callback],
    })
    signInThrough('google', google)
    return async () => {
      Object.assign(oauthSettings, saved)
      await google.close()
    }
  })

  freshState(group)

  test('the password is dropped and every session, device trust and factor of the registrant ends', async ({
    assert,
  }) => {
    const email = `owner${crypto.randomUUID().slice(0, 6)}@gmail.test`
    const squatter = await createUser(email, { verified: false })
    const squatterRefresh = await plantRegistrantFootholds(squatter.id)
    const sub = google.addAccount(`g-${squatter.id}`, { email, email_verified: true })

    const browser = new TestBrowser()
    const redirect = await browser.request(
      `${apiBase()}/v1/auth/oauth/google/redirect?returnTo=${encodeURIComponent(RETURN_TO)}&codeChallenge=${APP_CHALLENGE}`
    )
    assert.equal(redirect.status, 302)
    const back = await browser.signInAtProvider(
      TestBrowser.location(redirect, apiBase()),
      sub,
      `${apiBase()}/v1/auth/oauth/google/callback`
    )
    const callback = await browser.request(back)
    const code = new URL(callback.headers.get('location')!).searchParams.get('code')
    assert.isString(code)
    const exchanged = await api('POST', '/v1/auth/oauth/exchange', {
      body: { code, codeVerifier: APP_VERIFIER },
    })
    assert.equal(exchanged.status, 200)
    assert.isString(exchanged.body.accessToken)

    assert.equal((await passwordLogin(email)).status, 401, 'the registrant password is gone')
    const squatterSession = await api('POST', '/v1/auth/refresh', {
      body: { refreshToken: squatterRefresh },
    })
    assert.equal(squatterSession.status, 401)
    const leftovers = await registrantLeftovers(squatter.id)
    assert.equal(leftovers.liveFamilies, 1, 'only the provider sign-in session is live')
    assert.equal(leftovers.trustedDevices, 0)
    assert.equal(leftovers.factors, 0)
    // The new session works.
    assert.equal((await api('GET', '/v1/me', { token: exchanged.body.accessToken })).status, 200)
  })
})
