/* Staff invitations (the staffInvitation workflow): the school's side and the invitee's. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { authIpThrottle } from '#start/limiter'
import { invitationsDocs as docs } from '#validators/tenancy/invitations_docs'

const InvitationsController = () => import('#controllers/tenancy/invitations_controller')

/* Inside one school */
router
  .group(() => {
    router.get('/invitations', [InvitationsController, 'index']).doc(docs.index)
    router.post('/invitations', [InvitationsController, 'store']).doc(docs.store)
    router.post('/invitations/:id/revoke', [InvitationsController, 'revoke']).doc(docs.revoke)
    router.post('/invitations/:id/resend', [InvitationsController, 'resend']).doc(docs.resend)
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])

/* Invitee side: the mailed token is the credential */
router
  .group(() => {
    router.get('/:token', [InvitationsController, 'show']).doc(docs.show)
    router
      .post('/:token/accept', [InvitationsController, 'accept'])
      .use(authIpThrottle)
      .doc(docs.accept)
  })
  .prefix('/v1/invitations')
