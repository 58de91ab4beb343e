import vine from '@vinejs/vine'
import { RESUME_TYPES } from '#services/resume_service'

export const createResumeValidator = vine.create({
  filename: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(255)
    .regex(/^[^/\\<>]+$/)
    .regex(/^\P{Cc}+$/u),
  contentType: vine.enum(Object.keys(RESUME_TYPES) as (keyof typeof RESUME_TYPES)[]),
})
