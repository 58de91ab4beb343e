/* Identity: password reset, MFA, the caller's sessions and devices. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { accountSecurityThrottle, authIpThrottle } from '#start/limiter'
import {
  passwordResetDocs,
  mfaDocs,
  meSecurityDocs,
  meSessionsDocs,
} from '#validators/identity/account_security_docs'

const PasswordResetController = () => import('#controllers/identity/password_reset_controller')
const MfaController = () => import('#controllers/identity/mfa_controller')
const MeSessionsController = () => import('#controllers/identity/me_sessions_controller')
const MeSecurityController = () => import('#controllers/identity/me_security_controller')

router
  .group(() => {
    router
      .post('/password/forgot', [PasswordResetController, 'forgot'])
      .use(authIpThrottle)
      .doc(passwordResetDocs.forgot)
    router
      .post('/password/reset', [PasswordResetController, 'reset'])
      .use(authIpThrottle)
      .doc(passwordResetDocs.reset)
    router
      .post('/mfa/challenge', [MfaController, 'challenge'])
      .use(authIpThrottle)
      .doc(mfaDocs.challenge)
  })
  .prefix('/v1/auth')

router
  .group(() => {
    router
      .post('/mfa/totp', [MfaController, 'enroll'])
      .use([authIpThrottle, accountSecurityThrottle])
      .doc(mfaDocs.enroll)
    router
      .post('/mfa/totp/confirm', [MfaController, 'confirm'])
      .use([authIpThrottle, accountSecurityThrottle])
      .doc(mfaDocs.confirm)
    router
      .delete('/mfa/totp', [MfaController, 'disable'])
      .use([middleware.auth(), accountSecurityThrottle])
      .doc(mfaDocs.disable)
    router
      .post('/mfa/recovery-codes', [MfaController, 'recoveryCodes'])
      .use([middleware.auth(), accountSecurityThrottle])
      .doc(mfaDocs.recoveryCodes)
    router
      .post('/reauthenticate', [MeSecurityController, 'reauthenticate'])
      .use([middleware.auth(), accountSecurityThrottle])
      .doc(meSecurityDocs.reauthenticate)
    router
      .post('/password', [MeSecurityController, 'changePassword'])
      .use([middleware.auth(), accountSecurityThrottle])
      .doc(meSecurityDocs.changePassword)
    router
      .get('/sessions', [MeSessionsController, 'sessions'])
      .use(middleware.auth())
      .doc(meSessionsDocs.sessions)
    router
      .delete('/sessions/:id', [MeSessionsController, 'destroySession'])
      .use(middleware.auth())
      .doc(meSessionsDocs.destroySession)
    router
      .get('/devices', [MeSessionsController, 'devices'])
      .use(middleware.auth())
      .doc(meSessionsDocs.devices)
    router
      .post('/devices/:id/trust', [MeSessionsController, 'trust'])
      .use(middleware.auth())
      .doc(meSessionsDocs.trust)
    router
      .delete('/devices/:id', [MeSessionsController, 'destroyDevice'])
      .use(middleware.auth())
      .doc(meSessionsDocs.destroyDevice)
  })
  .prefix('/v1/me')
