import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { oauthSettings, type OAuthProviderName } from '#config/ally'
import { resetState } from '#tests/helpers/database'
import { asOwner, createSchool, createUser, TEST_PASSWORD } from '#tests/helpers/fixtures'
import {
  startOidcProvider,
  TestBrowser,
  type LocalOpenIdProvider,
  signInThrough,
} from '#tests/helpers/oidc_provider'
import { testClient } from '#tests/helpers/api_client'

const api = () => `http://${process.env.HOST}:${process.env.PORT}`
const RETURN_TO = 'https://app.pathways.test/oauth/done'
const TENANT = '5f2c3b1e-0d1a-4c1e-9e3a-1f2b3c4d5e6f'
const OTHER_TENANT = '0b7d9a64-3c55-4f0e-8a21-6d2f1e9c4b10'
/** The app's PKCE pair, required on every sign-in (apps are public clients). */
const APP_VERIFIER = 'e2e-app-verifier-'.padEnd(64, 'v')
const APP_CHALLENGE = createHash('sha256').update(APP_VERIFIER).digest('base64url')

let google: LocalOpenIdProvider
let microsoft: LocalOpenIdProvider

const providers = () => ({ google, microsoft })
const callbackPrefix = (provider: OAuthProviderName) =>
  `${api()}/v1/auth/oauth/${provider}/callback`

async function auditActions(action: string) {
  return asOwner((trx) =>
    trx.from('audit_events').where('action', action).orderBy('created_at').select('*')
  )
}

/**
 * Drives the whole browser flow: our redirect endpoint, login + consent at the
 * provider, back to our callback. Hooks let a test tamper with the URLs on the way.
 */
async function signIn(
  provider: OAuthProviderName,
  accountId: string,
  options: {
    query?: Record<string, string>
    authorizeUrl?: (url: URL) => void
    callbackUrl?: (url: URL) => void
  } = {}
) {
  const browser = new TestBrowser()
  const query = new URLSearchParams(options.query ?? { returnTo: RETURN_TO })
  if (!query.has('codeChallenge')) query.set('codeChallenge', APP_CHALLENGE)
  const redirect = await browser.request(
    `${api()}/v1/auth/oauth/${provider}/redirect?${query.toString()}`
  )
  if (redirect.status !== 302) throw new Error(`redirect answered ${redirect.status}`)
  const authorize = new URL(TestBrowser.location(redirect, api()))
  options.authorizeUrl?.(authorize)
  const back = new URL(
    await browser.signInAtProvider(authorize.href, accountId, callbackPrefix(provider))
  )
  options.callbackUrl?.(back)
  const callback = await browser.request(back.href)
  const location = callback.headers.get('location')
  return {
    authorize,
    back,
    callback,
    returned: location ? new URL(location) : null,
  }
}

/* API calls go through the generated client; every answer is checked against the document. */
async function exchange(code: string, codeVerifier: string = APP_VERIFIER) {
  const { response, data, error } = await testClient().POST('/v1/auth/oauth/exchange', {
    body: { code, codeVerifier },
  })
  return { status: response.status, body: (data ?? error) as Record<string, any> }
}

async function me(accessToken: string) {
  const { response, data, error } = await testClient({ token: accessToken }).GET('/v1/me')
  return { status: response.status, body: (data ?? error) as Record<string, any> }
}

async function passwordSignIn(email: string) {
  const { response } = await testClient().POST('/v1/auth/login', {
    body: { email, password: TEST_PASSWORD },
  })
  return response
}

