/* Tenancy: platform administration of schools and school administration. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import {
  schoolsDocs,
  membersDocs,
  cohortsDocs,
  rolePermissionsDocs,
  auditEventsDocs,
} from '#validators/tenancy/tenancy_docs'

const SchoolsController = () => import('#controllers/tenancy/schools_controller')
const MembersController = () => import('#controllers/tenancy/members_controller')
const CohortsController = () => import('#controllers/tenancy/cohorts_controller')
const AuditEventsController = () => import('#controllers/tenancy/audit_events_controller')
const RolePermissionsController = () => import('#controllers/tenancy/role_permissions_controller')

/* Platform administration */
router
  .group(() => {
    router.get('/', [SchoolsController, 'index']).doc(schoolsDocs.index)
    router.post('/', [SchoolsController, 'store']).doc(schoolsDocs.store)
    router.patch('/:id', [SchoolsController, 'update']).doc(schoolsDocs.update)
  })
  .prefix('/v1/platform/schools')
  .use(middleware.auth())

/* Inside one school: the school context middleware resolves :schoolId and opens the RLS transaction. */
router
  .group(() => {
    router.get('/members', [MembersController, 'index']).doc(membersDocs.index)
    router.patch('/members/:membershipId', [MembersController, 'update']).doc(membersDocs.update)
    router.get('/cohorts', [CohortsController, 'index']).doc(cohortsDocs.index)
    router.post('/cohorts', [CohortsController, 'store']).doc(cohortsDocs.store)
    router.patch('/cohorts/:cohortId', [CohortsController, 'update']).doc(cohortsDocs.update)
    router
      .post('/cohorts/:cohortId/members', [CohortsController, 'addMember'])
      .doc(cohortsDocs.addMember)
    router
      .delete('/cohorts/:cohortId/members/:membershipId', [CohortsController, 'removeMember'])
      .doc(cohortsDocs.removeMember)
    router
      .post('/cohorts/:cohortId/mentor-assignments', [CohortsController, 'assignMentor'])
      .doc(cohortsDocs.assignMentor)
    router.get('/roles', [RolePermissionsController, 'index']).doc(rolePermissionsDocs.index)
    router
      .put('/roles/:role/permissions', [RolePermissionsController, 'update'])
      .doc(rolePermissionsDocs.update)
    router
      .delete('/roles/:role/permissions', [RolePermissionsController, 'destroy'])
      .doc(rolePermissionsDocs.destroy)
    router.get('/audit-events', [AuditEventsController, 'index']).doc(auditEventsDocs.index)
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])
