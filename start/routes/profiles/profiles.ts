/* Profiles, resumes (S3), reports (Temporal + S3) and analytics (Redis), inside one school. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { expensiveThrottle } from '#start/limiter'
import {
  analyticsDocs,
  profileSectionDocs,
  profilesDocs,
  reportsDocs,
  resumesDocs,
} from '#validators/profiles/profiles_docs'

const ProfilesController = () => import('#controllers/profiles/profiles_controller')
const ResumesController = () => import('#controllers/profiles/resumes_controller')
const ReportsController = () => import('#controllers/profiles/reports_controller')
const AnalyticsController = () => import('#controllers/profiles/analytics_controller')

router
  .group(() => {
    router.get('/me/profile', [ProfilesController, 'show']).doc(profilesDocs.show)
    router.patch('/me/profile', [ProfilesController, 'update']).doc(profilesDocs.update)
    router
      .get('/me/profile/completion', [ProfilesController, 'completion'])
      .doc(profilesDocs.completion)
    router.get('/skills', [ProfilesController, 'skills']).doc(profilesDocs.skills)

    for (const [section, docs] of profileSectionDocs) {
      router
        .post(`/me/profile/${section}`, [ProfilesController, 'createEntry'])
        .as(`profiles.${section}.create`)
        .doc(docs.create)
      router
        .put(`/me/profile/${section}/order`, [ProfilesController, 'reorder'])
        .as(`profiles.${section}.reorder`)
        .doc(docs.reorder)
      router
        .patch(`/me/profile/${section}/:id`, [ProfilesController, 'updateEntry'])
        .as(`profiles.${section}.update`)
        .doc(docs.update)
      router
        .delete(`/me/profile/${section}/:id`, [ProfilesController, 'destroyEntry'])
        .as(`profiles.${section}.delete`)
        .doc(docs.delete)
    }
    router.post('/me/profile/skills', [ProfilesController, 'addSkill']).doc(profilesDocs.addSkill)
    router
      .put('/me/profile/skills/order', [ProfilesController, 'reorder'])
      .as('profiles.skills.reorder')
      .doc(profilesDocs.reorderSkills)
    router
      .patch('/me/profile/skills/:id', [ProfilesController, 'updateSkill'])
      .doc(profilesDocs.updateSkill)
    router
      .delete('/me/profile/skills/:id', [ProfilesController, 'destroyEntry'])
      .as('profiles.skills.delete')
      .doc(profilesDocs.destroySkill)
    router
      .get('/learners/:membershipId/profile', [ProfilesController, 'showLearner'])
      .doc(profilesDocs.showLearner)

    /* Resumes */
    router.get('/me/resumes', [ResumesController, 'index']).doc(resumesDocs.index)
    router.post('/me/resumes', [ResumesController, 'store']).doc(resumesDocs.store)
    router
      .post('/me/resumes/:id/complete', [ResumesController, 'complete'])
      .doc(resumesDocs.complete)
    router
      .get('/me/resumes/:id/download', [ResumesController, 'download'])
      .doc(resumesDocs.download)
    router
      .post('/me/resumes/:id/default', [ResumesController, 'makeDefault'])
      .doc(resumesDocs.makeDefault)
    router.delete('/me/resumes/:id', [ResumesController, 'destroy']).doc(resumesDocs.destroy)
    router
      .get('/learners/:membershipId/resumes', [ResumesController, 'learnerIndex'])
      .doc(resumesDocs.learnerIndex)
    router
      .get('/learners/:membershipId/resumes/:id/download', [ResumesController, 'learnerDownload'])
      .doc(resumesDocs.learnerDownload)

    /* Reports */
    router
      .post('/reports', [ReportsController, 'store'])
      .use(expensiveThrottle)
      .doc(reportsDocs.store)
    router.get('/reports/:id', [ReportsController, 'show']).doc(reportsDocs.show)

    /* Analytics */
    router.get('/analytics/overview', [AnalyticsController, 'overview']).doc(analyticsDocs.overview)
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])
