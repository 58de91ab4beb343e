/* Jobs: job sources and ingestion runs, job search, applications. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import { expensiveThrottle } from '#start/limiter'
import * as jobsValidators from '#validators/jobs'
import { forbidden } from '#start/routes/schemas'

const JobSourcesController = () => import('#controllers/jobs/job_sources_controller')
const JobsController = () => import('#controllers/jobs/jobs_controller')
const ApplicationsController = () => import('#controllers/jobs/applications_controller')

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({
  type: [type, 'null'],
  ...extra,
})
const page = (items: object) => ({
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: { data: { type: 'array', items }, nextCursor: nullable('string') },
})

const jobSource = {
  type: 'object',
  required: [
    'id',
    'scope',
    'schoolId',
    'name',
    'kind',
    'url',
    'boardToken',
    'company',
    'intervalMinutes',
    'status',
    'lastRunAt',
    'createdAt',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    scope: { type: 'string', enum: ['global', 'school'] },
    schoolId: nullable('string'),
    name: { type: 'string' },
    kind: { type: 'string', enum: ['greenhouse', 'lever', 'json_feed'] },
    url: nullable('string'),
    boardToken: nullable('string'),
    company: nullable('string'),
    intervalMinutes: { type: 'integer' },
    status: { type: 'string', enum: ['active', 'paused'] },
    lastRunAt: nullable('string', { format: 'date-time' }),
    createdAt: { type: 'string', format: 'date-time' },
  },
}

const run = {
  type: 'object',
  required: [
    'id',
    'sourceId',
    'workflowId',
    'status',
    'fetched',
    'created',
    'updated',
    'unchanged',
    'closed',
    'failed',
    'durationMs',
    'error',
    'startedAt',
    'finishedAt',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    sourceId: { type: 'string', format: 'uuid' },
    workflowId: { type: 'string' },
    status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
    fetched: { type: 'integer' },
    created: { type: 'integer' },
    updated: { type: 'integer' },
    unchanged: { type: 'integer' },
    closed: { type: 'integer' },
    failed: { type: 'integer' },
    durationMs: nullable('integer'),
    error: nullable('string'),
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: nullable('string', { format: 'date-time' }),
  },
}

const jobFields = {
  id: { type: 'string', format: 'uuid' },
  sourceId: { type: 'string', format: 'uuid' },
  title: { type: 'string' },
  company: { type: 'string' },
  locations: { type: 'array', items: { type: 'string' } },
  remote: { type: 'boolean' },
  employmentType: nullable('string'),
  salaryMin: nullable('number'),
  salaryMax: nullable('number'),
  salaryCurrency: nullable('string'),
  applyUrl: nullable('string'),
}

const facet = {
  type: 'array',
  items: {
    type: 'object',
    required: ['value', 'count'],
    properties: { value: { type: 'string' }, count: { type: 'integer' } },
  },
}

const searchResult = {
  type: 'object',
  required: ['data', 'facets', 'total', 'totalRelation', 'nextCursor', 'engine'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: [...Object.keys(jobFields), 'postedAt', 'score', 'highlights'],
        properties: {
          ...jobFields,
          postedAt: { type: 'string', format: 'date-time' },
          score: nullable('number'),
          highlights: {
            type: 'object',
            required: ['title', 'description'],
            properties: {
              title: { type: 'array', items: { type: 'string' } },
              description: { type: 'array', items: { type: 'string' } },
            },
          },
        },
      },
    },
    facets: {
      type: 'object',
      required: ['employmentType', 'remote', 'location', 'source'],
      properties: { employmentType: facet, remote: facet, location: facet, source: facet },
    },
    total: { type: 'integer' },
    totalRelation: {
      type: 'string',
      enum: ['eq', 'gte'],
      description:
        '`eq`: `total` is exact. `gte`: more than 10,000 jobs match; `total` is 10,000 and facets count the 10,000 newest matches.',
    },
    nextCursor: nullable('string'),
    engine: { type: 'string', enum: ['postgres', 'opensearch', 'elasticsearch'] },
  },
}

const job = {
  type: 'object',
  required: [
    ...Object.keys(jobFields),
    'source',
    'externalId',
    'descriptionHtml',
    'descriptionText',
    'postedAt',
    'status',
    'closedAt',
  ],
  properties: {
    ...jobFields,
    source: {
      type: 'object',
      required: ['id', 'name', 'kind'],
      properties: { id: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' } },
    },
    externalId: { type: 'string' },
    descriptionHtml: { type: 'string' },
    descriptionText: { type: 'string' },
    postedAt: nullable('string', { format: 'date-time' }),
    status: { type: 'string', enum: ['open', 'closed'] },
    closedAt: nullable('string', { format: 'date-time' }),
  },
}

const application = {
  type: 'object',
  required: [
    'id',
    'membershipId',
    'jobId',
    'status',
    'notes',
    'appliedAt',
    'createdAt',
    'updatedAt',
    'job',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    membershipId: { type: 'string', format: 'uuid' },
    jobId: { type: 'string', format: 'uuid' },
    status: { type: 'string', enum: [...jobsValidators.APPLICATION_STATUSES] },
    notes: nullable('string'),
    appliedAt: nullable('string', { format: 'date-time' }),
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    job: {
      type: 'object',
      required: ['title', 'company', 'status'],
      properties: {
        title: { type: 'string' },
        company: { type: 'string' },
        status: { type: 'string' },
      },
    },
  },
}

const applicationWithTimeline = {
  ...application,
  required: [...application.required, 'timeline'],
  properties: {
    ...application.properties,
    timeline: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'fromStatus', 'toStatus', 'note', 'actorUserId', 'createdAt'],
        properties: {
          id: { type: 'integer' },
          fromStatus: nullable('string'),
          toStatus: nullable('string'),
          note: nullable('string'),
          actorUserId: nullable('string'),
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  },
}

const runStarted = {
  type: 'object',
  required: ['sourceId', 'workflowId'],
  properties: { sourceId: { type: 'string', format: 'uuid' }, workflowId: { type: 'string' } },
}

/** The same source-management routes for a school (its own sources) and for the platform (global). */
function sourceRoutes(tag: string, who: string) {
  router.get('/job-sources', [JobSourcesController, 'index']).doc({
    summary: `List job sources (${who})`,
    tags: [tag],
    security: 'bearer',
    query: jobsValidators.listJobSourcesValidator,
    responses: { 200: { description: 'A page of sources', schema: page(jobSource) }, ...forbidden },
  })
  router.post('/job-sources', [JobSourcesController, 'store']).doc({
    summary: `Create a job source and its Temporal Schedule (${who})`,
    description:
      'Kinds: `greenhouse` (boardToken; Greenhouse Job Board API), `lever` (boardToken = site; Lever Postings API), `json_feed` (url of schema.org JobPosting JSON).',
    tags: [tag],
    security: 'bearer',
    body: jobsValidators.createJobSourceValidator,
    responses: { 201: { description: 'Created', schema: jobSource }, ...forbidden },
  })
  router.patch('/job-sources/:id', [JobSourcesController, 'update']).doc({
    summary: `Rename a source, change its URL or interval (${who})`,
    tags: [tag],
    security: 'bearer',
    body: jobsValidators.updateJobSourceValidator,
    responses: { 200: { description: 'Updated', schema: jobSource }, ...forbidden },
  })
  router.post('/job-sources/:id/run', [JobSourcesController, 'run']).doc({
    summary: `Run an ingestion now (${who})`,
    tags: [tag],
    security: 'bearer',
    responses: { 202: { description: 'Workflow started', schema: runStarted }, ...forbidden },
  })
  router.post('/job-sources/:id/pause', [JobSourcesController, 'pause']).doc({
    summary: `Pause a source's schedule (${who})`,
    tags: [tag],
    security: 'bearer',
    responses: { 200: { description: 'Paused', schema: jobSource }, ...forbidden },
  })
  router.post('/job-sources/:id/resume', [JobSourcesController, 'resume']).doc({
    summary: `Resume a source's schedule (${who})`,
    tags: [tag],
    security: 'bearer',
    responses: { 200: { description: 'Resumed', schema: jobSource }, ...forbidden },
  })
  router.get('/job-sources/:id/runs', [JobSourcesController, 'runs']).doc({
    summary: `Ingestion runs of a source, newest first (${who})`,
    tags: [tag],
    security: 'bearer',
    query: jobsValidators.listJobSourcesValidator,
    responses: { 200: { description: 'Run statistics', schema: page(run) }, ...forbidden },
  })
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
      .doc({
        summary: 'Search jobs (global sources and this school’s own)',
        description:
          'Full text with typo tolerance, filters, facets with counts, relevance or date sort, cursor pagination, <mark> highlights.',
        tags: ['Jobs'],
        security: 'bearer',
        query: jobsValidators.searchJobsValidator,
        responses: { 200: { description: 'Matching jobs', schema: searchResult } },
      })
    router.get('/jobs/suggest', [JobsController, 'suggest']).doc({
      summary: 'Autocomplete job titles from a prefix',
      tags: ['Jobs'],
      security: 'bearer',
      query: jobsValidators.suggestJobsValidator,
      responses: {
        200: {
          description: 'Titles, most common first',
          schema: {
            type: 'object',
            required: ['data'],
            properties: { data: { type: 'array', items: { type: 'string' } } },
          },
        },
      },
    })
    router.get('/jobs/:id', [JobsController, 'show']).doc({
      summary: 'One job (with sanitized HTML description)',
      tags: ['Jobs'],
      security: 'bearer',
      responses: { 200: { description: 'The job', schema: job } },
    })

    router.get('/me/applications', [ApplicationsController, 'index']).doc({
      summary: 'My tracked applications',
      tags: ['Applications'],
      security: 'bearer',
      query: jobsValidators.listMyApplicationsValidator,
      responses: { 200: { description: 'A page of applications', schema: page(application) } },
    })
    router.post('/me/applications', [ApplicationsController, 'store']).doc({
      summary: 'Save or apply to a job',
      tags: ['Applications'],
      security: 'bearer',
      body: jobsValidators.createApplicationValidator,
      responses: {
        201: { description: 'Tracked', schema: applicationWithTimeline },
        409: { description: 'Already tracked' },
      },
    })
    router.get('/me/applications/:id', [ApplicationsController, 'show']).doc({
      summary: 'One of my applications with its timeline',
      tags: ['Applications'],
      security: 'bearer',
      responses: { 200: { description: 'The application', schema: applicationWithTimeline } },
    })
    router.patch('/me/applications/:id', [ApplicationsController, 'update']).doc({
      summary: 'Change status, notes, or add a timeline note',
      tags: ['Applications'],
      security: 'bearer',
      body: jobsValidators.updateApplicationValidator,
      responses: { 200: { description: 'Updated', schema: applicationWithTimeline } },
    })
    router.delete('/me/applications/:id', [ApplicationsController, 'destroy']).doc({
      summary: 'Stop tracking a job',
      tags: ['Applications'],
      security: 'bearer',
      responses: { 204: { description: 'Deleted' } },
    })
    router.get('/applications', [ApplicationsController, 'schoolIndex']).doc({
      summary: "The school's applications (applications.read_all)",
      tags: ['Applications'],
      security: 'bearer',
      query: jobsValidators.listSchoolApplicationsValidator,
      responses: {
        200: { description: 'A page of applications', schema: page(application) },
        ...forbidden,
      },
    })
  })
  .prefix('/v1/schools/:schoolId')
  .as('school')
  .use([middleware.auth(), middleware.school()])
