/* OpenAPI descriptions of the routes in start/routes/profiles/profiles.ts: summaries, request validators, response schemas. */
import type { VineValidator } from '@vinejs/vine'
import type { JsonSchema, RouteDoc } from '#services/platform/openapi/route_doc'
import * as profileValidators from '#validators/profiles/profiles'
import { analyticsQueryValidator, createReportValidator } from '#validators/profiles/reports'
import { createResumeValidator } from '#validators/profiles/resumes'
import { forbidden } from '#validators/platform/common_docs'

const str = { type: 'string' }
const nstr = { type: ['string', 'null'] }
const strings = { type: 'array', items: str }
const date = { type: ['string', 'null'], format: 'date' }
const completion = {
  type: 'object',
  required: ['score', 'missing'],
  properties: {
    score: { type: 'integer', minimum: 0, maximum: 100 },
    missing: {
      type: 'array',
      items: { enum: ['education', 'experience', 'skills', 'preferences'] },
    },
  },
}
const education = {
  type: 'object',
  required: ['id', 'institution', 'degree', 'field', 'startDate', 'endDate', 'current', 'position'],
  properties: {
    id: str,
    institution: str,
    degree: nstr,
    field: nstr,
    startDate: date,
    endDate: date,
    current: { type: 'boolean' },
    position: { type: 'integer' },
  },
}
const experience = {
  type: 'object',
  required: [
    'id',
    'organization',
    'title',
    'location',
    'startDate',
    'endDate',
    'current',
    'description',
    'position',
  ],
  properties: {
    id: str,
    organization: str,
    title: str,
    location: nstr,
    startDate: date,
    endDate: date,
    current: { type: 'boolean' },
    description: nstr,
    position: { type: 'integer' },
  },
}
const skill = {
  type: 'object',
  required: ['id', 'skill', 'name', 'level', 'position'],
  properties: { id: str, skill: str, name: str, level: str, position: { type: 'integer' } },
}
const profile = {
  type: 'object',
  required: [
    'membershipId',
    'headline',
    'summary',
    'preferences',
    'notifications',
    'education',
    'experience',
    'skills',
    'completion',
  ],
  properties: {
    membershipId: str,
    headline: nstr,
    summary: nstr,
    preferences: {
      type: 'object',
      required: [
        'jobTypes',
        'locations',
        'remote',
        'industries',
        'salaryMin',
        'salaryMax',
        'salaryCurrency',
      ],
      properties: {
        jobTypes: strings,
        locations: strings,
        remote: nstr,
        industries: strings,
        salaryMin: { type: ['number', 'null'] },
        salaryMax: { type: ['number', 'null'] },
        salaryCurrency: nstr,
      },
    },
    notifications: {
      type: 'object',
      required: ['optOut', 'quietHours'],
      properties: {
        optOut: strings,
        quietHours: {
          type: ['object', 'null'],
          properties: { start: str, end: str, timezone: str },
        },
      },
    },
    education: { type: 'array', items: education },
    experience: { type: 'array', items: experience },
    skills: { type: 'array', items: skill },
    completion,
  },
}
const skillList = {
  type: 'object',
  required: ['data'],
  properties: {
    data: {
      type: 'array',
      items: {
        type: 'object',
        required: ['slug', 'name', 'aliases'],
        properties: { slug: str, name: str, aliases: strings },
      },
    },
  },
}
const resume = {
  type: 'object',
  required: [
    'id',
    'membershipId',
    'filename',
    'contentType',
    'sizeBytes',
    'status',
    'isDefault',
    'createdAt',
  ],
  properties: {
    id: str,
    membershipId: str,
    filename: str,
    contentType: str,
    sizeBytes: { type: ['integer', 'null'] },
    status: { enum: ['pending', 'ready'] },
    isDefault: { type: 'boolean' },
    createdAt: str,
  },
}
const resumeList = {
  type: 'object',
  required: ['data'],
  properties: { data: { type: 'array', items: resume } },
}
const upload = {
  type: 'object',
  required: ['resume', 'upload'],
  properties: {
    resume,
    upload: {
      type: 'object',
      required: ['url', 'fields', 'maxBytes', 'expiresIn'],
      properties: {
        url: str,
        fields: { type: 'object', additionalProperties: str },
        maxBytes: { type: 'integer' },
        expiresIn: { type: 'integer' },
      },
    },
  },
}
const download = {
  type: 'object',
  required: ['url', 'expiresIn'],
  properties: { url: str, expiresIn: { type: 'integer' } },
}
const report = {
  type: 'object',
  required: [
    'id',
    'kind',
    'cohortId',
    'status',
    'rowCount',
    'error',
    'createdAt',
    'downloadUrl',
    'downloadExpiresIn',
  ],
  properties: {
    id: str,
    kind: str,
    cohortId: nstr,
    status: { enum: ['pending', 'running', 'ready', 'failed'] },
    rowCount: { type: ['integer', 'null'] },
    error: nstr,
    createdAt: str,
    downloadUrl: nstr,
    downloadExpiresIn: { type: ['integer', 'null'] },
  },
}
const counts = { type: 'object', additionalProperties: { type: 'integer' } }
const analytics = {
  type: 'object',
  required: [
    'schoolId',
    'cohortId',
    'profileCompletion',
    'activeUsers',
    'jobSearches',
    'applicationsByStatus',
  ],
  properties: {
    schoolId: str,
    cohortId: nstr,
    profileCompletion: {
      type: 'object',
      required: ['members', 'average', 'distribution'],
      properties: {
        members: { type: 'integer' },
        average: { type: 'integer' },
        distribution: counts,
      },
    },
    activeUsers: {
      type: 'object',
      required: ['daily', 'monthly'],
      properties: { daily: { type: 'integer' }, monthly: { type: 'integer' } },
    },
    jobSearches: {
      type: 'object',
      required: ['today', 'last30Days', 'total'],
      properties: {
        today: { type: 'integer' },
        last30Days: { type: 'integer' },
        total: { type: 'integer' },
      },
    },
    applicationsByStatus: counts,
  },
}
const tags = ['Profiles']
const security = 'bearer' as const
const noContent = { 204: { description: 'Done' } }

