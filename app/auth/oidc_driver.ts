import { randomBytes } from 'node:crypto'
import type { HttpContext } from '@adonisjs/core/http'
import { Oauth2Driver } from '@adonisjs/ally'
import type {
  AllyUserContract,
  ApiRequestContract,
  Oauth2AccessToken,
  Oauth2DriverConfig,
  RedirectRequestContract,
} from '@adonisjs/ally/types'
import {
  emailVerified,
  IdTokenError,
  verifyIdToken,
  type IdTokenClaims,
} from '#services/identity/oauth/id_token'

/** Provider endpoints and credentials; every URL comes from config (tests point them at a local OP). */
export interface OidcDriverConfig extends Oauth2DriverConfig {
  authorizeUrl: string
  accessTokenUrl: string
  userInfoUrl: string
  jwksUrl: string
  /** Exact issuer, or a template containing `{tenantid}` (Entra ID multi-tenant). */
  issuer: string
  scopes?: string[]
}

export type OidcToken = Oauth2AccessToken & { idToken: string }

export type OidcUser = AllyUserContract<OidcToken> & { original: IdTokenClaims }

const COOKIE_OPTIONS = { httpOnly: true, sameSite: 'lax' as const, maxAge: '10m' }

/**
 * Authorization code + PKCE (S256) + state + nonce on Ally's Oauth2Driver. The
 * state and PKCE verifier cookies are Ally's; the nonce cookie is ours. `user()`
 * verifies the ID token (JWKS signature, iss, aud, exp, nonce) before trusting
 * any claim. Subclasses set the cookie names and call `this.loadState()` in their
 * constructor (after their fields exist).
 */
export abstract class OidcDriver extends Oauth2Driver<OidcToken, string> {
  declare config: OidcDriverConfig

  protected abstract nonceCookieName: string
  protected nonceCookieValue?: string

  protected stateParamName = 'state'
  protected errorParamName = 'error'
  protected codeParamName = 'code'
  protected scopeParamName = 'scope'
  protected scopesSeparator = ' '
  protected authorizeUrl = ''
  protected accessTokenUrl = ''

  constructor(ctx: HttpContext, config: OidcDriverConfig) {
    super(ctx, config)
    this.config = config
  }

  /** Claim checks a provider adds after the standard ones (e.g. the Entra tenant). */
  protected checkClaims(_claims: IdTokenClaims): void {}

  protected loadState() {
    super.loadState()
    if (this.isStateless) return
    this.nonceCookieValue = this.ctx.request.encryptedCookie(this.nonceCookieName)
    this.ctx.response.clearCookie(this.nonceCookieName)
  }

  protected configureRedirectRequest(request: RedirectRequestContract<string>) {
    request.scopes(this.config.scopes ?? ['openid', 'email', 'profile'])
    request.param('response_type', 'code')
    const nonce = randomBytes(24).toString('base64url')
    this.ctx.response.encryptedCookie(this.nonceCookieName, nonce, COOKIE_OPTIONS)
    request.param('nonce', nonce)
  }

  accessDenied() {
    return this.getError() === 'access_denied'
  }

  async accessToken(callback?: (request: ApiRequestContract) => void): Promise<OidcToken> {
    const token = await super.accessToken(callback)
    return { ...token, idToken: (token as Record<string, any>).id_token }
  }

  /** Verified ID-token claims: the only source of identity we trust. */
  async verifiedClaims(token: OidcToken) {
    if (!token.idToken) throw new IdTokenError('missing')
    const claims = await verifyIdToken(token.idToken, {
      jwksUrl: this.config.jwksUrl,
      issuer: this.config.issuer,
      clientId: this.config.clientId,
      nonce: this.nonceCookieValue ?? '',
    })
    this.checkClaims(claims)
    return claims
  }