test.group('OAuth sign-in against a real OpenID provider', (group) => {
  group.setup(async () => {
    const saved = structuredClone(oauthSettings)
    oauthSettings.redirectBaseUrl = api()
    oauthSettings.returnToAllowlist = [RETURN_TO]
    google = await startOidcProvider({
      clientId: 'pathways-google.apps.test',
      clientSecret: 'google-client-secret-for-tests',
      redirectUris: [callbackPrefix('google')],
    })
    signInThrough('google', google)
    microsoft = await startOidcProvider({
      clientId: 'c0ffee00-1111-4222-8333-444455556666',
      clientSecret: 'microsoft-client-secret-for-tests',
      redirectUris: [callbackPrefix('microsoft')],
      issuerPath: `/${TENANT}/v2.0`,
    })
    signInThrough('microsoft', microsoft)
    return async () => {
      Object.assign(oauthSettings, saved)
      await google.close()
      await microsoft.close()
    }
  })

  group.each.setup(async () => {
    await resetState()
    for (const provider of Object.values(providers())) provider.tamperIdTokens(null)
  })

  test('Google: redirect, login and consent, callback, code exchange, /v1/me', async ({
    assert,
  }) => {
    const sub = google.addAccount('g-ada', {
      email: 'ada@gmail.test',
      email_verified: true,
      name: 'Ada Lovelace',
    })
    await createSchool('gmail-academy', { allowed_email_domains: ['gmail.test'] })
    const { authorize, callback, returned } = await signIn('google', sub)

    assert.equal(authorize.origin, google.origin)
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256')
    assert.isAtLeast(authorize.searchParams.get('code_challenge')!.length, 43)
    assert.isAtLeast(authorize.searchParams.get('state')!.length, 20)
    assert.isAtLeast(authorize.searchParams.get('nonce')!.length, 20)
    assert.equal(authorize.searchParams.get('redirect_uri'), callbackPrefix('google'))

    assert.equal(callback.status, 302)
    assert.equal(`${returned!.origin}${returned!.pathname}`, RETURN_TO)
    const code = returned!.searchParams.get('code')!
    assert.match(code, /^pwx_/)
    assert.notMatch(returned!.href, /pwa_|pwr_|access|refresh/i, 'no tokens in the URL')

    /* KEYS answers with the connection's key prefix, which get/ttl add themselves. */
    const keys = (await redis.keys('pathways:oauth:exchange:*')).map((key) =>
      key.replace(/^pathways:/, '')
    )
    assert.lengthOf(keys, 1)
    assert.notInclude(keys[0], code.slice(4), 'stored under a hash of the code')
    const sealed = String(await redis.get(keys[0]))
    assert.notInclude(sealed, 'pwa_', 'tokens are sealed at rest')
    assert.notInclude(sealed, 'pwr_', 'tokens are sealed at rest')
    const ttl = await redis.ttl(keys[0])
    assert.isAbove(ttl, 0)
    assert.isAtMost(ttl, 60)

    const exchanged = await exchange(code)
    assert.equal(exchanged.status, 200)
    assert.equal(exchanged.body.tokenType, 'Bearer')
    assert.equal(exchanged.body.expiresIn, 900)
    const profile = await me(exchanged.body.accessToken)
    assert.equal(profile.status, 200)
    assert.equal(profile.body.email, 'ada@gmail.test')
    assert.lengthOf(profile.body.schools, 1, 'joins the school that allows its domain')
    assert.equal(profile.body.schools[0].role, 'learner')

    const again = await exchange(code)
    assert.equal(again.status, 400, 'a code works once')

    const user = await db.from('users').where('email', 'ada@gmail.test').first()
    assert.isNotNull(user.email_verified_at, 'a new account is created verified')
    assert.match(user.password, /^\$argon2id\$/, 'a random password nobody knows')
    const identity = await db.from('oauth_identities').where({ provider: 'google' }).first()
    assert.equal(identity.subject, 'g-ada')
    assert.equal(identity.user_id, user.id)
    assert.lengthOf(await auditActions('auth.oauth.account_created'), 1)
  })

  test('Google: a verified e-mail links the existing account; later sign-ins use the link', async ({
    assert,
  }) => {
    const existing = await createUser('grace@school.test')
    const sub = google.addAccount('g-grace', { email: 'Grace@School.test', email_verified: true })

    const first = await signIn('google', sub)
    const pair = await exchange(first.returned!.searchParams.get('code')!)
    assert.equal(pair.status, 200)
    assert.equal((await me(pair.body.accessToken)).body.id, existing.id)
    const links = await db.from('oauth_identities').where('user_id', existing.id)
    assert.lengthOf(links, 1)
    const linked = await auditActions('auth.oauth.linked')
    assert.lengthOf(linked, 1)
    assert.equal(linked[0].actor_user_id, existing.id)

    /* The provider now reports another address: the subject, not the e-mail, identifies. */
    google.addAccount('g-grace', { email: 'grace@elsewhere.test', email_verified: false })
    const second = await signIn('google', sub)
    const pair2 = await exchange(second.returned!.searchParams.get('code')!)
    assert.equal((await me(pair2.body.accessToken)).body.id, existing.id)
    assert.lengthOf(await auditActions('auth.oauth.login'), 1)

    /* The password still works: linking kept the verified account's password. */
    const login = await passwordSignIn('grace@school.test')
    assert.equal(login.status, 200)
  })

  test('Microsoft: Entra issuer per tenant, tid checked against the school', async ({ assert }) => {
    const school = await createSchool('northside', { sso_microsoft_tenant_ids: [TENANT] })
    const sub = microsoft.addAccount('ms-alan', {
      email: 'alan@northside.test',
      email_verified: true,
      name: 'Alan',
      tid: TENANT,
    })
    const { callback, returned } = await signIn('microsoft', sub, {
      query: { returnTo: RETURN_TO, schoolId: school.id },
    })
    assert.equal(callback.status, 302)
    const pair = await exchange(returned!.searchParams.get('code')!)
    assert.equal(pair.status, 200)
    assert.equal((await me(pair.body.accessToken)).body.email, 'alan@northside.test')
    const identity = await db.from('oauth_identities').where({ provider: 'microsoft' }).first()
    assert.equal(identity.subject, 'ms-alan')
    assert.equal(identity.tenant, TENANT)
  })

  test('Microsoft: a tenant-pinned configuration refuses tokens of another tenant', async ({
    assert,
    cleanup,
  }) => {
    oauthSettings.microsoft = { ...oauthSettings.microsoft, tenant: OTHER_TENANT } as any
    cleanup(() => {
      oauthSettings.microsoft = { ...oauthSettings.microsoft, tenant: 'common' } as any
    })
    const sub = microsoft.addAccount('ms-eve', {
      email: 'eve@contoso.test',
      email_verified: true,
      tid: TENANT,
    })
    const { returned } = await signIn('microsoft', sub)
    assert.equal(returned!.searchParams.get('error'), 'oauth_failed')
    assert.isNull(returned!.searchParams.get('code'))
    const refused = await auditActions('auth.oauth.refused')
    assert.equal(refused[0].changes.reason, 'wrong_tenant')
    assert.isNull(await db.from('users').where('email', 'eve@contoso.test').first())
  })

  test('a tampered state is refused', async ({ assert }) => {
    const sub = google.addAccount('g-mal', { email: 'mal@gmail.test', email_verified: true })
    const { returned } = await signIn('google', sub, {
      callbackUrl: (url) => url.searchParams.set('state', 'forged-state-value-0123456789'),
    })
    assert.equal(returned!.searchParams.get('error'), 'oauth_failed')
    assert.isNull(returned!.searchParams.get('code'))
    const refused = await auditActions('auth.oauth.refused')
    assert.equal(refused[0].changes.reason, 'state_mismatch')
    assert.equal(refused[0].outcome, 'denied')
    assert.isNull(await db.from('users').where('email', 'mal@gmail.test').first())
  })

  test('an ID token with another nonce is refused', async ({ assert }) => {
    const sub = google.addAccount('g-nonce', { email: 'n@gmail.test', email_verified: true })
    /* The browser controls the authorization URL: a swapped nonce comes back in the ID token. */
    const { returned } = await signIn('google', sub, {
      authorizeUrl: (url) => url.searchParams.set('nonce', 'attacker-chosen-nonce-000000'),
    })
    assert.equal(returned!.searchParams.get('error'), 'oauth_failed')
    const refused = await auditActions('auth.oauth.refused')
    assert.equal(refused[0].changes.reason, 'wrong_nonce')
    assert.isNull(await db.from('oauth_identities').first())
  })

  test('an ID token for another audience is refused', async ({ assert }) => {
    const sub = google.addAccount('g-aud', { email: 'aud@gmail.test', email_verified: true })
    google.tamperIdTokens({ claims: (claims) => ({ ...claims, aud: 'another-client' }) })
    const { returned } = await signIn('google', sub)
    assert.equal(returned!.searchParams.get('error'), 'oauth_failed')
    const refused = await auditActions('auth.oauth.refused')
    assert.equal(refused[0].changes.reason, 'wrong_audience')
    assert.isNull(await db.from('users').where('email', 'aud@gmail.test').first())
  })

  test('an expired ID token is refused', async ({ assert }) => {
    const sub = google.addAccount('g-exp', { email: 'exp@gmail.test', email_verified: true })
    const now = Math.floor(Date.now() / 1000)
    google.tamperIdTokens({ claims: (claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }) })
    const { returned } = await signIn('google', sub)
    assert.equal(returned!.searchParams.get('error'), 'oauth_failed')
    const refused = await auditActions('auth.oauth.refused')
    assert.equal(refused[0].changes.reason, 'expired')
  })

  test('forged ID tokens (foreign key, other issuer, alg none, HS256 confusion) are refused', async ({
    assert,
  }) => {
    const sub = google.addAccount('g-sig', { email: 'sig@gmail.test', email_verified: true })
    google.tamperIdTokens({ key: 'foreign' })
    const forged = await signIn('google', sub)
    assert.equal(forged.returned!.searchParams.get('error'), 'oauth_failed')

    google.tamperIdTokens({ claims: (claims) => ({ ...claims, iss: 'https://evil.test' }) })
    const wrongIssuer = await signIn('google', sub)
    assert.equal(wrongIssuer.returned!.searchParams.get('error'), 'oauth_failed')

    google.tamperIdTokens({ alg: 'none' })
    const unsigned = await signIn('google', sub)
    assert.equal(unsigned.returned!.searchParams.get('error'), 'oauth_failed')

    google.tamperIdTokens({ alg: 'HS256' })
    const confused = await signIn('google', sub)
    assert.equal(confused.returned!.searchParams.get('error'), 'oauth_failed')

    const reasons = (await auditActions('auth.oauth.refused')).map((e) => e.changes.reason)
    assert.deepEqual(reasons, [
      'bad_signature',
      'wrong_issuer',
      'unsupported_algorithm',
      'unsupported_algorithm',
    ])
    assert.isNull(await db.from('users').where('email', 'sig@gmail.test').first())
  })

  test('an unverified e-mail neither links an existing account nor creates one', async ({
    assert,
  }) => {
    const existing = await createUser('victim@school.test')
    const attacker = google.addAccount('g-attacker', {
      email: 'victim@school.test',
      email_verified: false,
    })
    const linking = await signIn('google', attacker)
    assert.equal(linking.returned!.searchParams.get('error'), 'email_not_verified')
    assert.isNull(linking.returned!.searchParams.get('code'))

    const stranger = google.addAccount('g-new', { email: 'new@gmail.test', email_verified: false })
    const creating = await signIn('google', stranger)
    assert.equal(creating.returned!.searchParams.get('error'), 'email_not_verified')

    assert.isNull(await db.from('oauth_identities').first())
    assert.isNull(await db.from('users').where('email', 'new@gmail.test').first())
    const victim = await db.from('users').where('id', existing.id).first()
    assert.isNotNull(victim.password)
    const reasons = (await auditActions('auth.oauth.refused')).map((e) => e.changes.reason)
    assert.deepEqual(reasons, ['email_not_verified', 'email_not_verified'])
  })

  test('Google: a hosted domain outside the school list is refused', async ({ assert }) => {
    const school = await createSchool('lakeview', { sso_google_hosted_domains: ['lakeview.edu'] })
    const outsider = google.addAccount('g-out', {
      email: 'kid@other.edu',
      email_verified: true,
      hd: 'other.edu',
    })
    const refused = await signIn('google', outsider, {
      query: { returnTo: RETURN_TO, schoolId: school.id },
    })
    assert.equal(refused.returned!.searchParams.get('error'), 'school_not_allowed')
    assert.isNull(await db.from('users').where('email', 'kid@other.edu').first())

    const personal = google.addAccount('g-personal', {
      email: 'kid@gmail.test',
      email_verified: true,
    })
    const noDomain = await signIn('google', personal, {
      query: { returnTo: RETURN_TO, schoolId: school.id },
    })
    assert.equal(noDomain.returned!.searchParams.get('error'), 'school_not_allowed')

    const member = google.addAccount('g-in', {
      email: 'kid@lakeview.edu',
      email_verified: true,
      hd: 'lakeview.edu',
    })
    const allowed = await signIn('google', member, {
      query: { returnTo: RETURN_TO, schoolId: school.id },
    })
    assert.match(allowed.returned!.searchParams.get('code')!, /^pwx_/)
    const reasons = (await auditActions('auth.oauth.refused')).map((e) => e.changes.reason)
    assert.deepEqual(reasons, ['hosted_domain_not_allowed', 'hosted_domain_not_allowed'])
  })

  test('Microsoft: a tenant outside the school list is refused', async ({ assert }) => {
    const school = await createSchool('eastside', { sso_microsoft_tenant_ids: [OTHER_TENANT] })
    const sub = microsoft.addAccount('ms-out', {
      email: 'out@contoso.test',
      email_verified: true,
      tid: TENANT,
    })
    const { returned } = await signIn('microsoft', sub, {
      query: { returnTo: RETURN_TO, schoolId: school.id },
    })
    assert.equal(returned!.searchParams.get('error'), 'school_not_allowed')
    const refused = await auditActions('auth.oauth.refused')
    assert.equal(refused[0].changes.reason, 'tenant_not_allowed')
    assert.isNull(await db.from('users').where('email', 'out@contoso.test').first())
  })

  test('linking a never-confirmed registration drops its password (no pre-registration takeover)', async ({
    assert,
  }) => {
    const squatter = await createUser('owner@gmail.test', { verified: false })
    const squatterHash = (await db.from('users').where('id', squatter.id).first()).password
    const sub = google.addAccount('g-owner', { email: 'owner@gmail.test', email_verified: true })
    const { returned } = await signIn('google', sub)
    const pair = await exchange(returned!.searchParams.get('code')!)
    assert.equal(pair.status, 200)
    const user = await db.from('users').where('id', squatter.id).first()
    assert.isNotNull(user.email_verified_at)
    assert.notEqual(user.password, squatterHash, 'the unproven password was replaced')
    const login = await passwordSignIn('owner@gmail.test')
    assert.equal(login.status, 401)
  })

  test('without a configured return URL the callback answers the code as JSON', async ({
    assert,
    cleanup,
  }) => {
    oauthSettings.returnToAllowlist = []
    cleanup(() => {
      oauthSettings.returnToAllowlist = [RETURN_TO]
    })
    const sub = microsoft.addAccount('ms-json', {
      email: 'json@contoso.test',
      email_verified: true,
      tid: TENANT,
    })
    const { callback, returned } = await signIn('microsoft', sub, { query: {} })
    assert.equal(callback.status, 200)
    assert.isNull(returned)
    const body = (await callback.json()) as { code: string; expiresIn: number }
    assert.equal(body.expiresIn, 60)
    const pair = await exchange(body.code)
    assert.equal(pair.status, 200)
    assert.equal((await me(pair.body.accessToken)).body.email, 'json@contoso.test')

    /* A refusal without a return URL is problem+json. */
    const unverified = microsoft.addAccount('ms-unverified', {
      email: 'u@contoso.test',
      email_verified: false,
      tid: TENANT,
    })
    const refused = await signIn('microsoft', unverified, { query: {} })
    assert.equal(refused.callback.status, 403)
    assert.match(String(refused.callback.headers.get('content-type')), /problem\+json/)
  })

  test('the app must prove its PKCE verifier to exchange the code', async ({ assert }) => {
    const verifier = 'app-side-verifier-'.padEnd(64, 'x')
    const codeChallenge = createHash('sha256').update(verifier).digest('base64url')
    const sub = google.addAccount('g-pkce', { email: 'pkce@gmail.test', email_verified: true })

    const stolen = await signIn('google', sub, { query: { returnTo: RETURN_TO, codeChallenge } })
    const withoutVerifier = await exchange(stolen.returned!.searchParams.get('code')!)
    assert.equal(withoutVerifier.status, 400, 'an injected code is useless without the verifier')

    const own = await signIn('google', sub, { query: { returnTo: RETURN_TO, codeChallenge } })
    const wrong = await exchange(own.returned!.searchParams.get('code')!, 'x'.repeat(64))
    assert.equal(wrong.status, 400)
    assert.equal(
      (await exchange(own.returned!.searchParams.get('code')!, verifier)).status,
      400,
      'a failed attempt burns the code'
    )

    const good = await signIn('google', sub, { query: { returnTo: RETURN_TO, codeChallenge } })
    const pair = await exchange(good.returned!.searchParams.get('code')!, verifier)
    assert.equal(pair.status, 200)
    assert.equal((await me(pair.body.accessToken)).body.email, 'pkce@gmail.test')
  })

  test('redirect refuses return URLs outside the allowlist; unknown codes are refused', async ({
    assert,
  }) => {
    const browser = new TestBrowser()
    const evil = await browser.request(
      `${api()}/v1/auth/oauth/google/redirect?codeChallenge=${APP_CHALLENGE}&returnTo=${encodeURIComponent('https://evil.test/steal')}`
    )
    assert.equal(evil.status, 422)
    const body = (await evil.json()) as { errors: { field: string }[] }
    assert.equal(body.errors[0].field, 'returnTo')

    const unknown = await browser.request(`${api()}/v1/auth/oauth/github/redirect`)
    assert.equal(unknown.status, 404)

    const bogus = await exchange('pwx_not-a-real-code-at-all')
    assert.equal(bogus.status, 400)
  })
})
