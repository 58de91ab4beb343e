import { createHash } from 'node:crypto'
import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { oauthSettings, type OAuthProviderName } from '#config/ally'
import { freshState } from '#tests/helpers/database'
import { addMember, asOwner, createSchool, createUser } from '#tests/helpers/fixtures'
import {
  startOidcProvider,
  TestBrowser,
  type LocalOpenIdProvider,
  signInThrough,
} from '#tests/helpers/oidc_provider'

const api = () => `http://${process.env.HOST}:${process.env.PORT}`
const RETURN_TO = 'https://app.pathways.test/oauth/done'
const TENANT = '5f2c3b1e-0d1a-4c1e-9e3a-1f2b3c4d5e6f'
const OTHER_TENANT = '0b7d9a64-3c55-4f0e-8a21-6d2f1e9c4b10'
const VERIFIER = 'hardening-verifier-'.padEnd(64, 'v')
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url')

let google: LocalOpenIdProvider
let microsoft: LocalOpenIdProvider

const callbackPrefix = (provider: OAuthProviderName) =>
  `${api()}/v1/auth/oauth/${provider}/callback`

/** The browser part of a sign-in; returns the redirect answer and, if it got that far, the app URL. */
async function signIn(
  provider: OAuthProviderName,
  accountId: string,
  query: Record<string, string>
) {
  const browser = new TestBrowser()
  const redirect = await browser.request(
    `${api()}/v1/auth/oauth/${provider}/redirect?${new URLSearchParams(query).toString()}`
  )
  if (redirect.status !== 302) return { redirect, returned: null }
  const authorize = TestBrowser.location(redirect, api())
  const back = await browser.signInAtProvider(authorize, accountId, callbackPrefix(provider))
  const callback = await browser.request(back)
  const location = callback.headers.get('location')
  return { redirect, returned: location ? new URL(location) : null }
}

async function exchange(body: Record<string, unknown>) {
  const response = await fetch(`${api()}/v1/auth/oauth/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, any> }
}

async function membershipsOf(email: string) {
  return asOwner((trx) =>
    trx
      .from('memberships as m')
      .join('users as u', 'u.id', 'm.user_id')
      .where('u.email', email)
      .select('m.school_id')
  )
}

test.group('OAuth hardening: PKCE for public clients, school rules on every sign-in', (group) => {
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
      issuerPath: `/${OTHER_TENANT}/v2.0`,
    })
    signInThrough('microsoft', microsoft)
    return async () => {
      Object.assign(oauthSettings, saved)
      await google.close()
      await microsoft.close()
    }
  })

  freshState(group)

  test('the code exchange requires PKCE: no challenge, no sign-in; no verifier, no tokens', async ({
    assert,
  }) => {
    const attacker = google.addAccount('g-attacker', {
      email: 'attacker@gmail.test',
      email_verified: true,
    })
    // login CSRF: the attacker signs in to their own account without PKCE and injects the code
    const withoutPkce = await signIn('google', attacker, { returnTo: RETURN_TO })
    const injected = withoutPkce.returned?.searchParams.get('code')
    if (injected) {
      const stolen = await exchange({ code: injected })
      assert.notEqual(stolen.status, 200, 'a code exchanged without a verifier yields no tokens')
    }
    assert.equal(withoutPkce.redirect.status, 422)
    const problem = (await withoutPkce.redirect.json()) as { errors: { field: string }[] }
    assert.equal(problem.errors[0].field, 'codeChallenge')

    // with PKCE: the verifier is required and checked
    const own = await signIn('google', attacker, { returnTo: RETURN_TO, codeChallenge: CHALLENGE })
    const code = own.returned!.searchParams.get('code')!
    assert.equal((await exchange({ code })).status, 422, 'the verifier is a required field')
    const good = await signIn('google', attacker, { returnTo: RETURN_TO, codeChallenge: CHALLENGE })
    const pair = await exchange({
      code: good.returned!.searchParams.get('code')!,
      codeVerifier: VERIFIER,
    })
    assert.equal(pair.status, 200)
  })

  test('Google hd: a personal account with a school address cannot join that school without schoolId', async ({
    assert,
  }) => {
    const school = await createSchool('lakeview', {
      allowed_email_domains: ['lakeview.edu'],
      sso_google_hosted_domains: ['lakeview.edu'],
    })
    // a consumer Google account registered with a school address: verified, but no hd
    const personal = google.addAccount('g-personal', {
      email: 'kim@lakeview.edu',
      email_verified: true,
    })
    const { returned } = await signIn('google', personal, {
      returnTo: RETURN_TO,
      codeChallenge: CHALLENGE,
    })
    if (returned?.searchParams.get('code')) {
      await exchange({ code: returned.searchParams.get('code'), codeVerifier: VERIFIER })
    }
    assert.deepEqual(await membershipsOf('kim@lakeview.edu'), [], 'joined no school')
    assert.equal(returned!.searchParams.get('error'), 'school_not_allowed')
    assert.isNull(await db.from('users').where('email', 'kim@lakeview.edu').first())

    // the school's own Workspace account joins as before
    const workspace = google.addAccount('g-workspace', {
      email: 'lee@lakeview.edu',
      email_verified: true,
      hd: 'lakeview.edu',
    })
    const allowed = await signIn('google', workspace, {
      returnTo: RETURN_TO,
      codeChallenge: CHALLENGE,
    })
    assert.match(allowed.returned!.searchParams.get('code')!, /^pwx_/)
    assert.deepEqual(await membershipsOf('lee@lakeview.edu'), [{ school_id: school.id }])
  })

  test('Google hd: a member cannot use a school through a personal account without schoolId', async ({
    assert,
  }) => {
    const school = await createSchool('ridge', { sso_google_hosted_domains: ['ridge.edu'] })
    const member = await createUser('sam@ridge.edu')
    await addMember(school.id, member.id, 'staff')
    const personal = google.addAccount('g-sam', { email: 'sam@ridge.edu', email_verified: true })
    const { returned } = await signIn('google', personal, {
      returnTo: RETURN_TO,
      codeChallenge: CHALLENGE,
    })
    assert.equal(returned!.searchParams.get('error'), 'school_not_allowed')
    assert.isNull(await db.from('oauth_identities').where('user_id', member.id).first())
  })

  test('Microsoft tid: a member cannot use a school from another tenant without schoolId', async ({
    assert,
  }) => {
    const school = await createSchool('eastside', { sso_microsoft_tenant_ids: [TENANT] })
    const member = await createUser('pat@eastside.test')
    await addMember(school.id, member.id, 'learner')
    const outsider = microsoft.addAccount('ms-pat', {
      email: 'pat@eastside.test',
      email_verified: true,
      tid: OTHER_TENANT,
    })
    const { returned } = await signIn('microsoft', outsider, {
      returnTo: RETURN_TO,
      codeChallenge: CHALLENGE,
    })
    assert.equal(returned!.searchParams.get('error'), 'school_not_allowed')
    const refused = await asOwner((trx) =>
      trx.from('audit_events').where('action', 'auth.oauth.refused').select('changes')
    )
    assert.equal(refused[0].changes.reason, 'tenant_not_allowed')
  })
})
