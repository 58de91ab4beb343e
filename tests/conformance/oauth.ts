/*
| The OAuth browser flow for the conformance run: the local OpenID provider of the e2e tests
| (`oidc-provider`, one playing Google and one playing Microsoft) is configured as the test
| server's providers for the run, and the hooks' endpoint completes the provider's login and
| consent for an authorization URL the API's redirect answered, so the callback Schemathesis
| sends next carries a real `code` and `state` (and the exchange a real one-time code).
*/
import { createHash } from 'node:crypto'
import { oauthSettings, type OAuthProviderName } from '#config/ally'
import { startOidcProvider, TestBrowser, signInThrough } from '#tests/helpers/oidc_provider'

const TENANT = '5f2c3b1e-0d1a-4c1e-9e3a-1f2b3c4d5e6f'
/** The app's PKCE pair for the redirect and the exchange (apps are public clients). */
export const OAUTH_VERIFIER = 'conformance-app-verifier-'.padEnd(64, 'v')
export const OAUTH_CHALLENGE = createHash('sha256').update(OAUTH_VERIFIER).digest('base64url')

const api = () => `http://${process.env.HOST}:${process.env.PORT}`
const callbackPrefix = (provider: OAuthProviderName) =>
  `${api()}/v1/auth/oauth/${provider}/callback`

/**
 * Starts both providers, points the test server's settings at them (restored by `close`), and
 * registers one account at each, which signs in (a new account the first time, then the link).
 */
export async function startConformanceProviders(tag: string) {
  const saved = structuredClone(oauthSettings)
  const google = await startOidcProvider({
    clientId: 'pathways-conformance.apps.test',
    clientSecret: 'google-client-secret-for-conformance',
    redirectUris: [callbackPrefix('google')],
  })
  const microsoft = await startOidcProvider({
    clientId: 'c0ffee00-1111-4222-8333-444455556677',
    clientSecret: 'microsoft-client-secret-for-conformance',
    redirectUris: [callbackPrefix('microsoft')],
    issuerPath: `/${TENANT}/v2.0`,
  })
  oauthSettings.redirectBaseUrl = api()
  // No return URL: the callback answers the one-time code as JSON (its 2xx).
  oauthSettings.returnToAllowlist = []
  signInThrough('google', google)
  signInThrough('microsoft', microsoft)
  const accounts: Record<OAuthProviderName, string> = {
    google: google.addAccount(`conf-g-${tag}`, {
      email: `conf-oauth-g-${tag}@example.com`,
      email_verified: true,
      name: 'Conformance Google',
    }),
    microsoft: microsoft.addAccount(`conf-m-${tag}`, {
      email: `conf-oauth-m-${tag}@example.com`,
      email_verified: true,
      name: 'Conformance Microsoft',
      tid: TENANT,
    }),
  }

  return {
    /**
     * The browser's part between the API's redirect and its callback: from the authorization
     * URL the redirect answered, logs in and consents at the provider; returns the callback's
     * query (`code`, `state`), or nothing for a URL that is not one of these providers'.
     */
    async login(authorizeUrl: string) {
      const provider = (['google', 'microsoft'] as const).find((name) =>
        authorizeUrl.startsWith(`${name === 'google' ? google.origin : microsoft.origin}/`)
      )
      if (!provider) return {}
      const back = new URL(
        await new TestBrowser().signInAtProvider(
          authorizeUrl,
          accounts[provider],
          callbackPrefix(provider)
        )
      )
      return {
        provider,
        code: back.searchParams.get('code'),
        state: back.searchParams.get('state'),
      }
    },
    async close() {
      Object.assign(oauthSettings, saved)
      await google.close()
      await microsoft.close()
    },
  }
}
