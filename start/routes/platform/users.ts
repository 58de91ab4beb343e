/* Platform administration of accounts: disable (revokes everything at once) and enable. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { platformUsersDocs } from '#validators/platform/platform_users_docs'

const PlatformUsersController = () => import('#controllers/platform/users_controller')

router
  .group(() => {
    router.post('/:id/disable', [PlatformUsersController, 'disable']).doc(platformUsersDocs.disable)
    router.post('/:id/enable', [PlatformUsersController, 'enable']).doc(platformUsersDocs.enable)
  })
  .prefix('/v1/platform/users')
  .use(middleware.auth())
