/* Machine clients: OAuth 2.0 client credentials, their administration, roster sync. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { authIpThrottle, machineClientThrottle } from '#start/limiter'
import { machineClientsDocs } from '#validators/identity/machine_docs'

const MachineClientsController = () => import('#controllers/identity/machine_clients_controller')

router
  .post('/v1/oauth/token', [MachineClientsController, 'token'])
  .use(authIpThrottle)
  .doc(machineClientsDocs.token)

router
  .group(() => {
    router.get('/oauth-clients', [MachineClientsController, 'index']).doc(machineClientsDocs.index)
    router.post('/oauth-clients', [MachineClientsController, 'store']).doc(machineClientsDocs.store)
    router
      .post('/oauth-clients/:clientId/rotate', [MachineClientsController, 'rotate'])
      .doc(machineClientsDocs.rotate)
    router
      .delete('/oauth-clients/:clientId', [MachineClientsController, 'destroy'])
      .doc(machineClientsDocs.destroy)
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])

/* `roster/sync`, not `roster:sync`: in an Adonis pattern `:sync` would be a route parameter. */
router
  .post('/v1/schools/:schoolId/roster/sync', [MachineClientsController, 'rosterSync'])
  .use([middleware.client({ scope: 'roster.write' }), machineClientThrottle])
  .doc(machineClientsDocs.rosterSync)
