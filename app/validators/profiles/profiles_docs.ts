/* OpenAPI descriptions of the routes in start/routes/profiles/profiles.ts: summaries, request validators, response schemas. */
import type { VineValidator } from '@vinejs/vine'
import { docArea, type JsonSchema } from '#services/platform/openapi/route_doc'
import * as v from '#validators/profiles/profiles'
import { analyticsQueryValidator, createReportValidator } from '#validators/profiles/reports'
import { createResumeValidator } from '#validators/profiles/resumes'
import { dataOf, forbidden, requiredObject } from '#validators/platform/common_docs'

const str = { type: 'string' }
const nstr = { type: ['string', 'null'] }
const int = { type: 'integer' }
const nint = { type: ['integer', 'null'] }
const nnum = { type: ['number', 'null'] }
const bool = { type: 'boolean' }
const strings = { type: 'array', items: str }
const date = { type: ['string', 'null'], format: 'date' }
const completion = requiredObject({
  score: { type: 'integer', minimum: 0, maximum: 100 },
  missing: { type: 'array', items: { enum: ['education', 'experience', 'skills', 'preferences'] } },
})
const dates = { startDate: date, endDate: date, current: bool }
const education = requiredObject({
  id: str,
  institution: str,
  degree: nstr,
  field: nstr,
  ...dates,
  position: int,
})
const experience = requiredObject({
  id: str,
  organization: str,
  title: str,
  location: nstr,
  ...dates,
  description: nstr,
  position: int,
})
const skill = requiredObject({ id: str, skill: str, name: str, level: str, position: int })
const preferences = requiredObject({
  jobTypes: strings,
  locations: strings,
  remote: nstr,
  industries: strings,
  salaryMin: nnum,
  salaryMax: nnum,
  salaryCurrency: nstr,
})
const notifications = requiredObject({
  optOut: strings,
  quietHours: { type: ['object', 'null'], properties: { start: str, end: str, timezone: str } },
})
const profile = requiredObject({
  membershipId: str,
  headline: nstr,
  summary: nstr,
  preferences,
  notifications,
  education: { type: 'array', items: education },
  experience: { type: 'array', items: experience },
  skills: { type: 'array', items: skill },
  completion,
})
const skillList = dataOf(requiredObject({ slug: str, name: str, aliases: strings }))
const resume = requiredObject({
  id: str,
  membershipId: str,
  filename: str,
  contentType: str,
  sizeBytes: nint,
  status: { enum: ['pending', 'ready'] },
  isDefault: bool,
  createdAt: str,
})
const resumeList = dataOf(resume)
const presignedPost = requiredObject({
  url: str,
  fields: { type: 'object', additionalProperties: str },
  maxBytes: int,
  expiresIn: int,
})
const upload = requiredObject({ resume, upload: presignedPost })
const download = requiredObject({ url: str, expiresIn: int })
const report = requiredObject({
  id: str,
  kind: str,
  cohortId: nstr,
  status: { enum: ['pending', 'running', 'ready', 'failed'] },
  rowCount: nint,
  error: nstr,
  createdAt: str,
  downloadUrl: nstr,
  downloadExpiresIn: nint,
})
const counts = { type: 'object', additionalProperties: int }
const analytics = requiredObject({
  schoolId: str,
  cohortId: nstr,
  profileCompletion: requiredObject({ members: int, average: int, distribution: counts }),
  activeUsers: requiredObject({ daily: int, monthly: int }),
  jobSearches: requiredObject({ today: int, last30Days: int, total: int }),
  applicationsByStatus: counts,
})
const profiles = docArea({ tags: ['Profiles'], security: 'bearer' })
const resumes = docArea({ tags: ['Resumes'], security: 'bearer' })
const done = { 204: 'Done' }
const notReady = { 409: 'Not ready' }

