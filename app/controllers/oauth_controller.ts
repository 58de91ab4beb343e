import type { HttpContext } from '@adonisjs/core/http'
import type { OAuthProviderName } from '#config/ally'
import {
  oauthCallbackValidator,
  oauthExchangeValidator,
  oauthRedirectValidator,
} from '#validators/oauth'
import { beginSignIn, exchangeCode, finishSignIn } from '#services/oauth/oauth_service'

/** Google / Microsoft sign-in; the route pattern restricts `:provider` to the two names. */
export default class OauthController {
  async redirect(ctx: HttpContext) {
    const input = await ctx.request.validateUsing(oauthRedirectValidator)
    await beginSignIn(ctx, ctx.params.provider as OAuthProviderName, input)
  }

  async callback(ctx: HttpContext) {
    await ctx.request.validateUsing(oauthCallbackValidator)
    return finishSignIn(ctx, ctx.params.provider as OAuthProviderName)
  }

  async exchange(ctx: HttpContext) {
    const { code, codeVerifier } = await ctx.request.validateUsing(oauthExchangeValidator)
    return exchangeCode(ctx, code, codeVerifier)
  }
}
