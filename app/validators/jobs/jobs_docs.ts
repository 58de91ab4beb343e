/* OpenAPI descriptions of the routes in start/routes/jobs/jobs.ts: summaries, request validators, response schemas. */
import { docArea } from '#services/platform/openapi/route_doc'
import * as v from '#validators/jobs/jobs'
import { dataOf, forbidden, requiredObject } from '#validators/platform/common_docs'

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
const run = requiredObject({
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
  /** a suspicious answer (empty or truncated): nothing was closed */
  warning: nullable('string'),
  startedAt: { type: 'string', format: 'date-time' },
  finishedAt: nullable('string', { format: 'date-time' }),
})
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
const application = requiredObject({
  id: { type: 'string', format: 'uuid' },
  membershipId: { type: 'string', format: 'uuid' },
  jobId: { type: 'string', format: 'uuid' },
  status: { type: 'string', enum: [...v.APPLICATION_STATUSES] },
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
})
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
/** "Run now" triggers the source's schedule: the run appears under `.../runs` (skipped while one is in progress). */
const runStarted = {
  type: 'object',
  required: ['sourceId', 'scheduleId'],
  properties: { sourceId: { type: 'string', format: 'uuid' }, scheduleId: { type: 'string' } },
}

/** The source's Temporal Schedule no longer exists (temporalProblem: a 409, never Temporal's text). */
const scheduleGone = { 409: "The source's schedule no longer exists" }

/** The same source-management routes for a school (its own sources) and for the platform (global). */
export const jobSourcesDocs = (tag: string, who: string) => {
  const manage = docArea({ tags: [tag], security: 'bearer', ...forbidden })
  const scheduled = docArea({ tags: [tag], security: 'bearer', ...scheduleGone, ...forbidden })
  return {
    index: manage(`List job sources (${who})`, {
      query: v.listJobSourcesValidator,
      200: ['A page of sources', page(jobSource)],
    }),
    store: manage(`Create a job source and its Temporal Schedule (${who})`, {
      description:
        'Kinds: `greenhouse` (boardToken; Greenhouse Job Board API), `lever` (boardToken = site; Lever Postings API), `json_feed` (url of schema.org JobPosting JSON).',
      body: v.createJobSourceValidator,
      201: ['Created', jobSource],
    }),
    update: manage(`Rename a source, change its URL or interval (${who})`, {
      body: v.updateJobSourceValidator,
      200: ['Updated', jobSource],
    }),
    run: scheduled(`Run an ingestion now (${who})`, {
      description:
        "Triggers the source's Temporal Schedule: the run follows its overlap policy (skipped while a run is in progress) and appears under `.../runs`.",
      202: ['Schedule triggered', runStarted],
    }),
    pause: scheduled(`Pause a source's schedule (${who})`, { 200: ['Paused', jobSource] }),
    resume: scheduled(`Resume a source's schedule (${who})`, { 200: ['Resumed', jobSource] }),
    runs: manage(`Ingestion runs of a source, newest first (${who})`, {
      query: v.listJobSourcesValidator,
      200: ['Run statistics', page(run)],
    }),
  }
}

const jobs = docArea({ tags: ['Jobs'], security: 'bearer' })
const applications = docArea({ tags: ['Applications'], security: 'bearer' })

export const jobsDocs = {
  search: jobs('Search jobs (global sources and this school’s own)', {
    description:
      'Full text with typo tolerance, filters, facets with counts, relevance or date sort, cursor pagination, <mark> highlights.',
    query: v.searchJobsValidator,
    200: ['Matching jobs', searchResult],
  }),
  suggest: jobs('Autocomplete job titles from a prefix', {
    query: v.suggestJobsValidator,
    200: ['Titles, most common first', dataOf({ type: 'string' })],
  }),
  show: jobs('One job (with sanitized HTML description)', { 200: ['The job', job] }),
}

export const applicationsDocs = {
  index: applications('My tracked applications', {
    query: v.listMyApplicationsValidator,
    200: ['A page of applications', page(application)],
  }),
  store: applications('Save or apply to a job', {
    body: v.createApplicationValidator,
    201: ['Tracked', applicationWithTimeline],
    409: 'Already tracked',
  }),
  show: applications('One of my applications with its timeline', {
    200: ['The application', applicationWithTimeline],
  }),
  update: applications('Change status, notes, or add a timeline note', {
    body: v.updateApplicationValidator,
    200: ['Updated', applicationWithTimeline],
  }),
  destroy: applications('Stop tracking a job', { 204: 'Deleted' }),
  schoolIndex: applications("The school's applications (applications.read_all)", {
    query: v.listSchoolApplicationsValidator,
    200: ['A page of applications', page(application)],
    ...forbidden,
  }),
}
