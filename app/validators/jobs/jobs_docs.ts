/* OpenAPI descriptions of the routes in start/routes/jobs/jobs.ts: summaries, request validators, response schemas. */
import type { RouteDoc } from '#services/platform/openapi/route_doc'
import * as jobsValidators from '#validators/jobs/jobs'
import { forbidden, requiredObject } from '#validators/platform/common_docs'

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
const scheduleGone = { 409: { description: "The source's schedule no longer exists" } }

/** The same source-management routes for a school (its own sources) and for the platform (global). */
export const jobSourcesDocs = (tag: string, who: string) =>
  ({
    index: {
      summary: `List job sources (${who})`,
      tags: [tag],
      security: 'bearer',
      query: jobsValidators.listJobSourcesValidator,
      responses: {
        200: { description: 'A page of sources', schema: page(jobSource) },
        ...forbidden,
      },
    },
    store: {
      summary: `Create a job source and its Temporal Schedule (${who})`,
      description:
        'Kinds: `greenhouse` (boardToken; Greenhouse Job Board API), `lever` (boardToken = site; Lever Postings API), `json_feed` (url of schema.org JobPosting JSON).',
      tags: [tag],
      security: 'bearer',
      body: jobsValidators.createJobSourceValidator,
      responses: { 201: { description: 'Created', schema: jobSource }, ...forbidden },
    },
    update: {
      summary: `Rename a source, change its URL or interval (${who})`,
      tags: [tag],
      security: 'bearer',
      body: jobsValidators.updateJobSourceValidator,
      responses: { 200: { description: 'Updated', schema: jobSource }, ...forbidden },
    },
    run: {
      summary: `Run an ingestion now (${who})`,
      description:
        "Triggers the source's Temporal Schedule: the run follows its overlap policy (skipped while a run is in progress) and appears under `.../runs`.",
      tags: [tag],
      security: 'bearer',
      responses: {
        202: { description: 'Schedule triggered', schema: runStarted },
        ...scheduleGone,
        ...forbidden,
      },
    },
    pause: {
      summary: `Pause a source's schedule (${who})`,
      tags: [tag],
      security: 'bearer',
      responses: {
        200: { description: 'Paused', schema: jobSource },
        ...scheduleGone,
        ...forbidden,
      },
    },
    resume: {
      summary: `Resume a source's schedule (${who})`,
      tags: [tag],
      security: 'bearer',
      responses: {
        200: { description: 'Resumed', schema: jobSource },
        ...scheduleGone,
        ...forbidden,
      },
    },
    runs: {
      summary: `Ingestion runs of a source, newest first (${who})`,
      tags: [tag],
      security: 'bearer',
      query: jobsValidators.listJobSourcesValidator,
      responses: { 200: { description: 'Run statistics', schema: page(run) }, ...forbidden },
    },
  }) satisfies Record<string, RouteDoc>

export const jobsDocs = {
  search: {
    summary: 'Search jobs (global sources and this school’s own)',
    description:
      'Full text with typo tolerance, filters, facets with counts, relevance or date sort, cursor pagination, <mark> highlights.',
    tags: ['Jobs'],
    security: 'bearer',
    query: jobsValidators.searchJobsValidator,
    responses: { 200: { description: 'Matching jobs', schema: searchResult } },
  },
  suggest: {
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
  },
  show: {
    summary: 'One job (with sanitized HTML description)',
    tags: ['Jobs'],
    security: 'bearer',
    responses: { 200: { description: 'The job', schema: job } },
  },
} satisfies Record<string, RouteDoc>

export const applicationsDocs = {
  index: {
    summary: 'My tracked applications',
    tags: ['Applications'],
    security: 'bearer',
    query: jobsValidators.listMyApplicationsValidator,
    responses: { 200: { description: 'A page of applications', schema: page(application) } },
  },
  store: {
    summary: 'Save or apply to a job',
    tags: ['Applications'],
    security: 'bearer',
    body: jobsValidators.createApplicationValidator,
    responses: {
      201: { description: 'Tracked', schema: applicationWithTimeline },
      409: { description: 'Already tracked' },
    },
  },
  show: {
    summary: 'One of my applications with its timeline',
    tags: ['Applications'],
    security: 'bearer',
    responses: { 200: { description: 'The application', schema: applicationWithTimeline } },
  },
  update: {
    summary: 'Change status, notes, or add a timeline note',
    tags: ['Applications'],
    security: 'bearer',
    body: jobsValidators.updateApplicationValidator,
    responses: { 200: { description: 'Updated', schema: applicationWithTimeline } },
  },
  destroy: {
    summary: 'Stop tracking a job',
    tags: ['Applications'],
    security: 'bearer',
    responses: { 204: { description: 'Deleted' } },
  },
  schoolIndex: {
    summary: "The school's applications (applications.read_all)",
    tags: ['Applications'],
    security: 'bearer',
    query: jobsValidators.listSchoolApplicationsValidator,
    responses: {
      200: { description: 'A page of applications', schema: page(application) },
      ...forbidden,
    },
  },
} satisfies Record<string, RouteDoc>
