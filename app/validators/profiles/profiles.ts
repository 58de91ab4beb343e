import vine from '@vinejs/vine'
import sanitizeHtml from 'sanitize-html'

/** Removes every HTML tag (keeps the text) before the length rules run. */
const stripHtml = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string') return
  const decoded = sanitizeHtml(value, { allowedTags: [], allowedAttributes: {} })
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim()
  field.mutate(decoded, field)
})

/** Plain text: HTML stripped, whitespace trimmed, length bounded. */
const text = (max: number, min = 0) => {
  const rule = vine.string().trim().use(stripHtml())
  return (min > 0 ? rule.minLength(min) : rule).maxLength(max)
}
/** A calendar date PostgreSQL stores (years 1000-9999, leap days only in leap years): never a 500. */
const CALENDAR_DATE =
  /^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:1[26]|[2468][048]|[3579][26])00)-02-29)$/
const isoDate = () => vine.string().regex(CALENDAR_DATE)
const hhmm = () => vine.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)

export const JOB_TYPES = [
  'full_time',
  'part_time',
  'internship',
  'contract',
  'apprenticeship',
] as const
export const CHANNELS = ['email', 'push', 'sms'] as const
export const SKILL_LEVELS = ['beginner', 'intermediate', 'advanced', 'expert'] as const

export const updateProfileValidator = vine.create({
  headline: text(200).nullable().optional(),
  summary: text(5000).nullable().optional(),
  preferences: vine
    .object({
      jobTypes: vine.array(vine.enum(JOB_TYPES)).maxLength(5).distinct().optional(),
      locations: vine.array(text(100, 1)).maxLength(20).optional(),
      remote: vine.enum(['onsite', 'hybrid', 'remote', 'any']).nullable().optional(),
      industries: vine.array(text(100, 1)).maxLength(20).optional(),
      // strict: a JSON body says numbers as numbers (no "5", no false)
      salaryMin: vine.number({ strict: true }).min(0).max(10_000_000).nullable().optional(),
      salaryMax: vine.number({ strict: true }).min(0).max(10_000_000).nullable().optional(),
      salaryCurrency: vine
        .string()
        .regex(/^[A-Z]{3}$/)
        .nullable()
        .optional(),
    })
    .optional(),
  notifications: vine
    .object({
      optOut: vine.array(vine.enum(CHANNELS)).distinct().optional(),
      quietHours: vine
        .object({
          start: hhmm(),
          end: hhmm(),
          timezone: vine
            .string()
            .trim()
            .maxLength(64)
            .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/),
        })
        .nullable()
        .optional(),
    })
    .optional(),
})

const educationFields = {
  institution: text(200, 1),
  degree: text(200).nullable().optional(),
  field: text(200).nullable().optional(),
  startDate: isoDate().nullable().optional(),
  endDate: isoDate().nullable().optional(),
  current: vine.boolean().optional(),
}
export const createEducationValidator = vine.create(educationFields)
export const updateEducationValidator = vine.create({
  ...educationFields,
  institution: text(200, 1).optional(),
})

const experienceFields = {
  organization: text(200, 1),
  title: text(200, 1),
  location: text(200).nullable().optional(),
  startDate: isoDate().nullable().optional(),
  endDate: isoDate().nullable().optional(),
  current: vine.boolean().optional(),
  description: text(5000).nullable().optional(),
}
export const createExperienceValidator = vine.create(experienceFields)
export const updateExperienceValidator = vine.create({
  ...experienceFields,
  organization: text(200, 1).optional(),
  title: text(200, 1).optional(),
})

export const createSkillValidator = vine.create({
  skill: vine.string().trim().minLength(1).maxLength(100),
  level: vine.enum(SKILL_LEVELS).optional(),
})
export const updateSkillValidator = vine.create({ level: vine.enum(SKILL_LEVELS) })

export const reorderValidator = vine.create({
  ids: vine.array(vine.string().uuid()).minLength(1).maxLength(200).distinct(),
})