export const profilesDocs = {
  show: {
    summary: 'My profile in this school (one per membership)',
    tags,
    security,
    responses: { 200: { description: 'The profile', schema: profile } },
  },
  update: {
    summary: 'Update headline, summary, job preferences and notification preferences',
    tags,
    security,
    body: profileValidators.updateProfileValidator,
    responses: { 200: { description: 'The updated profile', schema: profile } },
  },
  completion: {
    summary: 'Profile completion score (0-100) and missing sections',
    tags,
    security,
    responses: { 200: { description: 'Completion', schema: completion } },
  },
  skills: {
    summary: 'The normalized skill list (with aliases); ?search= filters',
    tags,
    security,
    responses: { 200: { description: 'Skills', schema: skillList } },
  },
  addSkill: {
    summary: 'Add a skill (name, slug or alias from the skill list; unknown skills are refused)',
    tags,
    security,
    body: profileValidators.createSkillValidator,
    responses: {
      201: { description: 'Added', schema: skill },
      409: { description: 'Already on the profile' },
    },
  },
  reorderSkills: {
    summary: 'Reorder skills (every id once, in the new order)',
    tags,
    security,
    body: profileValidators.reorderValidator,
    responses: noContent,
  },
  updateSkill: {
    summary: "Change a skill's level",
    tags,
    security,
    body: profileValidators.updateSkillValidator,
    responses: { 200: { description: 'Updated', schema: skill } },
  },
  destroySkill: {
    summary: 'Remove a skill',
    tags,
    security,
    responses: noContent,
  },
  showLearner: {
    summary:
      "A learner's profile (profiles.read_all, or profiles.read_assigned for assigned learners)",
    tags,
    security,
    responses: { 200: { description: 'The profile', schema: profile }, ...forbidden },
  },
} satisfies Record<string, RouteDoc>