export const profilesDocs = {
  show: profiles('My profile in this school (one per membership)', {
    200: ['The profile', profile],
  }),
  update: profiles('Update headline, summary, job preferences and notification preferences', {
    body: v.updateProfileValidator,
    200: ['The updated profile', profile],
  }),
  completion: profiles('Profile completion score (0-100) and missing sections', {
    200: ['Completion', completion],
  }),
  skills: profiles('The normalized skill list (with aliases); ?search= filters', {
    200: ['Skills', skillList],
  }),
  addSkill: profiles(
    'Add a skill (name, slug or alias from the skill list; unknown skills are refused)',
    { body: v.createSkillValidator, 201: ['Added', skill], 409: 'Already on the profile' }
  ),
  reorderSkills: profiles('Reorder skills (every id once, in the new order)', {
    body: v.reorderValidator,
    ...done,
  }),
  updateSkill: profiles("Change a skill's level", {
    body: v.updateSkillValidator,
    200: ['Updated', skill],
  }),
  destroySkill: profiles('Remove a skill', done),
  showLearner: profiles(
    "A learner's profile (profiles.read_all, or profiles.read_assigned for assigned learners)",
    { 200: ['The profile', profile], ...forbidden }
  ),
}

/** Education and experience entries share their routes. */
const sectionDocs = (
  section: string,
  schema: JsonSchema,
  create: VineValidator<any, any>,
  update: VineValidator<any, any>
) => ({
  create: profiles(`Add a ${section} entry`, { body: create, 201: ['Created', schema] }),
  reorder: profiles(`Reorder ${section} entries (every id once, in the new order)`, {
    body: v.reorderValidator,
    ...done,
  }),
  update: profiles(`Update a ${section} entry`, { body: update, 200: ['Updated', schema] }),
  delete: profiles(`Delete a ${section} entry`, done),
})

export const profileSectionDocs = [
  [
    'education',
    sectionDocs('education', education, v.createEducationValidator, v.updateEducationValidator),
  ],
  [
    'experience',
    sectionDocs('experience', experience, v.createExperienceValidator, v.updateExperienceValidator),
  ],
] as const

export const resumesDocs = {
  index: resumes('My resumes', { 200: ['Resumes, newest first', resumeList] }),
  store: resumes('Start an upload: a presigned POST (PDF or DOCX, at most 5 MB) straight to S3', {
    description:
      'POST the file as multipart/form-data to `upload.url` with every `upload.fields` entry first and the file last (field `file`), then call `/complete`.',
    body: createResumeValidator,
    201: ['Upload form', upload],
    409: 'Too many resumes',
  }),
  complete: resumes(
    'Check the uploaded object (exists, size, real type) and mark the resume ready',
    {
      200: ['Ready', resume],
      409: 'Not uploaded yet',
      422: 'Refused (size or type); the object and the row are deleted',
    }
  ),
  download: resumes('A short-lived presigned download URL', {
    200: ['URL', download],
    ...notReady,
  }),
  makeDefault: resumes('Make this resume the default', {
    200: ['Updated', resume],
    ...notReady,
  }),
  destroy: resumes('Delete a resume (object and row)', done),
  learnerIndex: resumes("A learner's ready resumes (same access rule as the profile)", {
    200: ['Resumes', resumeList],
    ...forbidden,
  }),
  learnerDownload: resumes("Download a learner's resume (presigned URL; audited)", {
    200: ['URL', download],
    ...notReady,
    ...forbidden,
  }),
}

const reports = docArea({ tags: ['Reports'], security: 'bearer', ...forbidden })

export const reportsDocs = {
  store: reports('Generate a cohort profile-completion report (CSV) with a Temporal workflow', {
    body: createReportValidator,
    202: ['Started', report],
  }),
  show: reports('Report status, with a presigned download URL when ready', {
    200: ['The report', report],
  }),
}

export const analyticsDocs = {
  overview: docArea({ tags: ['Analytics'], security: 'bearer', ...forbidden })(
    'Aggregates from Redis: completion distribution, DAU/MAU, job searches, applications',
    {
      query: analyticsQueryValidator,
      200: ['Overview', analytics],
      503: 'Redis unavailable',
    }
  ),
}
