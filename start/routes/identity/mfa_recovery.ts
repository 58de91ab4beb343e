/* MFA recovery (the mfaRecovery workflow): the user's side and the school admin's decision. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { authIpThrottle } from '#start/limiter'
import { mfaRecoveryDocs as docs } from '#validators/identity/mfa_recovery_docs'

const MfaRecoveryController = () => import('#controllers/identity/mfa_recovery_controller')

/* Inside one school: an admin approves or denies a verified recovery */
router
  .group(() => {
    router.post('/mfa-recoveries/:id/approve', [MfaRecoveryController, 'approve']).doc(docs.approve)
    router.post('/mfa-recoveries/:id/deny', [MfaRecoveryController, 'deny']).doc(docs.deny)
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])

/* No session: the user lost their second factor */
router
  .group(() => {
    router.post('/', [MfaRecoveryController, 'request']).use(authIpThrottle).doc(docs.request)
    router.post('/verify', [MfaRecoveryController, 'verify']).use(authIpThrottle).doc(docs.verify)
    router.post('/cancel', [MfaRecoveryController, 'cancel']).use(authIpThrottle).doc(docs.cancel)
  })
  .prefix('/v1/auth/mfa/recovery')