  protected async userInfo(accessToken: string, callback?: (request: ApiRequestContract) => void) {
    const request = this.httpClient(this.config.userInfoUrl)
    request.header('Authorization', `Bearer ${accessToken}`)
    request.header('Accept', 'application/json')
    request.parseAs('json')
    if (typeof callback === 'function') callback(request)
    return (await request.get()) as Record<string, unknown>
  }

  protected toUser(claims: IdTokenClaims, token: any): OidcUser {
    const email = typeof claims.email === 'string' ? claims.email.toLowerCase() : null
    return {
      id: claims.sub,
      nickName: String(claims.name ?? claims.preferred_username ?? ''),
      name: String(claims.name ?? ''),
      email,
      avatarUrl: typeof claims.picture === 'string' ? claims.picture : null,
      emailVerificationState: email && emailVerified(claims) ? 'verified' : 'unverified',
      original: claims,
      token,
    }
  }

  async user(callback?: (request: ApiRequestContract) => void): Promise<OidcUser> {
    const token = await this.accessToken(callback)
    let claims = await this.verifiedClaims(token)
    if (!claims.email && this.config.userInfoUrl) {
      /* OIDC Core 5.3.2: userinfo claims count only when its `sub` matches the ID token's. */
      const info = await this.userInfo(token.token)
      if (info.sub === claims.sub) {
        claims = {
          ...claims,
          email: info.email as string | undefined,
          email_verified: info.email_verified as boolean | undefined,
          name: (claims.name ?? info.name) as string | undefined,
        }
      }
    }
    return this.toUser(claims, token)
  }

  async userFromToken(token: string, callback?: (request: ApiRequestContract) => void) {
    const info = await this.userInfo(token, callback)
    const user = this.toUser(info as unknown as IdTokenClaims, { token, type: 'bearer' as const })
    return { ...user, token: { token, type: 'bearer' as const } }
  }
}

/** Google (accounts.google.com) with PKCE, state, nonce and ID-token verification. */
export class GoogleOidcDriver extends OidcDriver {
  protected stateCookieName = 'google_oauth_state'
  protected codeVerifierCookieName = 'google_oauth_verifier'
  protected nonceCookieName = 'google_oauth_nonce'

  constructor(ctx: HttpContext, config: OidcDriverConfig) {
    super(ctx, config)
    this.loadState()
  }
}

/** Entra ID's tenant for personal Microsoft accounts. */
export const MICROSOFT_CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad'

export type MicrosoftDriverConfig = OidcDriverConfig & {
  /** `common`, `organizations` or a tenant id (GUID). */
  tenant: string
}

/**
 * Microsoft Entra ID v2.0 (Ally has no Microsoft driver). The `tid` claim names
 * the user's tenant; with a tenant-specific configuration it must be that
 * tenant, with `organizations` it must not be the personal-accounts tenant.
 */
export class MicrosoftDriver extends OidcDriver {
  declare config: MicrosoftDriverConfig
  protected stateCookieName = 'microsoft_oauth_state'
  protected codeVerifierCookieName = 'microsoft_oauth_verifier'
  protected nonceCookieName = 'microsoft_oauth_nonce'

  constructor(ctx: HttpContext, config: MicrosoftDriverConfig) {
    super(ctx, config)
    this.loadState()
  }

  protected configureRedirectRequest(request: RedirectRequestContract<string>) {
    super.configureRedirectRequest(request)
    request.param('response_mode', 'query')
  }

  protected checkClaims(claims: IdTokenClaims) {
    const tenant = this.config.tenant.toLowerCase()
    const tid = typeof claims.tid === 'string' ? claims.tid.toLowerCase() : undefined
    if (!tid) throw new IdTokenError('missing_tenant')
    if (tenant === 'organizations' && tid === MICROSOFT_CONSUMER_TENANT)
      throw new IdTokenError('wrong_tenant')
    if (tenant !== 'common' && tenant !== 'organizations' && tid !== tenant)
      throw new IdTokenError('wrong_tenant')
  }
}
