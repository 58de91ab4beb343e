import vine from '@vinejs/vine'

export const createReportValidator = vine.create({
  kind: vine.enum(['cohort_profile_completion']).optional(),
  cohortId: vine.string().uuid().optional(),
})

export const analyticsQueryValidator = vine.create({
  cohortId: vine.string().uuid().optional(),
})
