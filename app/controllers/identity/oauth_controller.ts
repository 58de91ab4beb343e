import type { HttpContext } from '@adonisjs/core/http'
import type { OAuthProviderName } from '#config/ally'
import {
  oauthCallbackValidator,
  oauthExchangeValidator,
  oauthRedirectValidator,
} from '#validators/identity/oauth'
import {
  assertEnabled,
  exchangeCode,
  finishSignIn,
  INTENT_COOKIE,
  signInIntent,
  type SignInIntent,
} from '#services/identity/oauth/oauth_service'
import type { OidcDriver } from '#auth/oidc_driver'
import { deviceProof, requestMeta } from '#middleware/request_meta'

/** Google / Microsoft sign-in; the route pattern restricts `:provider` to the two names. */
export default class OauthController {
  /** Remembers the intent (encrypted, http-only, 10 minutes) and sends the browser to the provider. */
  async redirect(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(oauthRedirectValidator)
    const provider = ctx.params.provider as OAuthProviderName
    const intent = signInIntent(provider, input)
    ctx.response.encryptedCookie(INTENT_COOKIE, intent, {
      httpOnly: true,
      sameSite: 'lax',
      maxAge: '10m',
    })
    await ctx.ally.use(provider).redirect()
  }

  async callback(ctx: HttpContext) {
    await ctx.request.validateUsing(oauthCallbackValidator)
    const provider = ctx.params.provider as OAuthProviderName
    assertEnabled(provider)
    const stored = ctx.request.encryptedCookie(INTENT_COOKIE) as SignInIntent | undefined
    ctx.response.clearCookie(INTENT_COOKIE)
    const driver = ctx.ally.use(provider) as unknown as OidcDriver
    const outcome = await finishSignIn(requestMeta(ctx), deviceProof(ctx), provider, stored, driver)
    return 'redirectTo' in outcome ? ctx.response.redirect(outcome.redirectTo) : outcome
  }

  async exchange(ctx: HttpContext) {
    const { code, codeVerifier } = await ctx.request.validateUsing(oauthExchangeValidator)
    return exchangeCode(requestMeta(ctx), code, codeVerifier)
  }
}
