import env from '#start/env'
import { defineConfig } from '@adonisjs/ally'
import type { InferSocialProviders } from '@adonisjs/ally/types'
import type { HttpContext } from '@adonisjs/core/http'
import {
  GoogleOidcDriver,
  MicrosoftDriver,
  type MicrosoftDriverConfig,
  type OidcDriverConfig,
} from '#auth/oidc_driver'

/*
| Google and Microsoft (Entra ID v2.0) sign-in. Every provider URL comes from
| the environment, so tests point them at a local OpenID provider. A provider
| is enabled when its client id and secret are set.
*/

export type OAuthProviderName = 'google' | 'microsoft'

type ProviderSettings = Omit<OidcDriverConfig, 'callbackUrl'>

const microsoftTenant = (env.get('MICROSOFT_TENANT') ?? 'common').toLowerCase()
if (
  !/^(common|organizations|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(
    microsoftTenant
  )
) {
  throw new Error('MICROSOFT_TENANT must be "common", "organizations" or a tenant id (GUID)')
}
const microsoftLogin = `https://login.microsoftonline.com/${microsoftTenant}`

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)

/**
 * Live settings read on every request (the driver factories below build the
 * driver config from them), so a test can point them at its own provider.
 */
export const oauthSettings = {
  /** Public base URL of this API; callbacks are `<base>/v1/auth/oauth/<provider>/callback`. */
  redirectBaseUrl: env.get('OAUTH_REDIRECT_BASE_URL') ?? env.get('APP_URL'),
  /** Where the callback may send the browser back to (exact URLs; their query is ignored). */
  returnToAllowlist: list(env.get('OAUTH_RETURN_TO_ALLOWLIST')),
  /** Lifetime of the one-time code the app exchanges for tokens. */
  exchangeCodeTtlSeconds: 60,
  google: {
    clientId: env.get('GOOGLE_CLIENT_ID') ?? '',
    clientSecret: env.get('GOOGLE_CLIENT_SECRET') ?? '',
    issuer: env.get('GOOGLE_ISSUER') ?? 'https://accounts.google.com',
    authorizeUrl: env.get('GOOGLE_AUTHORIZE_URL') ?? 'https://accounts.google.com/o/oauth2/v2/auth',
    accessTokenUrl: env.get('GOOGLE_TOKEN_URL') ?? 'https://oauth2.googleapis.com/token',
    userInfoUrl:
      env.get('GOOGLE_USERINFO_URL') ?? 'https://openidconnect.googleapis.com/v1/userinfo',
    jwksUrl: env.get('GOOGLE_JWKS_URL') ?? 'https://www.googleapis.com/oauth2/v3/certs',
    scopes: ['openid', 'email', 'profile'],
  } satisfies ProviderSettings as ProviderSettings,
  microsoft: {
    tenant: microsoftTenant,
    clientId: env.get('MICROSOFT_CLIENT_ID') ?? '',
    clientSecret: env.get('MICROSOFT_CLIENT_SECRET') ?? '',
    issuer: env.get('MICROSOFT_ISSUER') ?? 'https://login.microsoftonline.com/{tenantid}/v2.0',
    authorizeUrl: env.get('MICROSOFT_AUTHORIZE_URL') ?? `${microsoftLogin}/oauth2/v2.0/authorize`,
    accessTokenUrl: env.get('MICROSOFT_TOKEN_URL') ?? `${microsoftLogin}/oauth2/v2.0/token`,
    userInfoUrl: env.get('MICROSOFT_USERINFO_URL') ?? 'https://graph.microsoft.com/oidc/userinfo',
    jwksUrl: env.get('MICROSOFT_JWKS_URL') ?? `${microsoftLogin}/discovery/v2.0/keys`,
    scopes: ['openid', 'email', 'profile'],
  } satisfies Omit<MicrosoftDriverConfig, 'callbackUrl'> as Omit<
    MicrosoftDriverConfig,
    'callbackUrl'
  >,
}

export function oauthProviderEnabled(provider: OAuthProviderName) {
  const settings = oauthSettings[provider]
  return Boolean(settings.clientId && settings.clientSecret)
}

export function oauthCallbackUrl(provider: OAuthProviderName) {
  return `${oauthSettings.redirectBaseUrl.replace(/\/+$/, '')}/v1/auth/oauth/${provider}/callback`
}

const allyConfig = defineConfig({
  google: (ctx: HttpContext) =>
    new GoogleOidcDriver(ctx, {
      ...oauthSettings.google,
      callbackUrl: oauthCallbackUrl('google'),
    }),
  microsoft: (ctx: HttpContext) =>
    new MicrosoftDriver(ctx, {
      ...oauthSettings.microsoft,
      callbackUrl: oauthCallbackUrl('microsoft'),
    }),
})

export default allyConfig

declare module '@adonisjs/ally/types' {
  interface SocialProviders extends InferSocialProviders<typeof allyConfig> {}
}
