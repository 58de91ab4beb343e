/* Profiles, resumes (S3), reports (Temporal + S3) and analytics (Redis), inside one school. */
import router from '@adonisjs/core/services/router'
import { middleware } from '#start/kernel'
import * as profileValidators from '#validators/profiles'
import { createResumeValidator } from '#validators/resumes'
import { analyticsQueryValidator, createReportValidator } from '#validators/reports'
import { forbidden } from '#start/routes/schemas'

const ProfilesController = () => import('#controllers/profiles_controller')
const ResumesController = () => import('#controllers/resumes_controller')
const ReportsController = () => import('#controllers/reports_controller')
const AnalyticsController = () => import('#controllers/analytics_controller')

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

router
  .group(() => {
    router.get('/me/profile', [ProfilesController, 'show']).doc({
      summary: 'My profile in this school (one per membership)',
      tags,
      security,
      responses: { 200: { description: 'The profile', schema: profile } },
    })
    router.patch('/me/profile', [ProfilesController, 'update']).doc({
      summary: 'Update headline, summary, job preferences and notification preferences',
      tags,
      security,
      body: profileValidators.updateProfileValidator,
      responses: { 200: { description: 'The updated profile', schema: profile } },
    })
    router.get('/me/profile/completion', [ProfilesController, 'completion']).doc({
      summary: 'Profile completion score (0-100) and missing sections',
      tags,
      security,
      responses: { 200: { description: 'Completion', schema: completion } },
    })
    router.get('/skills', [ProfilesController, 'skills']).doc({
      summary: 'The normalized skill list (with aliases); ?search= filters',
      tags,
      security,
      responses: { 200: { description: 'Skills', schema: skillList } },
    })

    for (const [section, schema, create, update] of [
      [
        'education',
        education,
        profileValidators.createEducationValidator,
        profileValidators.updateEducationValidator,
      ],
      [
        'experience',
        experience,
        profileValidators.createExperienceValidator,
        profileValidators.updateExperienceValidator,
      ],
    ] as const) {
      router
        .post(`/me/profile/${section}`, [ProfilesController, 'createEntry'])
        .as(`profiles.${section}.create`)
        .doc({
          summary: `Add a ${section} entry`,
          tags,
          security,
          body: create,
          responses: { 201: { description: 'Created', schema } },
        })
      router
        .put(`/me/profile/${section}/order`, [ProfilesController, 'reorder'])
        .as(`profiles.${section}.reorder`)
        .doc({
          summary: `Reorder ${section} entries (every id once, in the new order)`,
          tags,
          security,
          body: profileValidators.reorderValidator,
          responses: noContent,
        })
      router
        .patch(`/me/profile/${section}/:id`, [ProfilesController, 'updateEntry'])
        .as(`profiles.${section}.update`)
        .doc({
          summary: `Update a ${section} entry`,
          tags,
          security,
          body: update,
          responses: { 200: { description: 'Updated', schema } },
        })
      router
        .delete(`/me/profile/${section}/:id`, [ProfilesController, 'destroyEntry'])
        .as(`profiles.${section}.delete`)
        .doc({
          summary: `Delete a ${section} entry`,
          tags,
          security,
          responses: noContent,
        })
    }
    router.post('/me/profile/skills', [ProfilesController, 'addSkill']).doc({
      summary: 'Add a skill (name, slug or alias from the skill list; unknown skills are refused)',
      tags,
      security,
      body: profileValidators.createSkillValidator,
      responses: {
        201: { description: 'Added', schema: skill },
        409: { description: 'Already on the profile' },
      },
    })
    router
      .put('/me/profile/skills/order', [ProfilesController, 'reorder'])
      .as('profiles.skills.reorder')
      .doc({
        summary: 'Reorder skills (every id once, in the new order)',
        tags,
        security,
        body: profileValidators.reorderValidator,
        responses: noContent,
      })
    router.patch('/me/profile/skills/:id', [ProfilesController, 'updateSkill']).doc({
      summary: "Change a skill's level",
      tags,
      security,
      body: profileValidators.updateSkillValidator,
      responses: { 200: { description: 'Updated', schema: skill } },
    })
    router
      .delete('/me/profile/skills/:id', [ProfilesController, 'destroyEntry'])
      .as('profiles.skills.delete')
      .doc({
        summary: 'Remove a skill',
        tags,
        security,
        responses: noContent,
      })
    router.get('/learners/:membershipId/profile', [ProfilesController, 'showLearner']).doc({
      summary:
        "A learner's profile (profiles.read_all, or profiles.read_assigned for assigned learners)",
      tags,
      security,
      responses: { 200: { description: 'The profile', schema: profile }, ...forbidden },
    })

    /* Resumes */
    const resumeTags = ['Resumes']
    router.get('/me/resumes', [ResumesController, 'index']).doc({
      summary: 'My resumes',
      tags: resumeTags,
      security,
      responses: { 200: { description: 'Resumes, newest first', schema: resumeList } },
    })
    router.post('/me/resumes', [ResumesController, 'store']).doc({
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
    })
    router.post('/me/resumes/:id/complete', [ResumesController, 'complete']).doc({
      summary: 'Check the uploaded object (exists, size, real type) and mark the resume ready',
      tags: resumeTags,
      security,
      responses: {
        200: { description: 'Ready', schema: resume },
        409: { description: 'Not uploaded yet' },
        422: { description: 'Refused (size or type); the object and the row are deleted' },
      },
    })
    router.get('/me/resumes/:id/download', [ResumesController, 'download']).doc({
      summary: 'A short-lived presigned download URL',
      tags: resumeTags,
      security,
      responses: {
        200: { description: 'URL', schema: download },
        409: { description: 'Not ready' },
      },
    })
    router.post('/me/resumes/:id/default', [ResumesController, 'makeDefault']).doc({
      summary: 'Make this resume the default',
      tags: resumeTags,
      security,
      responses: {
        200: { description: 'Updated', schema: resume },
        409: { description: 'Not ready' },
      },
    })
    router.delete('/me/resumes/:id', [ResumesController, 'destroy']).doc({
      summary: 'Delete a resume (object and row)',
      tags: resumeTags,
      security,
      responses: noContent,
    })
    router.get('/learners/:membershipId/resumes', [ResumesController, 'learnerIndex']).doc({
      summary: "A learner's ready resumes (same access rule as the profile)",
      tags: resumeTags,
      security,
      responses: { 200: { description: 'Resumes', schema: resumeList }, ...forbidden },
    })
    router
      .get('/learners/:membershipId/resumes/:id/download', [ResumesController, 'learnerDownload'])
      .doc({
        summary: "Download a learner's resume (presigned URL; audited)",
        tags: resumeTags,
        security,
        responses: {
          200: { description: 'URL', schema: download },
          409: { description: 'Not ready' },
          ...forbidden,
        },
      })

    /* Reports */
    router.post('/reports', [ReportsController, 'store']).doc({
      summary: 'Generate a cohort profile-completion report (CSV) with a Temporal workflow',
      tags: ['Reports'],
      security,
      body: createReportValidator,
      responses: { 202: { description: 'Started', schema: report }, ...forbidden },
    })
    router.get('/reports/:id', [ReportsController, 'show']).doc({
      summary: 'Report status, with a presigned download URL when ready',
      tags: ['Reports'],
      security,
      responses: { 200: { description: 'The report', schema: report }, ...forbidden },
    })

    /* Analytics */
    router.get('/analytics/overview', [AnalyticsController, 'overview']).doc({
      summary:
        'Aggregates from Redis: completion distribution, DAU/MAU, job searches, applications',
      tags: ['Analytics'],
      security,
      query: analyticsQueryValidator,
      responses: {
        200: { description: 'Overview', schema: analytics },
        503: { description: 'Redis unavailable' },
        ...forbidden,
      },
    })
  })
  .prefix('/v1/schools/:schoolId')
  .use([middleware.auth(), middleware.school()])