/** Education and experience entries share their routes. */
const sectionDocs = (
  section: string,
  schema: JsonSchema,
  create: VineValidator<any, any>,
  update: VineValidator<any, any>
) =>
  ({
    create: {
      summary: `Add a ${section} entry`,
      tags,
      security,
      body: create,
      responses: { 201: { description: 'Created', schema } },
    },
    reorder: {
      summary: `Reorder ${section} entries (every id once, in the new order)`,
      tags,
      security,
      body: profileValidators.reorderValidator,
      responses: noContent,
    },
    update: {
      summary: `Update a ${section} entry`,
      tags,
      security,
      body: update,
      responses: { 200: { description: 'Updated', schema } },
    },
    delete: {
      summary: `Delete a ${section} entry`,
      tags,
      security,
      responses: noContent,
    },
  }) satisfies Record<string, RouteDoc>

export const profileSectionDocs = [
  [
    'education',
    sectionDocs(
      'education',
      education,
      profileValidators.createEducationValidator,
      profileValidators.updateEducationValidator
    ),
  ],
  [
    'experience',
    sectionDocs(
      'experience',
      experience,
      profileValidators.createExperienceValidator,
      profileValidators.updateExperienceValidator
    ),
  ],
] as const

const resumeTags = ['Resumes']

export const resumesDocs = {
  index: {
    summary: 'My resumes',
    tags: resumeTags,
    security,
    responses: { 200: { description: 'Resumes, newest first', schema: resumeList } },
  },
  store: {
    summary: 'Start an upload: a presigned POST (PDF or DOCX, at most 5 MB) straight to S3',
    description:
      'POST the file as multipart/form-data to `upload.url` with every `upload.fields` entry first and the file last (field `file`), then call `/complete`.',
    tags: resumeTags,
    security,
    body: createResumeValidator,
    responses: {
      201: { description: 'Upload form', schema: upload },
      409: { description: 'Too many resumes' },
    },
  },
  complete: {
    summary: 'Check the uploaded object (exists, size, real type) and mark the resume ready',
    tags: resumeTags,
    security,
    responses: {
      200: { description: 'Ready', schema: resume },
      409: { description: 'Not uploaded yet' },
      422: { description: 'Refused (size or type); the object and the row are deleted' },
    },
  },
  download: {
    summary: 'A short-lived presigned download URL',
    tags: resumeTags,
    security,
    responses: {
      200: { description: 'URL', schema: download },
      409: { description: 'Not ready' },
    },
  },
  makeDefault: {
    summary: 'Make this resume the default',
    tags: resumeTags,
    security,
    responses: {
      200: { description: 'Updated', schema: resume },
      409: { description: 'Not ready' },
    },
  },
  destroy: {
    summary: 'Delete a resume (object and row)',
    tags: resumeTags,
    security,
    responses: noContent,
  },
  learnerIndex: {
    summary: "A learner's ready resumes (same access rule as the profile)",
    tags: resumeTags,
    security,
    responses: { 200: { description: 'Resumes', schema: resumeList }, ...forbidden },
  },
  learnerDownload: {
    summary: "Download a learner's resume (presigned URL; audited)",
    tags: resumeTags,
    security,
    responses: {
      200: { description: 'URL', schema: download },
      409: { description: 'Not ready' },
      ...forbidden,
    },
  },
} satisfies Record<string, RouteDoc>

export const reportsDocs = {
  store: {
    summary: 'Generate a cohort profile-completion report (CSV) with a Temporal workflow',
    tags: ['Reports'],
    security,
    body: createReportValidator,
    responses: { 202: { description: 'Started', schema: report }, ...forbidden },
  },
  show: {
    summary: 'Report status, with a presigned download URL when ready',
    tags: ['Reports'],
    security,
    responses: { 200: { description: 'The report', schema: report }, ...forbidden },
  },
} satisfies Record<string, RouteDoc>

export const analyticsDocs = {
  overview: {
    summary: 'Aggregates from Redis: completion distribution, DAU/MAU, job searches, applications',
    tags: ['Analytics'],
    security,
    query: analyticsQueryValidator,
    responses: {
      200: { description: 'Overview', schema: analytics },
      503: { description: 'Redis unavailable' },
      ...forbidden,
    },
  },
} satisfies Record<string, RouteDoc>
