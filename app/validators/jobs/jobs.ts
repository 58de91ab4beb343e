import vine from '@vinejs/vine'
import { paginationFields } from '#services/platform/pagination'
import { EMPLOYMENT_TYPES } from '#services/jobs/normalize'
import { literalUrlProblem } from '#services/platform/outbound_http'

export const APPLICATION_STATUSES = [
  'saved',
  'applied',
  'interviewing',
  'offer',
  'rejected',
  'withdrawn',
] as const

/** Refuses literal internal addresses up front (hostnames are checked again at fetch time). */
const publicAddress = vine.createRule((value, _options, field) => {
  if (typeof value !== 'string' || !field.isValid) return
  const problem = literalUrlProblem(value)
  if (problem) field.report(problem, 'publicAddress', field)
})

const httpUrl = () =>
  vine
    .string()
    .trim()
    .maxLength(2000)
    .url({ require_protocol: true, protocols: ['http', 'https'], require_tld: false })
    .use(publicAddress())

export const createJobSourceValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(200),
  kind: vine.enum(['greenhouse', 'lever', 'json_feed']),
  /** greenhouse/lever: optional API base (defaults to the public API); json_feed: the feed URL */
  url: httpUrl().optional(),
  /** Greenhouse board token or Lever site name */
  boardToken: vine
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.-]{1,200}$/)
    .optional(),
  company: vine.string().trim().minLength(1).maxLength(200).optional(),
  intervalMinutes: vine.number().withoutDecimals().range([5, 10080]).optional(),
  paused: vine.boolean().optional(),
})

export const updateJobSourceValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(200).optional(),
  url: httpUrl().optional(),
  company: vine.string().trim().minLength(1).maxLength(200).optional(),
  intervalMinutes: vine.number().withoutDecimals().range([5, 10080]).optional(),
})

export const listJobSourcesValidator = vine.create({ ...paginationFields })

export const searchJobsValidator = vine.create({
  q: vine.string().trim().maxLength(200).optional(),
  location: vine.string().trim().minLength(1).maxLength(200).optional(),
  remote: vine.boolean().optional(),
  /** comma-separated: full_time,contract */
  employmentType: vine
    .string()
    .trim()
    .regex(new RegExp(`^(${EMPLOYMENT_TYPES.join('|')})(,(${EMPLOYMENT_TYPES.join('|')}))*$`))
    .optional(),
  postedWithinDays: vine.number().withoutDecimals().range([1, 3650]).optional(),
  minSalary: vine.number().min(0).max(1e11).optional(),
  sourceId: vine.string().uuid().optional(),
  sort: vine.enum(['relevance', 'date']).optional(),
  cursor: vine.string().trim().maxLength(500).optional(),
  limit: vine.number().withoutDecimals().range([1, 50]).optional(),
})

export const suggestJobsValidator = vine.create({
  prefix: vine.string().trim().minLength(1).maxLength(100),
  limit: vine.number().withoutDecimals().range([1, 20]).optional(),
})

export const createApplicationValidator = vine.create({
  jobId: vine.string().uuid(),
  status: vine.enum(['saved', 'applied']).optional(),
  notes: vine.string().trim().maxLength(10000).optional(),
})

export const updateApplicationValidator = vine.create({
  status: vine.enum(APPLICATION_STATUSES).optional(),
  notes: vine.string().trim().maxLength(10000).nullable().optional(),
  /** a timeline note, with or without a status change */
  note: vine.string().trim().minLength(1).maxLength(10000).optional(),
})

export const listMyApplicationsValidator = vine.create({
  ...paginationFields,
  status: vine.enum(APPLICATION_STATUSES).optional(),
})

export const listSchoolApplicationsValidator = vine.create({
  ...paginationFields,
  status: vine.enum(APPLICATION_STATUSES).optional(),
  jobId: vine.string().uuid().optional(),
  membershipId: vine.string().uuid().optional(),
})
