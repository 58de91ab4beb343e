/* Jobs: job sources and ingestion runs, job search, applications. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { expensiveThrottle } from '#start/limiter'
import { applicationsDocs, jobSourcesDocs, jobsDocs } from '#validators/jobs/jobs_docs'

const JobSourcesController = () => import('#controllers/jobs/job_sources_controller')
const JobsController = () => import('#controllers/jobs/jobs_controller')
const ApplicationsController = () => import('#controllers/jobs/applications_controller')

/** The same source-management routes for a school (its own sources) and for the platform (global). */
function sourceRoutes(tag: string, who: string) {
  const docs = jobSourcesDocs(tag, who)
  router.get('/job-sources', [JobSourcesController, 'index']).doc(docs.index)
  router.post('/job-sources', [JobSourcesController, 'store']).doc(docs.store)
  router.patch('/job-sources/:id', [JobSourcesController, 'update']).doc(docs.update)
  router.post('/job-sources/:id/run', [JobSourcesController, 'run']).doc(docs.run)
  router.post('/job-sources/:id/pause', [JobSourcesController, 'pause']).doc(docs.pause)
  router.post('/job-sources/:id/resume', [JobSourcesController, 'resume']).doc(docs.resume)
  router.get('/job-sources/:id/runs', [JobSourcesController, 'runs']).doc(docs.runs)
}

router
  .group(() => sourceRoutes('Platform', 'platform admin, global sources'))
  .prefix('/v1/platform')
  .as('platform')
  .use(middleware.auth())

router
  .group(() => {
    sourceRoutes(
      'Jobs',
      "jobs.sources.manage; the school's own sources, global ones listed read-only"
    )

    router
      .get('/jobs/search', [JobsController, 'search'])
      .use(expensiveThrottle)
      .doc(jobsDocs.search)
    router.get('/jobs/suggest', [JobsController, 'suggest']).doc(jobsDocs.suggest)
    router.get('/jobs/:id', [JobsController, 'show']).doc(jobsDocs.show)

    router.get('/me/applications', [ApplicationsController, 'index']).doc(applicationsDocs.index)
    router.post('/me/applications', [ApplicationsController, 'store']).doc(applicationsDocs.store)
    router.get('/me/applications/:id', [ApplicationsController, 'show']).doc(applicationsDocs.show)
    router
      .patch('/me/applications/:id', [ApplicationsController, 'update'])
      .doc(applicationsDocs.update)
    router
      .delete('/me/applications/:id', [ApplicationsController, 'destroy'])
      .doc(applicationsDocs.destroy)
    router
      .get('/applications', [ApplicationsController, 'schoolIndex'])
      .doc(applicationsDocs.schoolIndex)
  })
  .prefix('/v1/schools/:schoolId')
  .as('school')
  .use([middleware.auth(), middleware.school()])
