/* Identity: registration, sign-in, sessions, the caller. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { authIpThrottle } from '#start/limiter'
import { authDocs, meDocs } from '#validators/identity/identity_docs'

const AuthController = () => import('#controllers/identity/auth_controller')
const MeController = () => import('#controllers/identity/me_controller')

/* Identity */
router
  .group(() => {
    router
      .post('/register', [AuthController, 'register'])
      .use(authIpThrottle)
      .doc(authDocs.register)
    router
      .post('/verify-email', [AuthController, 'verifyEmail'])
      .use(authIpThrottle)
      .doc(authDocs.verifyEmail)
    router.post('/login', [AuthController, 'login']).use(authIpThrottle).doc(authDocs.login)
    router.post('/refresh', [AuthController, 'refresh']).use(authIpThrottle).doc(authDocs.refresh)
    router.post('/logout', [AuthController, 'logout']).use(middleware.auth()).doc(authDocs.logout)
    router
      .post('/logout-all', [AuthController, 'logoutAll'])
      .use(middleware.auth())
      .doc(authDocs.logoutAll)
  })
  .prefix('/v1/auth')

router.get('/v1/me', [MeController, 'show']).use(middleware.auth()).doc(meDocs.show)
