/* Google and Microsoft sign-in (OpenID Connect through Ally). */
import router from '@adonisjs/core/services/router'
import { authIpThrottle } from '#start/limiter'
import { oauthDocs } from '#validators/identity/oauth_docs'

const OauthController = () => import('#controllers/identity/oauth_controller')

const provider = /^(google|microsoft)$/

router
  .group(() => {
    router
      .get('/:provider/redirect', [OauthController, 'redirect'])
      .where('provider', provider)
      .use(authIpThrottle)
      .doc(oauthDocs.redirect)
    router
      .get('/:provider/callback', [OauthController, 'callback'])
      .where('provider', provider)
      .use(authIpThrottle)
      .doc(oauthDocs.callback)
    router
      .post('/exchange', [OauthController, 'exchange'])
      .use(authIpThrottle)
      .doc(oauthDocs.exchange)
  })
  .prefix('/v1/auth/oauth')
